/// A training step given either as a fraction of all training steps (written with a decimal point:
/// `0.2`, `1.0`) or as a step number (`78`), as `report --begin`/`--end` take it.
public enum StepPosition: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    case fraction(Double)
    case step(Int)

    /// Parses `"0.2"` (a fraction in [0, 1]) or `"78"` (a step ≥ 0); `nil` otherwise.
    public init?(_ text: String) {
        if text.contains(".") || text.lowercased().contains("e") {
            guard let value = Double(text), value.isFinite, (0 ... 1).contains(value) else { return nil }
            self = .fraction(value)
        } else {
            guard let value = Int(text), value >= 0 else { return nil }
            self = .step(value)
        }
    }

    /// The step this position names in a run of `totalSteps` steps. Fractions are rounded down, as
    /// tfmot casts `0.2 · end_step` to an integer step.
    public func resolve(totalSteps: Int) -> Int {
        switch self {
        case .fraction(let value): return Int((value * Double(totalSteps)).rounded(.down))
        case .step(let value): return value
        }
    }

    public var description: String {
        switch self {
        case .fraction(let value): return "\(value)"
        case .step(let value): return "\(value)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let position = StepPosition(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a step or fraction: \(text)"))
        }
        self = position
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

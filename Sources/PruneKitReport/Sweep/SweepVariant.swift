/// A schedule change practitioners try to win accuracy back, applied to the article's
/// configuration at the sweep's variant sparsity.
public enum SweepVariant: Sendable, Hashable, Codable, CustomStringConvertible, LosslessStringConvertible {
    /// Pruning ends at this position instead of the last step, leaving steps to recover.
    case end(StepPosition)
    /// Masks are updated every this many steps.
    case frequency(Int)
    /// Training runs this many epochs (begin and end stay fractions of the longer run).
    case epochs(Int)

    /// The variants `report sweep` runs by default: pruning ends at 80% of the steps, masks are
    /// updated every 25 steps, and training runs 45 epochs instead of 30.
    public static let defaults: [SweepVariant] = [.end(.fraction(0.8)), .frequency(25), .epochs(45)]

    /// Parses `end=0.8`, `frequency=25` or `epochs=45`.
    public init?(_ text: String) {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "end": guard let position = StepPosition(parts[1]) else { return nil }; self = .end(position)
        case "frequency": guard let value = Int(parts[1]), value >= 1 else { return nil }; self = .frequency(value)
        case "epochs": guard let value = Int(parts[1]), value >= 1 else { return nil }; self = .epochs(value)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .end(let position): return "end=\(position)"
        case .frequency(let value): return "frequency=\(value)"
        case .epochs(let value): return "epochs=\(value)"
        }
    }

    /// What the variant changes, in words.
    public var explanation: String {
        switch self {
        case .end(let position): return "pruning ends at \(position) of the steps"
        case .frequency(let value): return "masks updated every \(value) steps"
        case .epochs(let value): return "\(value) epochs"
        }
    }

    /// `configuration` with the variant applied.
    public func applied(to configuration: ExperimentConfiguration) -> ExperimentConfiguration {
        var changed = configuration
        switch self {
        case .end(let position): changed.end = position
        case .frequency(let value): changed.frequency = value
        case .epochs(let value): changed.epochs = value
        }
        return changed
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let variant = SweepVariant(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a sweep variant: \(text)"))
        }
        self = variant
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

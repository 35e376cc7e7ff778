import ArgumentParser

/// A training step given either as a fraction of all training steps (`0.2`, `1.0`: written with a
/// decimal point) or as a step number (`78`).
enum StepPosition: ExpressibleByArgument, Equatable, CustomStringConvertible {
    case fraction(Double)
    case step(Int)

    init?(argument: String) {
        if argument.contains(".") || argument.lowercased().contains("e") {
            guard let value = Double(argument), value.isFinite, (0 ... 1).contains(value) else { return nil }
            self = .fraction(value)
        } else {
            guard let value = Int(argument), value >= 0 else { return nil }
            self = .step(value)
        }
    }

    /// The step this position names in a run of `totalSteps` steps (fractions are rounded down, as
    /// tfmot casts `0.2 · end_step` to an integer).
    func resolve(totalSteps: Int) -> Int {
        switch self {
        case .fraction(let value): return Int((value * Double(totalSteps)).rounded(.down))
        case .step(let value): return value
        }
    }

    var description: String {
        switch self {
        case .fraction(let value): return "\(value)"
        case .step(let value): return "\(value)"
        }
    }
}

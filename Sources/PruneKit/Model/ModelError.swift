/// Why a model could not be built, compiled, trained or evaluated.
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A layer cannot take the shape the previous layer produces.
    case incompatibleShape(layer: String, inputShape: [Int], reason: String)
    /// The model was used before ``Sequential/compile(loss:optimizer:metrics:)``.
    case notCompiled
    /// The model's input shape is not known yet (give `inputShape:` or call `fit` first).
    case notBuilt
    /// The data does not fit the model.
    case dataMismatch(String)
    /// A training or evaluation argument is out of range.
    case invalidArgument(name: String, value: String, allowed: String)
    /// A pruning mask could not be computed.
    case pruning(PruningError)
    /// A callback threw, or replaced the model with one of another architecture; training stopped.
    case callbackFailed(callback: String, detail: String)
    /// No layer has the name given.
    case unknownLayer(name: String, available: [String])
    /// Parameters given for a layer do not have the number or shapes the layer's own have.
    case parameterMismatch(layer: String, detail: String)
    /// The optimizer holds state (such as Adam's moments) made for other parameters.
    case incompatibleOptimizer(String)

    public var description: String {
        switch self {
        case .incompatibleShape(let layer, let inputShape, let reason):
            return "layer \(layer) cannot take input of shape \(inputShape): \(reason)"
        case .notCompiled:
            return "the model must be compiled (compile(loss:optimizer:metrics:)) before training or evaluation"
        case .notBuilt:
            return "the model's input shape is unknown: create it with Sequential(inputShape:) or train it first"
        case .dataMismatch(let detail):
            return "data does not fit the model: \(detail)"
        case .invalidArgument(let name, let value, let allowed):
            return "invalid \(name) \(value): must be \(allowed)"
        case .pruning(let error):
            return "pruning: \(error)"
        case .callbackFailed(let callback, let detail):
            return "callback \(callback) failed: \(detail)"
        case .unknownLayer(let name, let available):
            return "no layer named \"\(name)\"; the layers are \(available.joined(separator: ", "))"
        case .parameterMismatch(let layer, let detail):
            return "parameters for layer \(layer) do not fit: \(detail)"
        case .incompatibleOptimizer(let detail):
            return "the optimizer does not fit the model: \(detail)"
        }
    }
}

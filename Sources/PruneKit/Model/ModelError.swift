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
    /// A layer cannot be made with these hyperparameters (read from a model file).
    case invalidConfiguration(layer: String, reason: String)
    /// The loss became NaN or infinite; training stopped.
    ///
    /// `epoch` counts from 0; `batch` is the training batch within it, or `nil` when the epoch's
    /// validation loss is the one that is not finite; `step` is the training step (batches trained
    /// before it). `lastCheckpoint` is the newest file a ``ModelCheckpoint`` of the run holds, the
    /// position to resume from (for example with a lower learning rate).
    case nonFiniteLoss(loss: Double, epoch: Int, epochs: Int, batch: Int?, step: Int, lastCheckpoint: String?)
    /// No layer has the name given.
    case unknownLayer(name: String, available: [String])
    /// Parameters given for a layer do not have the number or shapes the layer's own have.
    case parameterMismatch(layer: String, detail: String)
    /// The optimizer holds state (such as Adam's moments) made for other parameters.
    case incompatibleOptimizer(String)

    /// The error in one sentence that names the file, parameter or layer at fault.
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
        case .invalidConfiguration(let layer, let reason):
            return "invalid \(layer) configuration: \(reason)"
        case .nonFiniteLoss(let loss, let epoch, let epochs, let batch, let step, let lastCheckpoint):
            let position = batch.map { "the training loss is \(loss) at step \(step) (epoch \(epoch + 1)/\(epochs), batch \($0 + 1))" }
                ?? "the validation loss is \(loss) after epoch \(epoch + 1)/\(epochs) (step \(step))"
            let resume = lastCheckpoint.map { "; the last good checkpoint is \($0)" } ?? "; no checkpoint was saved"
            return "\(position): training stopped (learning rate too high, or data that overflows?)\(resume)"
        case .unknownLayer(let name, let available):
            return "no layer named \"\(name)\"; the layers are \(available.joined(separator: ", "))"
        case .parameterMismatch(let layer, let detail):
            return "parameters for layer \(layer) do not fit: \(detail)"
        case .incompatibleOptimizer(let detail):
            return "the optimizer does not fit the model: \(detail)"
        }
    }
}

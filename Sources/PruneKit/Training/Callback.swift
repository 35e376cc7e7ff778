/// Hooks into `fit`, as Keras callbacks: each method is called at its point of the training loop
/// with the whole ``TrainingState``, which it may change (the model's weights included).
///
/// Order within a batch: ``batchBegin(_:)``, forward and backward pass, optimizer update,
/// ``batchEnd(_:)``. Callbacks run in the order given to `fit`; the progress display runs last.
/// All methods have empty default implementations. A callback that throws stops training: `fit`
/// rethrows the error as ``ModelError/callbackFailed(callback:detail:)``.
public protocol Callback: AnyObject {
    /// Before the first epoch.
    func trainBegin(_ state: inout TrainingState) throws
    /// After the last epoch (or after ``TrainingState/stopTraining`` was set).
    func trainEnd(_ state: inout TrainingState) throws
    /// At the start of each epoch.
    func epochBegin(_ state: inout TrainingState) throws
    /// After each epoch's training batches and validation; ``TrainingState/epochLogs`` is set.
    func epochEnd(_ state: inout TrainingState) throws
    /// Before each training batch.
    func batchBegin(_ state: inout TrainingState) throws
    /// After each batch's optimizer update; ``TrainingState/batchLogs`` is set.
    func batchEnd(_ state: inout TrainingState) throws
}

extension Callback {
    public func trainBegin(_ state: inout TrainingState) throws {}
    public func trainEnd(_ state: inout TrainingState) throws {}
    public func epochBegin(_ state: inout TrainingState) throws {}
    public func epochEnd(_ state: inout TrainingState) throws {}
    public func batchBegin(_ state: inout TrainingState) throws {}
    public func batchEnd(_ state: inout TrainingState) throws {}
}

/// Running loss and accuracy of the current epoch, as Keras passes to `on_train_batch_end`.
public struct BatchLogs: Sendable, Equatable {
    /// The loss of this batch alone.
    public var batchLoss: Double
    /// Mean loss over the epoch's batches so far (weighted by batch size).
    public var loss: Double
    /// Accuracy over the epoch's batches so far.
    public var accuracy: Double
    /// Samples in this batch.
    public var size: Int
}

/// Everything a ``Callback`` sees and may change during `fit`.
public struct TrainingState: Sendable {
    /// The model being trained; changes made here are kept.
    public var model: Sequential
    /// The number of epochs `fit` was asked for.
    public let epochs: Int
    /// Batches per epoch.
    public let stepsPerEpoch: Int
    /// Training samples per epoch.
    public let trainingCount: Int
    /// Validation samples (0 without validation).
    public let validationCount: Int
    /// The seed of shuffling and dropout.
    public let seed: UInt64
    /// The current epoch, counted from 0.
    public internal(set) var epoch = 0
    /// The current batch within the epoch, counted from 0.
    public internal(set) var batch = 0
    /// The current training step: batches trained before this one, across epochs (Keras's
    /// `optimizer.iterations` before the update, the step tfmot's pruning schedules are called with).
    public internal(set) var step = 0
    /// The running logs of the epoch, set before ``Callback/batchEnd(_:)``.
    public internal(set) var batchLogs: BatchLogs?
    /// The logs of the epoch just finished, set before ``Callback/epochEnd(_:)``.
    public internal(set) var epochLogs: EpochLogs?
    /// All finished epochs.
    public internal(set) var history: History
    /// Set to true to end training after the current batch, as Keras's `model.stop_training`.
    public var stopTraining = false
}

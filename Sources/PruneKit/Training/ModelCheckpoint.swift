import Foundation

/// Saves the model at the end of every epoch, as Keras's `ModelCheckpoint` callback: the whole
/// model with its optimizer and pruning state and the number of epochs completed, so that training
/// can resume from the file exactly where it stopped:
///
///     try model.fit(data, epochs: 30, callbacks: [ModelCheckpoint(path: "run/model.prunekit")])
///     // … later, or after a crash:
///     let checkpoint = try Checkpoint(contentsOf: "run/model.prunekit")
///     var resumed = checkpoint.model
///     try resumed.fit(data, epochs: 30, initialEpoch: checkpoint.epochsCompleted ?? 0)
///
/// Each save is atomic (see ``Checkpoint/write(to:includeOptimizer:encoding:)``), so a run killed while
/// saving still leaves the previous epoch's file. An epoch cut short by
/// ``TrainingState/stopTraining`` is not saved: a file always holds a position a resumed run
/// continues from exactly. A failed save stops training: `fit` throws
/// ``ModelError/callbackFailed(callback:detail:)`` with the ``CheckpointError``.
public final class ModelCheckpoint: Callback {
    /// The file to write; `{epoch}` in it is replaced by the number of epochs completed
    /// (`model-{epoch}.prunekit` → `model-3.prunekit`), otherwise each epoch replaces the last file.
    public let path: String
    /// Whether the optimizer's state is saved (needed to resume training).
    public let includeOptimizer: Bool
    /// Creates a callback that saves to `path` after every epoch.
    public init(path: String, includeOptimizer: Bool = true) {
        self.path = path
        self.includeOptimizer = includeOptimizer
    }

    /// The file written after `epochsCompleted` epochs.
    public func path(epochsCompleted: Int) -> String {
        path.replacingOccurrences(of: "{epoch}", with: String(epochsCompleted))
    }

    /// The file holding the model after `epochsCompleted` epochs, if it exists: where a run that
    /// fails during epoch `epochsCompleted` (counted from 0) resumes from. `nil` before the first epoch ends.
    public func lastSaved(before epochsCompleted: Int) -> String? {
        let file = path(epochsCompleted: epochsCompleted)
        return epochsCompleted > 0 && FileManager.default.fileExists(atPath: file) ? file : nil
    }

    public func epochEnd(_ state: inout TrainingState) throws {
        guard state.batch + 1 == state.stepsPerEpoch else { return }
        let checkpoint = Checkpoint(model: state.model, epochsCompleted: state.epoch + 1)
        try checkpoint.write(to: path(epochsCompleted: state.epoch + 1), includeOptimizer: includeOptimizer)
    }
}

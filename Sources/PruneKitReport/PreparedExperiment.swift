import Foundation
import PruneKit

/// Which of the experiment's two models to train.
public enum ExperimentModel: String, Sendable, Codable {
    /// The CNN pruned by the configured schedule.
    case pruned
    /// The same CNN, from the same initial weights, trained without pruning.
    case baseline
}

/// A trained model with its measured results.
public struct TrainedModel: Sendable {
    /// The model as training left it (the pruned one still carries its masks and pruning state).
    public var model: Sequential
    /// Its per-epoch history.
    public var history: History
    /// Test loss and accuracy, sparsity, file size and speed.
    public var results: RunResults
}

/// An experiment whose data, model and schedule are loaded and checked (by
/// ``ArticleExperiment/prepare(logDirectory:)``), ready to train either model.
public struct PreparedExperiment: Sendable {
    /// The parameters.
    public let configuration: ExperimentConfiguration
    /// The data, after `trainingSubset`.
    public let data: MNIST
    /// The pruning schedule, its begin and end steps resolved.
    public let schedule: any PruningSchedule
    /// The compiled, untrained CNN both models start from.
    public let model: Sequential
    /// Training steps per epoch and in the whole run.
    public let stepsPerEpoch: Int, totalSteps: Int

    /// The name of the checkpoint, saved after every epoch in a model's log directory, that a
    /// resumed run continues from.
    public static let checkpointFileName = "checkpoint.prunekit"

    /// Trains one of the two models, with `PruningSummaries` into `logDirectory` when given
    /// (summaries every step for the pruned model, every epoch for the baseline) and a
    /// `ModelCheckpoint` after every epoch into `checkpointDirectory`, then scores the stripped
    /// model on the test images and measures its file size.
    ///
    /// - Parameters:
    ///   - which: The pruned model or the unpruned baseline.
    ///   - logDirectory: Where the summaries go; `nil` for none.
    ///   - checkpointDirectory: Where the checkpoint (``checkpointFileName``) is saved after every
    ///     epoch; by default `logDirectory`, and no checkpoint when both are `nil`.
    ///   - verbose: Whether to print Keras-style progress.
    ///   - callbacks: more callbacks, run after the summaries and the checkpoint (a notebook's
    ///     epoch lines).
    ///   - resuming: Whether to continue from the checkpoint in `checkpointDirectory`, cutting the
    ///     summaries back to it; without a checkpoint training starts from the first epoch. When
    ///     `false`, an earlier run's checkpoint there is removed first.
    /// - Throws: ``ReportError/unreadableLog(path:detail:)`` for a checkpoint that cannot be read,
    ///   and what training throws.
    public func train(_ which: ExperimentModel, logDirectory: String? = nil, checkpointDirectory: String? = nil,
                      verbose: Bool = false, callbacks: [any Callback] = [], resuming: Bool = false) throws -> TrainedModel {
        var model = which == .pruned ? try self.model.pruned(with: schedule) : self.model
        var initialEpoch = 0
        var all: [any Callback] = []
        if let checkpointDirectory = checkpointDirectory ?? logDirectory {
            let checkpointPath = ArticleExperiment.path(checkpointDirectory, Self.checkpointFileName)
            if resuming, FileManager.default.fileExists(atPath: checkpointPath) {
                do {
                    let checkpoint = try Checkpoint(contentsOf: checkpointPath)
                    (model, initialEpoch) = (checkpoint.model, checkpoint.epochsCompleted ?? 0)
                } catch {
                    throw ReportError.unreadableLog(path: checkpointPath, detail: "cannot resume from it: \(error)")
                }
                if verbose { print("Resuming after epoch \(initialEpoch) from \(checkpointPath)") }
            } else if !resuming, FileManager.default.fileExists(atPath: checkpointPath) {
                try FileManager.default.removeItem(atPath: checkpointPath)
            }
            // The summaries first: the checkpoint is saved once the epoch's records are written.
            if let logDirectory {
                all.append(PruningSummaries(logDirectory: logDirectory, updateFrequency: which == .pruned ? .steps(1) : .epoch))
            }
            all.append(ModelCheckpoint(path: checkpointPath))
        }
        let started = Date()
        let history = try model.fit(data.train, batchSize: configuration.batchSize, epochs: configuration.epochs,
                                    validationSplit: configuration.validationSplit, seed: configuration.seed, verbose: verbose,
                                    callbacks: all + callbacks, initialEpoch: initialEpoch)
        let seconds = Date().timeIntervalSince(started)
        let table = model.sparsityTable()
        if verbose, model.pruning != nil { print(table) }
        let final = model.strippingPruning()
        let size = try final.storageSize()
        let results = RunResults(test: try final.evaluate(data.test), sparsity: table, fileBytes: size.fileBytes,
                                 gzipBytes: size.gzipBytes, imagesPerSecond: history.imagesPerSecond, trainingSeconds: seconds)
        return TrainedModel(model: model, history: history, results: results)
    }

    /// Measures the compression stages of the pruned model against `baseline` (or, without one,
    /// the untrained network both models start from) on the test images, and the stripped pruned
    /// model's inference speed on the first ``DeploymentResults/speedImages`` of them, in batches
    /// of the configuration's batch size.
    ///
    /// - Parameters:
    ///   - pruned: The pruned model as training left it (pruning state and all).
    ///   - baseline: The model trained without pruning, when the run trained one.
    /// - Throws: what `CompressionStages(model:dense:testData:)` and
    ///   `measureInferenceSpeed(on:batchSize:repeats:comparedWith:)` throw.
    public func deployment(pruned: Sequential, baseline: Sequential?) throws -> DeploymentResults {
        let stripped = pruned.strippingPruning()
        let stages = try CompressionStages(model: stripped, dense: baseline ?? model, testData: data.test)
        let images = data.test.slice(0 ..< min(data.test.count, DeploymentResults.speedImages))
        let inference = try stripped.measureInferenceSpeed(on: images, batchSize: configuration.batchSize,
                                                           repeats: DeploymentResults.speedRepeats)
        return DeploymentResults(stages: stages, denseIsBaseline: baseline != nil, inference: inference)
    }

    /// The experiment's results file from the two models' results and what shipping the pruned one buys.
    public func results(pruned: RunResults, baseline: RunResults?, deployment: DeploymentResults) -> ExperimentResults {
        let fitCount = configuration.fitCount(trainingImages: data.train.count)
        return ExperimentResults(
            configuration: configuration, dataSource: data.source, trainingImages: data.train.count, fitImages: fitCount,
            validationImages: data.train.count - fitCount, testImages: data.test.count, modelSummary: model.summary(),
            stepsPerEpoch: stepsPerEpoch, totalSteps: totalSteps, beginStep: schedule.beginStep, endStep: schedule.endStep,
            pruned: pruned, baseline: baseline, finished: ISO8601DateFormatter().string(from: Date()),
            cores: ProcessInfo.processInfo.activeProcessorCount, deployment: deployment)
    }
}

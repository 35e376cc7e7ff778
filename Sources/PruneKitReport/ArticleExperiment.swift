import Foundation
import PruneKit
import PruneKitCharts

/// The article's experiment: the CNN trained with gradual magnitude pruning, and the same CNN
/// trained without it as the baseline, with every figure the report shows written to a log
/// directory (`pruned/` and `baseline/` summaries, and `results.json`).
///
/// One component serves `report`, `report sweep`, the notebooks and `bench`:
/// ``prepare(logDirectory:)`` loads the data, resolves the schedule and checks everything that can
/// be checked before the first training step; the ``PreparedExperiment`` it returns trains either
/// model, and ``run(logDirectory:verbose:resuming:)`` does both and writes `results.json`.
public struct ArticleExperiment: Sendable {
    /// The experiment's parameters.
    public var configuration: ExperimentConfiguration

    /// The name of the results file in the log directory.
    public static let resultsFileName = "results.json"

    public init(configuration: ExperimentConfiguration = ExperimentConfiguration()) {
        self.configuration = configuration
    }

    /// Loads the data, builds the model and the schedule, and checks, before any training: the
    /// parameters, the data against the model (image shape, classes, enough images to train,
    /// validate and test), the schedule against the run's length (begin and end within the
    /// steps, at least one mask update that prunes), and that `logDirectory` can be written.
    ///
    /// - Throws: ``ReportError`` naming the parameter, file or directory at fault.
    public func prepare(logDirectory: String? = nil) throws(ReportError) -> PreparedExperiment {
        try configuration.validate()
        var mnist: MNIST
        do { mnist = try MNIST.load(fromOptional: configuration.dataPath) } catch {
            throw .invalidParameter("--data \(configuration.dataPath ?? "(bundled sample)"): \(error)")
        }
        if let subset = configuration.trainingSubset, subset < mnist.train.count {
            mnist.train = mnist.train.slice(0 ..< subset)
            mnist.source += "; first \(subset.grouped) training images kept"
        }
        let data = mnist.train
        guard data.imageShape == mnist.test.imageShape else {
            throw .invalidParameter("--data: training images are \(data.imageShape) but test images \(mnist.test.imageShape)")
        }
        guard data.classCount >= 2, mnist.test.count > 0 else {
            throw .invalidParameter("--data: need at least 2 classes and 1 test image, got \(data.classCount) classes and \(mnist.test.count) test images")
        }
        let fitCount = configuration.fitCount(trainingImages: data.count)
        guard fitCount > 0, fitCount < data.count || configuration.validationSplit == 0 else {
            throw .invalidParameter("\(data.count) training images leave \(fitCount) to train on and \(data.count - fitCount) to validate (validation split \(configuration.validationSplit)); use more images")
        }
        let stepsPerEpoch = configuration.stepsPerEpoch(trainingImages: data.count)
        let totalSteps = stepsPerEpoch * configuration.epochs
        let schedule = try Self.checkedSchedule(configuration, totalSteps: totalSteps)
        var model: Sequential
        do {
            model = try Sequential.articleCNN(inputShape: data.imageShape, classes: data.classCount, seed: configuration.seed)
            try model.build(inputShape: data.imageShape)
        } catch {
            throw .invalidParameter("--data: images of shape \(data.imageShape) do not fit the article's CNN: \(error)")
        }
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
        if let logDirectory { try ReportFiles.checkWritable(directory: logDirectory) }
        return PreparedExperiment(configuration: configuration, data: mnist, schedule: schedule, model: model,
                                  stepsPerEpoch: stepsPerEpoch, totalSteps: totalSteps)
    }

    /// The schedule over `totalSteps`, checked against the run: it must begin before it ends,
    /// end within the run, and prune something at one of its mask updates.
    static func checkedSchedule(_ configuration: ExperimentConfiguration, totalSteps: Int) throws(ReportError) -> any PruningSchedule {
        let options = "--begin \(configuration.begin) --end \(configuration.end) --frequency \(configuration.frequency)"
        let schedule: any PruningSchedule
        do { schedule = try configuration.makeSchedule(totalSteps: totalSteps) } catch {
            throw .invalidParameter("pruning schedule over \(totalSteps) steps (\(options)): \(error)")
        }
        guard schedule.endStep <= totalSteps else {
            throw .invalidParameter("--end \(configuration.end) is step \(schedule.endStep), after the run's last step \(totalSteps) (\(configuration.epochs) epochs of \(totalSteps / max(configuration.epochs, 1)) steps)")
        }
        let timeline = schedule.timeline(through: totalSteps)
        guard configuration.finalSparsity == 0 || timeline.updates.contains(where: { $0.sparsity > 0 }) else {
            throw .invalidParameter("no mask update between steps \(schedule.beginStep) and \(schedule.endStep) prunes anything (\(options), \(totalSteps) steps); lower --frequency or widen --begin/--end")
        }
        return schedule
    }

    /// The name of the file in the log directory that holds the configuration, written before
    /// training, which a resumed run must match.
    public static let configurationFileName = "configuration.json"

    /// The name of the file in each model's log directory that holds its results once it is trained.
    public static let runResultsFileName = "run-results.json"

    /// Trains, evaluates and logs both models into `logDirectory`, printing progress as it goes,
    /// and writes `results.json` there. Each model saves a checkpoint after every epoch, so a run
    /// that is killed can be continued with `resuming`: a model already trained is not trained
    /// again, one cut short continues from its last checkpoint (its logs cut back to it), and the
    /// results, logs and weights equal those of an uninterrupted run (timings aside).
    ///
    /// - Throws: ``ReportError`` for bad data or parameters (before training), a `resuming` run
    ///   whose configuration differs from the one stored in `logDirectory`, and files that cannot
    ///   be written.
    @discardableResult
    public func run(logDirectory: String, verbose: Bool = true, resuming: Bool = false) throws -> ExperimentResults {
        let experiment = try prepare(logDirectory: logDirectory)
        let configurationPath = Self.path(logDirectory, Self.configurationFileName)
        if resuming {
            let stored = try Self.storedConfiguration(logDirectory: logDirectory)
            guard stored == configuration else {
                throw ReportError.invalidParameter("--resume \(logDirectory): the run's configuration differs from the one in \(configurationPath)")
            }
        } else {
            for model in [ExperimentModel.pruned, .baseline] {
                let finished = Self.path(Self.path(logDirectory, model.rawValue), Self.runResultsFileName)
                if FileManager.default.fileExists(atPath: finished) { try FileManager.default.removeItem(atPath: finished) }
            }
            try ReportFiles.writeJSON(configuration, to: configurationPath)
        }
        func say(_ line: String) { if verbose { print(line) } }
        say("Data: \(experiment.data.source)")
        say(experiment.model.summary())
        say("\nPruned model: \(experiment.schedule.summary), steps \(experiment.schedule.beginStep)–\(experiment.schedule.endStep) of \(experiment.totalSteps)")
        let pruned = try trainOrReuse(.pruned, experiment, logDirectory: logDirectory, verbose: verbose, resuming: resuming)
        say(String(format: "Pruned CNN - Test loss: %.4f / Test accuracy: %.4f", pruned.results.test.loss, pruned.results.test.accuracy))
        var baseline: (results: RunResults, model: Sequential)?
        if configuration.baseline {
            say("\nBaseline (unpruned) model")
            let trained = try trainOrReuse(.baseline, experiment, logDirectory: logDirectory, verbose: verbose, resuming: resuming)
            say(String(format: "CNN - Test loss: %.4f / Test accuracy: %.4f", trained.results.test.loss, trained.results.test.accuracy))
            baseline = trained
        }
        // Only now are both models at hand: the stages compare the pruned model with the dense one.
        let deployment = try experiment.deployment(pruned: pruned.model, baseline: baseline?.model)
        if let int8 = deployment.stages.stages.last {
            say(String(format: "\nSparse + int8 model file: %@ gzip-compressed (%.1f× smaller than the dense float32 file); inference on the default kernels %.2f× as fast as on dense ones",
                       int8.gzipBytes.byteCount, deployment.stages.reduction(of: int8, compressed: true), deployment.inference.speedup))
        }
        let results = experiment.results(pruned: pruned.results, baseline: baseline?.results, deployment: deployment)
        try ReportFiles.writeJSON(results, to: Self.path(logDirectory, Self.resultsFileName))
        return results
    }

    /// The configuration stored in `logDirectory` by ``run(logDirectory:verbose:resuming:)``.
    ///
    /// - Throws: ``ReportError/unreadableLog(path:detail:)`` when it is missing or damaged.
    public static func storedConfiguration(logDirectory: String) throws(ReportError) -> ExperimentConfiguration {
        let path = Self.path(logDirectory, configurationFileName)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableLog(path: path, detail: "no such file (is \(logDirectory) a log directory written by `report`?)")
        }
        do { return try JSONDecoder().decode(ExperimentConfiguration.self, from: data) } catch {
            throw .unreadableLog(path: path, detail: "not a configuration file: \(error)")
        }
    }

    /// The results and trained model of `which`, read from its log directory (the results and its
    /// last checkpoint) when `resuming` finds it trained, else trained (continuing from its
    /// checkpoint when `resuming`) and stored there.
    private func trainOrReuse(_ which: ExperimentModel, _ experiment: PreparedExperiment, logDirectory: String,
                              verbose: Bool, resuming: Bool) throws -> (results: RunResults, model: Sequential) {
        let directory = Self.path(logDirectory, which.rawValue)
        let finished = Self.path(directory, Self.runResultsFileName)
        if resuming, let data = FileManager.default.contents(atPath: finished) {
            let results: RunResults
            do { results = try JSONDecoder().decode(RunResults.self, from: data) } catch {
                throw ReportError.unreadableLog(path: finished, detail: "not a run's results: \(error)")
            }
            let model = try Self.trainedModel(directory: directory, epochs: configuration.epochs)
            if verbose { print("Trained before: \(finished)") }
            return (results, model)
        }
        let trained = try experiment.train(which, logDirectory: directory, verbose: verbose, resuming: resuming)
        try ReportFiles.writeJSON(trained.results, to: finished)
        return (trained.results, trained.model)
    }

    /// The model in a model's log directory `directory` as training left it: its checkpoint
    /// (``PreparedExperiment/checkpointFileName``), which must hold all `epochs` epochs.
    ///
    /// - Throws: ``ReportError/unreadableLog(path:detail:)`` naming the checkpoint when it is
    ///   missing, damaged, or from an unfinished run.
    static func trainedModel(directory: String, epochs: Int) throws(ReportError) -> Sequential {
        let path = Self.path(directory, PreparedExperiment.checkpointFileName)
        let checkpoint: Checkpoint
        do { checkpoint = try Checkpoint(contentsOf: path) } catch {
            throw .unreadableLog(path: path, detail: "cannot read the trained model: \(error)")
        }
        guard checkpoint.epochsCompleted == epochs else {
            let saved = checkpoint.epochsCompleted.map { "was saved after epoch \($0)" } ?? "holds no epoch count"
            throw .unreadableLog(path: path, detail: "the checkpoint \(saved), not after the run's last, \(epochs): not the trained model")
        }
        return checkpoint.model
    }

    /// Runs the experiment and writes its report into `out` (replacing an existing report only
    /// once the new one is complete). Everything checkable is checked before the first training
    /// step, the report directory's parent included. Without `logDirectory` the logs are written
    /// beside `out` and moved into `out/logs` with the finished report, so a report that fails to
    /// render loses no training: the error names where the logs are.
    ///
    /// With `resuming`, training continues from the checkpoints in `logDirectory` (see
    /// ``run(logDirectory:verbose:resuming:)``); a `logDirectory` that is the pending one of `out`
    /// (written by a run without `logDirectory` that was killed) still moves into `out/logs`.
    ///
    /// - Throws: ``ReportError``; ``ReportError/reportFailed(logDirectory:detail:)`` once training is done.
    @discardableResult
    public func writeReport(into out: String, logDirectory: String? = nil, verbose: Bool = true,
                            fontPath: String = ChartFont.defaultPath, resuming: Bool = false) throws -> ExperimentResults {
        try ReportFiles.checkWritable(directory: ((out as NSString).standardizingPath as NSString).deletingLastPathComponent)
        if !FileManager.default.fileExists(atPath: fontPath) {
            throw ReportError.cannotWrite(path: fontPath, detail: "the charts' font is missing (install fonts-dejavu-core)")
        }
        let logs = logDirectory ?? ReportFiles.pendingLogDirectory(for: out)
        let adopted = logDirectory.map { ReportFiles.isPendingLogDirectory($0, for: out) } ?? true
        if verbose, !resuming { print("Training logs: \(logs) (if interrupted: report --resume \(logs) --out \(out))") }
        let results = try run(logDirectory: logs, verbose: verbose, resuming: resuming)
        do {
            let read = try ReportLogs(directory: logs)
            try ReportFiles.replace(directory: out, adopting: adopted ? [logs: "logs"] : [:]) { (staging) throws in
                var writer = ReportWriter(logs: read, logDirectory: adopted ? Self.path(out, "logs") : logs, fontPath: fontPath)
                writer.sweepLink = ReportWriter.sweepLink(besideReport: out)
                try writer.write(into: staging)
            }
        } catch {
            throw ReportError.reportFailed(logDirectory: logs, detail: "\(error)")
        }
        return results
    }

    static func path(_ directory: String, _ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }
}

extension PruningSchedule {
    /// One line naming the schedule and its parameters.
    var summary: String {
        if let polynomial = self as? PolynomialDecay {
            return "PolynomialDecay(\(polynomial.initialSparsity) → \(polynomial.finalSparsity), power \(polynomial.power), every \(frequency) steps)"
        }
        return "\(type(of: self))(\(finalTargetSparsity), every \(frequency) steps)"
    }
}

extension MNIST {
    /// The data at `path`, or the bundled sample when `path` is `nil`.
    static func load(fromOptional path: String?) throws(DataError) -> MNIST {
        if let path { return try load(from: path) }
        return try load()
    }
}

import Foundation
import PruneKit

/// Runs a ``SweepConfiguration`` into a directory, one results file per finished run
/// (`runs/<id>.json`), so that an interrupted sweep resumes where it stopped: runs whose file
/// holds the same configuration are not trained again, and the run that was interrupted continues
/// from its last complete epoch (its checkpoint and configuration are kept in
/// `runs/<id>.partial/` while it trains and removed once its result is stored).
public struct Sweep: Sendable {
    /// What to run.
    public var configuration: SweepConfiguration
    /// The sweep's directory (its report goes there too).
    public var directory: String

    public init(configuration: SweepConfiguration, directory: String) {
        self.configuration = configuration
        self.directory = directory
    }

    /// Progress of the whole sweep, reported before and after every run.
    public struct Progress: Sendable {
        /// The run, its position (1-based) and the number of runs.
        public var run: SweepConfiguration.Run, index: Int, count: Int
        /// The finished run's result (`nil` when it is starting), and whether it was loaded from
        /// an earlier, interrupted sweep.
        public var result: SweepRunResult?, resumed: Bool
        /// Estimated seconds left (from this session's seconds per epoch), once a run has been timed.
        public var secondsLeft: Double?

        /// "run 3 of 27 (s0.5-seed3): …".
        public var line: String {
            var text = "run \(index) of \(count) (\(run.id))"
            if let result {
                text += resumed ? ": already done, " : ": "
                text += String(format: "test accuracy %.4f, sparsity %.2f%%", result.test.accuracy, result.sparsity * 100)
                if !resumed { text += String(format: ", %.0f s", result.trainingSeconds) }
            } else {
                text += ": training"
            }
            if let secondsLeft { text += String(format: "; about %@ left", Self.duration(secondsLeft)) }
            return text
        }

        static func duration(_ seconds: Double) -> String {
            seconds >= 90 ? String(format: "%.0f min", seconds / 60) : String(format: "%.0f s", seconds)
        }
    }

    /// The file of a run's result.
    public func resultPath(_ run: SweepConfiguration.Run) -> String {
        ArticleExperiment.path(ArticleExperiment.path(directory, "runs"), "\(run.id).json")
    }

    /// The directory holding a run's checkpoint while it trains.
    public func partialDirectory(_ run: SweepConfiguration.Run) -> String {
        ArticleExperiment.path(ArticleExperiment.path(directory, "runs"), "\(run.id).partial")
    }

    /// The sensitivity analysis file.
    public var sensitivityPath: String { ArticleExperiment.path(directory, "sensitivity.json") }

    /// A finished run's result, if its file exists and records the same configuration.
    public func finished(_ run: SweepConfiguration.Run) -> SweepRunResult? {
        guard let data = FileManager.default.contents(atPath: resultPath(run)),
              let result = try? JSONDecoder().decode(SweepRunResult.self, from: data), result.run == run else { return nil }
        return result
    }

    /// The stored sensitivity analysis, if any.
    public var storedSensitivity: SensitivityAnalysis? {
        FileManager.default.contents(atPath: sensitivityPath).flatMap { try? JSONDecoder().decode(SensitivityAnalysis.self, from: $0) }
    }

    /// Checks every run before training any (parameters, data, schedules, the directory), then
    /// trains the runs not finished yet, storing each result as it finishes. The sensitivity
    /// analysis runs on the model of the first baseline run, right after it is trained (that
    /// run is trained again on resuming only if the analysis is missing).
    ///
    /// - Parameters:
    ///   - callbacks: More callbacks for every run's training, run after its checkpoint is saved.
    ///   - progress: Called before and after every run.
    /// - Throws: ``ReportError`` naming the run and what is wrong, before any training.
    public func run(callbacks: [any Callback] = [], progress: (Progress) -> Void = { _ in }) throws -> SweepFindings {
        try configuration.validate()
        let runs = configuration.runs
        var prepared: [String: PreparedExperiment] = [:]
        for run in runs where finished(run) == nil {
            do { prepared[run.id] = try ArticleExperiment(configuration: run.configuration).prepare() } catch {
                throw ReportError.invalidParameter("sweep run \(run.id): \(error.description)")
            }
        }
        let analysed = runs.first { $0.isBaseline }
        if let analysed, storedSensitivity?.run != analysed.id, prepared[analysed.id] == nil {
            prepared[analysed.id] = try ArticleExperiment(configuration: analysed.configuration).prepare()
        }
        try ReportFiles.checkWritable(directory: ArticleExperiment.path(directory, "runs"))

        var results: [SweepRunResult] = []
        var trainedSeconds = 0.0, trainedEpochs = 0
        var remainingEpochs = runs.filter { prepared[$0.id] != nil }.reduce(0) { $0 + $1.configuration.epochs }
        func left() -> Double? {
            trainedEpochs > 0 ? trainedSeconds / Double(trainedEpochs) * Double(remainingEpochs) : nil
        }
        for (offset, run) in runs.enumerated() {
            let needsSensitivity = run == analysed && storedSensitivity?.run != run.id
            if let done = finished(run), !needsSensitivity {
                results.append(done)
                progress(Progress(run: run, index: offset + 1, count: runs.count, result: done, resumed: true, secondsLeft: left()))
                continue
            }
            guard let experiment = prepared[run.id] else { continue }
            progress(Progress(run: run, index: offset + 1, count: runs.count, result: nil, resumed: false, secondsLeft: left()))
            let trained = try train(run, experiment, callbacks: callbacks)
            let result = SweepRunResult(run: run, test: trained.results.test, sparsity: trained.results.sparsity.totalSparsity,
                                        trainingSeconds: trained.results.trainingSeconds, dataSource: experiment.data.source)
            try ReportFiles.writeJSON(result, to: resultPath(run))
            if needsSensitivity {
                let analysis = try SensitivityAnalysis.measure(trained.model, run: run.id, levels: configuration.sensitivityLevels,
                                                               on: experiment.data.test)
                try ReportFiles.writeJSON(analysis, to: sensitivityPath)
            }
            try? FileManager.default.removeItem(atPath: partialDirectory(run))
            results.append(result)
            trainedSeconds += trained.results.trainingSeconds
            trainedEpochs += run.configuration.epochs
            remainingEpochs -= run.configuration.epochs
            progress(Progress(run: run, index: offset + 1, count: runs.count, result: result, resumed: false, secondsLeft: left()))
        }
        try ReportFiles.writeJSON(configuration, to: ArticleExperiment.path(directory, "sweep.json"))
        return SweepFindings(configuration: configuration, results: results, sensitivity: storedSensitivity)
    }

    /// Trains `run`, saving a checkpoint after every epoch in its partial directory, and continues
    /// from the checkpoint there when it was left by the same run's configuration (an interrupted
    /// sweep); a checkpoint of another configuration is discarded.
    private func train(_ run: SweepConfiguration.Run, _ experiment: PreparedExperiment,
                       callbacks: [any Callback]) throws -> TrainedModel {
        let partial = partialDirectory(run), stored = ArticleExperiment.path(partial, "run.json")
        let resuming = FileManager.default.contents(atPath: stored)
            .flatMap { try? JSONDecoder().decode(SweepConfiguration.Run.self, from: $0) } == run
        if !resuming { try? FileManager.default.removeItem(atPath: partial) }
        try ReportFiles.createDirectory(partial)
        try ReportFiles.writeJSON(run, to: stored)
        return try experiment.train(run.isBaseline ? .baseline : .pruned, checkpointDirectory: partial,
                                    callbacks: callbacks, resuming: resuming)
    }

    /// The findings of the runs stored in the directory, without training.
    public func storedFindings() throws(ReportError) -> SweepFindings {
        let results = configuration.runs.compactMap(finished)
        guard !results.isEmpty else {
            throw .unreadableLog(path: ArticleExperiment.path(directory, "runs"), detail: "no finished sweep runs for this configuration")
        }
        return SweepFindings(configuration: configuration, results: results, sensitivity: storedSensitivity)
    }
}

import Foundation
import PruneKit

/// The article's experiment: the CNN trained with gradual magnitude pruning, and the same CNN
/// trained without it as the baseline, with every figure the report shows written to a log
/// directory (`pruned/` and `baseline/` summaries, and `results.json`).
public struct ArticleExperiment: Sendable {
    /// The experiment's parameters.
    public var configuration: ExperimentConfiguration

    /// The name of the results file in the log directory.
    public static let resultsFileName = "results.json"

    public init(configuration: ExperimentConfiguration = ExperimentConfiguration()) {
        self.configuration = configuration
    }

    /// Trains, evaluates and logs both models into `logDirectory`, printing progress as it goes.
    ///
    /// - Throws: ``ReportError`` for bad data or parameters and files that cannot be written.
    @discardableResult
    public func run(logDirectory: String, verbose: Bool = true) throws -> ExperimentResults {
        let mnist = try MNIST.load(fromOptional: configuration.dataPath)
        let fitCount = configuration.fitCount(trainingImages: mnist.train.count)
        let stepsPerEpoch = configuration.stepsPerEpoch(trainingImages: mnist.train.count)
        let totalSteps = stepsPerEpoch * configuration.epochs
        let schedule: any PruningSchedule
        do { schedule = try configuration.makeSchedule(totalSteps: totalSteps) } catch {
            throw ReportError.invalidParameter("pruning schedule over \(totalSteps) steps (--begin \(configuration.begin), --end \(configuration.end)): \(error)")
        }
        func say(_ line: String) { if verbose { print(line) } }
        say("Data: \(mnist.source)")

        var model = try Sequential.articleCNN(inputShape: mnist.train.imageShape, classes: mnist.train.classCount,
                                              seed: configuration.seed)
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
        say(model.summary())

        say("\nPruned model: \(schedule.summary), steps \(schedule.beginStep)–\(schedule.endStep) of \(totalSteps)")
        let pruned = try train(try model.pruned(with: schedule), on: mnist, logs: Self.path(logDirectory, "pruned"),
                               frequency: .steps(1), verbose: verbose)
        say(String(format: "Pruned CNN - Test loss: %.4f / Test accuracy: %.4f", pruned.test.loss, pruned.test.accuracy))

        var baseline: RunResults?
        if configuration.baseline {
            say("\nBaseline (unpruned) model")
            baseline = try train(model, on: mnist, logs: Self.path(logDirectory, "baseline"), frequency: .epoch, verbose: verbose)
            say(String(format: "CNN - Test loss: %.4f / Test accuracy: %.4f", baseline!.test.loss, baseline!.test.accuracy))
        }

        let results = ExperimentResults(
            configuration: configuration, dataSource: mnist.source, trainingImages: mnist.train.count, fitImages: fitCount,
            validationImages: mnist.train.count - fitCount, testImages: mnist.test.count, modelSummary: model.summary(),
            stepsPerEpoch: stepsPerEpoch, totalSteps: totalSteps, beginStep: schedule.beginStep, endStep: schedule.endStep,
            pruned: pruned, baseline: baseline, finished: ISO8601DateFormatter().string(from: Date()),
            cores: ProcessInfo.processInfo.activeProcessorCount)
        try ReportFiles.writeJSON(results, to: Self.path(logDirectory, Self.resultsFileName))
        return results
    }

    /// Trains `model` with summaries into `logs`, then scores and measures it.
    private func train(_ model: Sequential, on mnist: MNIST, logs: String, frequency: PruningSummaries.UpdateFrequency,
                       verbose: Bool) throws -> RunResults {
        var model = model
        let started = Date()
        let history = try model.fit(mnist.train, batchSize: configuration.batchSize, epochs: configuration.epochs,
                                    validationSplit: configuration.validationSplit, seed: configuration.seed, verbose: verbose,
                                    callbacks: [PruningSummaries(logDirectory: logs, updateFrequency: frequency)])
        let seconds = Date().timeIntervalSince(started)
        let table = model.sparsityTable()
        if verbose, model.pruning != nil { print(table) }
        let final = model.strippingPruning()
        let size = try final.storageSize(encoding: .dense)
        return RunResults(test: try final.evaluate(mnist.test), sparsity: table, fileBytes: size.fileBytes,
                          gzipBytes: size.gzipBytes, imagesPerSecond: history.imagesPerSecond, trainingSeconds: seconds)
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

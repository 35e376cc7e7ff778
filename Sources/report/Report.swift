import ArgumentParser
import Foundation
import PruneKit

/// `swift run report`: the article's experiment, pruned with tfmot's schedule, and its results.
@main
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Train the article's CNN with gradual magnitude pruning and report what pruning did.",
        discussion: """
        With no arguments, trains on the MNIST sample bundled with PruneKit (4,000 training images, \
        20% of them held out for validation; 1,000 test images) for 30 epochs with batch size 250, \
        pruned with PolynomialDecay from 0 to 87.5% sparsity between 20% and 100% of the training \
        steps, masks updated every 100 steps, as the article does.
        """)

    @OptionGroup var experiment: ExperimentOptions

    mutating func validate() throws { try experiment.validate() }

    func run() throws {
        let mnist = try experiment.loadData()
        print("Data: \(mnist.source)")
        var model = try Sequential.articleCNN(inputShape: mnist.train.imageShape, classes: mnist.train.classCount,
                                              seed: experiment.seed)
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
        print(model.summary())

        let trainingCount = Int((Double(mnist.train.count) * (1 - ExperimentOptions.validationSplit)).rounded(.down))
        let schedule = try experiment.schedule(trainingCount: trainingCount)
        print("Pruning: \(ExperimentOptions.describe(schedule)); logs in \(experiment.logDirectory)")
        model = try model.pruned(with: schedule)
        let summaries = PruningSummaries(logDirectory: experiment.logDirectory, updateFrequency: .steps(1))
        let history = try model.fit(mnist.train, batchSize: experiment.batchSize, epochs: experiment.epochs,
                                    validationSplit: ExperimentOptions.validationSplit, seed: experiment.seed,
                                    callbacks: [summaries])
        print(String(format: "Training: median epoch %.2f s (validation included), %.0f images/s",
                     history.medianEpochSeconds, history.imagesPerSecond))
        print(model.sparsityTable())
        let score = try model.strippingPruning().evaluate(mnist.test)
        print(String(format: "Pruned CNN - Test loss: %.4f / Test accuracy: %.4f", score.loss, score.accuracy))
    }
}

import ArgumentParser
import Foundation
import PruneKit

/// `swift run report`: trains the article's CNN and prints its test score.
@main
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Train the article's CNN on MNIST and report how it scores.",
        discussion: """
        With no arguments, trains on the MNIST sample bundled with PruneKit (4,000 training images, \
        20% of them held out for validation; 1,000 test images) for 30 epochs with batch size 250, \
        as the article does, and prints the test loss and accuracy.
        """)

    @Option(name: .long, help: ArgumentHelp("A directory with the four MNIST IDX files (raw or .gz), or Keras's mnist.npz.", valueName: "dir"))
    var data: String?

    @Option(help: "Passes over the training data.")
    var epochs = 30

    @Option(name: .customLong("batch-size"), help: "Images per gradient step.")
    var batchSize = 250

    @Option(help: "Seed of weight initialisation, shuffling and dropout.")
    var seed: UInt64 = 1

    mutating func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
    }

    func run() throws {
        let mnist = try data.map { try MNIST.load(from: $0) } ?? MNIST.load()
        print("Data: \(mnist.source)")
        var model = try Sequential.articleCNN(inputShape: mnist.train.imageShape, classes: mnist.train.classCount, seed: seed)
        print(model.summary())
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
        let history = try model.fit(mnist.train, batchSize: batchSize, epochs: epochs, validationSplit: 0.2)
        print(String(format: "Training: median epoch %.2f s (validation included), %.0f images/s",
                     history.medianEpochSeconds, history.imagesPerSecond))
        let score = try model.evaluate(mnist.test)
        print(String(format: "CNN - Test loss: %.4f / Test accuracy: %.4f", score.loss, score.accuracy))
    }
}

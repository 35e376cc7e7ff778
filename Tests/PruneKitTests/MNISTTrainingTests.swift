import Testing
@testable import PruneKit

/// The article's CNN learns real digits: a short run on a slice of the bundled sample.
@Suite struct MNISTTrainingTests {
    @Test func articleCNNLearnsDigits() throws {
        let mnist = try MNIST.load()
        var model = try Sequential.articleCNN(seed: 3)
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
        let history = try model.fit(mnist.train.slice(0 ..< 1_200), batchSize: 100, epochs: 2,
                                    validationSplit: 1.0 / 6, verbose: false)
        #expect(history.trainingCount == 1_000)
        #expect(history.validationCount == 200)
        #expect(history.loss[1] < history.loss[0])
        let score = try model.evaluate(mnist.test.slice(0 ..< 500))
        // Chance is 10%; two epochs over 1,000 digits reach about 80%.
        #expect(score.accuracy > 0.6)
        #expect(score.loss < 1.2)
    }
}

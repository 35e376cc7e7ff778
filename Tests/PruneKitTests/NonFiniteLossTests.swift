import Foundation
import Testing
@testable import PruneKit

/// A loss that becomes NaN or infinite stops `fit` with an error saying where, not a history of NaNs.
@Suite struct NonFiniteLossTests {
    /// A dense model whose Adam steps are so large that the second batch's logits overflow.
    func explodingModel() -> Sequential {
        var model = Sequential(seed: 3) {
            Flatten()
            Dense(4, activation: .softmax)
        }
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam(learningRate: 1e37), metrics: [.accuracy])
        return model
    }

    @Test func explodingLossNamesEpochStepAndLastCheckpoint() throws {
        let dir = try TemporaryDirectory()
        let data = try quadrantDataset(count: 32, seed: 5)
        var model = explodingModel()
        let checkpoint = ModelCheckpoint(path: dir.path("model-{epoch}.prunekit"))
        let error = #expect(throws: ModelError.self) {
            try model.fit(data, batchSize: 32, epochs: 5, verbose: false, callbacks: [checkpoint])
        }
        guard case .nonFiniteLoss(let loss, epoch: 1, epochs: 5, batch: 0, step: 1, let last)? = error else {
            Issue.record("expected a non-finite loss at epoch 1, step 1; got \(String(describing: error))")
            return
        }
        #expect(!loss.isFinite)
        #expect(last == dir.path("model-1.prunekit"))
        let message = String(describing: error!)
        #expect(message.contains("step 1 (epoch 2/5, batch 1)"))
        #expect(message.contains("the last good checkpoint is \(dir.path("model-1.prunekit"))"))
        // The good checkpoint resumes; the model keeps the weights the failing batch started from.
        #expect(try Checkpoint(contentsOf: last!).epochsCompleted == 1)
        #expect(model.optimizer?.iterations == 1)
    }

    @Test func withoutACheckpointTheErrorSaysSo() throws {
        let data = try quadrantDataset(count: 32, seed: 5)
        var model = explodingModel()
        let error = #expect(throws: ModelError.self) {
            try model.fit(data, batchSize: 16, epochs: 3, verbose: false)
        }
        guard case .nonFiniteLoss(_, epoch: 0, epochs: 3, batch: 1, step: 1, lastCheckpoint: nil)? = error else {
            Issue.record("expected a non-finite loss at epoch 0, batch 1; got \(String(describing: error))")
            return
        }
        #expect(String(describing: error!).contains("no checkpoint was saved"))
    }

    @Test func validationLossThatOverflowsStopsAfterTheEpoch() throws {
        // One batch per epoch: the first update makes the weights huge, so validation overflows at once.
        let data = try quadrantDataset(count: 40, seed: 5)
        var model = explodingModel()
        let error = #expect(throws: ModelError.self) {
            try model.fit(data, batchSize: 32, epochs: 2, validationSplit: 0.2, verbose: false)
        }
        guard case .nonFiniteLoss(_, epoch: 0, epochs: 2, batch: nil, step: 1, lastCheckpoint: nil)? = error else {
            Issue.record("expected a non-finite validation loss after epoch 0; got \(String(describing: error))")
            return
        }
        #expect(String(describing: error!).contains("validation loss"))
    }

    @Test func finiteTrainingIsUntouched() throws {
        let data = try quadrantDataset(count: 64, seed: 5)
        var model = smallCNN()
        let history = try model.fit(data, batchSize: 16, epochs: 2, verbose: false)
        #expect(history.epochs.allSatisfy { $0.loss.isFinite })
    }
}

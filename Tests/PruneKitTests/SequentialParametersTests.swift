import Testing
@testable import PruneKit

/// The model keeps its layers, names, optimizer state and pruning masks in step through its
/// public API.
@Suite struct SequentialParametersTests {
    @Test func setParametersReplacesOneLayersWeights() throws {
        var model = smallCNN()
        try model.build(inputShape: [12, 12, 1])
        let dense = model.layers[4].parameters
        let kernel = Tensor(shape: dense[0].shape, scalars: (0 ..< dense[0].count).map { Float($0) })
        try model.setParameters([kernel, dense[1]], ofLayer: "dense")
        #expect(model.layers[4].parameters == [kernel, dense[1]])
        #expect(model.layers[0].parameters == smallCNN().built([12, 12, 1]).layers[0].parameters, "other layers are untouched")
    }

    @Test func setParametersRejectsWhatDoesNotFitNamingTheLayer() throws {
        var unbuilt = smallCNN()
        #expect(throws: ModelError.notBuilt) { try unbuilt.setParameters([], ofLayer: "dense") }
        var model = smallCNN().built([12, 12, 1])
        let before = model.layers.map(\.parameters)
        let dense = model.layers[4].parameters
        #expect(throws: ModelError.unknownLayer(name: "dense_7", available: ["conv2d", "max_pooling2d", "dropout", "flatten", "dense"])) {
            try model.setParameters(dense, ofLayer: "dense_7")
        }
        #expect(throws: ModelError.parameterMismatch(layer: "dense", detail: "1 tensors given, the layer has 2")) {
            try model.setParameters([dense[0]], ofLayer: "dense")
        }
        #expect(throws: ModelError.parameterMismatch(layer: "dense", detail: "bias has shape [5], the layer needs [4]")) {
            try model.setParameters([dense[0], Tensor(zeros: [5])], ofLayer: "dense")
        }
        #expect(throws: ModelError.parameterMismatch(layer: "flatten", detail: "1 tensors given, the layer has 0")) {
            try model.setParameters([dense[1]], ofLayer: "flatten")
        }
        #expect(model.layers.map(\.parameters) == before, "a refused replacement changes nothing")
    }

    @Test func setParametersKeepsPrunedWeightsAtZero() throws {
        var model = try smallCNN().built([12, 12, 1]).pruned(with: try ConstantSparsity(targetSparsity: 0.5, beginStep: 0, frequency: 1))
        try model.fit(try quadrantDataset(count: 10, seed: 2), batchSize: 10, epochs: 1, verbose: false)
        let mask = try #require(model.pruning?.layers.last?.mask)
        #expect(mask.zeroFraction == 0.5)
        let dense = model.layers[4].parameters
        try model.setParameters([Tensor(repeating: 1, shape: dense[0].shape), dense[1]], ofLayer: "dense")
        #expect(model.layers[4].parameters[0] == mask, "the new kernel is all ones where the mask keeps weights, zero elsewhere")
    }

    @Test func fitRefusesAnOptimizerWithAnotherModelsState() throws {
        var trained = smallCNN()
        try trained.fit(try quadrantDataset(count: 10, seed: 3), batchSize: 10, epochs: 1, verbose: false)
        var other = Sequential(seed: 2) {
            Flatten()
            Dense(4, activation: .softmax)
        }
        other.compile(loss: .categoricalCrossentropy, optimizer: try #require(trained.optimizer))
        let before = other.built([12, 12, 1])
        let data = try quadrantDataset(count: 10, seed: 3)
        var error: ModelError?
        do { try other.fit(data, batchSize: 10, epochs: 1, verbose: false) } catch let thrown { error = thrown }
        guard case .incompatibleOptimizer(let detail)? = error else {
            Issue.record("expected incompatibleOptimizer, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("Adam holds state for other parameters than this model's 2 ([[144, 4], [4]])"))
        #expect(other.layers.map(\.parameters) == before.layers.map(\.parameters), "nothing was trained")
        // A fresh optimizer, or one trained on this very model, is accepted.
        try trained.fit(try quadrantDataset(count: 10, seed: 3), batchSize: 10, epochs: 2, verbose: false, initialEpoch: 1)
        #expect(trained.optimizer?.iterations == 2)
    }

    @Test func aCallbackCannotSwapInAModelOfAnotherArchitecture() throws {
        final class Swap: Callback {
            func batchBegin(_ state: inout TrainingState) throws {
                var other = Sequential(seed: 2) {
                    Flatten()
                    Dense(4, activation: .softmax)
                }
                other.compile(loss: .categoricalCrossentropy, optimizer: Adam())
                try other.build(inputShape: [12, 12, 1])
                state.model = other
            }
        }
        var model = smallCNN()
        #expect(throws: ModelError.callbackFailed(callback: "Swap", detail: "it replaced the model with one of another architecture")) {
            try model.fit(try quadrantDataset(count: 10, seed: 4), batchSize: 10, epochs: 1, verbose: false, callbacks: [Swap()])
        }
    }

    @Test func kernelLookupsAnswerNilOrThrowInsteadOfTrapping() throws {
        let model = smallCNN().built([12, 12, 1])
        #expect(model.kernel(of: 1) == nil, "MaxPool2D has no kernel")
        #expect(model.kernels.map(\.layer) == [0, 4])
        let pruned = try model.pruned(with: try ConstantSparsity(targetSparsity: 0.5, beginStep: 0))
        let state = try #require(pruned.pruning)
        let unbuilt = smallCNN()
        #expect(throws: PruningError.notPrunable(layer: "conv2d", type: "Conv2D")) { try unbuilt.prunedKernels(of: state) }
    }
}

extension Sequential {
    /// This model built for inputs of `inputShape`, for tests that know the shape fits.
    func built(_ inputShape: [Int]) -> Sequential {
        var copy = self
        try? copy.build(inputShape: inputShape)
        return copy
    }
}

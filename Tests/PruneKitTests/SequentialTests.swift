import Testing
@testable import PruneKit

/// Images whose class is the quadrant holding a bright square: learnable in a few epochs.
func quadrantDataset(count: Int, seed: UInt64) throws -> Dataset {
    var generator = SplitMix64(seed: seed)
    var pixels = [UInt8](repeating: 0, count: count * 12 * 12)
    var labels = [UInt8]()
    for n in 0 ..< count {
        let label = Int(generator.next() % 4)
        labels.append(UInt8(label))
        let (top, left) = (label / 2 * 6 + 1, label % 2 * 6 + 1)
        for y in 0 ..< 12 {
            for x in 0 ..< 12 {
                let inside = (top ..< top + 4).contains(y) && (left ..< left + 4).contains(x)
                pixels[n * 144 + y * 12 + x] = UInt8(truncatingIfNeeded: (inside ? 160 : 0) + Int(generator.next() % 60))
            }
        }
    }
    return try Dataset(pixels: pixels, labels: labels, imageShape: [12, 12, 1], classCount: 4)
}

func smallCNN(seed: UInt64 = 1) -> Sequential {
    var model = Sequential(seed: seed) {
        Conv2D(filters: 4, kernelSize: 3, activation: .relu)
        MaxPool2D(poolSize: 2)
        Dropout(0.1)
        Flatten()
        Dense(4, activation: .softmax)
    }
    model.compile(loss: .categoricalCrossentropy, optimizer: Adam(learningRate: 0.01), metrics: [.accuracy])
    return model
}

@Suite struct SequentialTests {
    @Test func articleCNNHasKerasShapesAndParameterCount() throws {
        let model = try Sequential.articleCNN()
        let shapes = try model.activationShapes()
        #expect(shapes == [[28, 28, 1], [26, 26, 32], [13, 13, 32], [13, 13, 32], [11, 11, 64], [5, 5, 64],
                           [5, 5, 64], [1600], [256], [10]])
        // Keras's model.summary(): 320 + 18,496 + 409,856 + 2,570.
        #expect(model.layers.map(\.parameterCount) == [320, 0, 0, 18_496, 0, 0, 0, 409_856, 2_570])
        #expect(model.parameterCount == 431_242)
        #expect(model.layerNames == ["conv2d", "max_pooling2d", "dropout", "conv2d_1", "max_pooling2d_1",
                                     "dropout_1", "flatten", "dense", "dense_1"])
    }

    @Test func summaryListsLayersAndTotals() throws {
        let summary = try Sequential.articleCNN().summary()
        #expect(summary.contains("conv2d_1 (Conv2D)"))
        #expect(summary.contains("(None, 11, 11, 64)"))
        #expect(summary.contains("409,856"))
        #expect(summary.contains("Total params: 431,242 (1.65 MB)"))
    }

    @Test func glorotUniformStaysWithinKerasLimit() throws {
        let model = try Sequential.articleCNN()
        let kernel = model.layers[7].parameters[0]
        let limit = Float((6.0 / Double(1600 + 256)).squareRoot())
        #expect(kernel.scalars.allSatisfy { abs($0) <= limit })
        #expect(kernel.scalars.max()! > limit * 0.99)
        #expect(model.layers[7].parameters[1].scalars.allSatisfy { $0 == 0 })
    }

    @Test func incompatibleShapeIsReported() {
        #expect(throws: ModelError.self) {
            _ = try Sequential(inputShape: [2, 2, 1]) { Conv2D(filters: 1, kernelSize: 3) }
        }
        #expect(throws: ModelError.self) {
            _ = try Sequential(inputShape: [4, 4, 1]) { Dense(3) }
        }
    }

    @Test func fitRequiresCompileAndValidArguments() throws {
        let data = try quadrantDataset(count: 20, seed: 1)
        var model = Sequential { Flatten(); Dense(4, activation: .softmax) }
        #expect(throws: ModelError.notCompiled) { try model.fit(data, verbose: false) }
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam())
        #expect(throws: ModelError.self) { try model.fit(data, batchSize: 0, verbose: false) }
        #expect(throws: ModelError.self) { try model.fit(data, validationSplit: 1, verbose: false) }
        #expect(throws: ModelError.self) { try model.fit(data, validationSplit: -0.1, verbose: false) }
    }

    @Test func stepsFollowKerasSplitRule() {
        // The article's runs: 4,000 → 3,200 trained in 13 steps; Fashion 60,000 → 48,000 in 192.
        #expect(Sequential.trainingCount(samples: 4_000, validationSplit: 0.2) == 3_200)
        #expect(Sequential.stepsPerEpoch(samples: 4_000, batchSize: 250, validationSplit: 0.2) == 13)
        #expect(Sequential.stepsPerEpoch(samples: 60_000, batchSize: 250, validationSplit: 0.2) == 192)
        // ⌊10 · 0.75⌋ = 7 trained, in batches of 3: 3 steps.
        #expect(Sequential.stepsPerEpoch(samples: 10, batchSize: 3, validationSplit: 0.25) == 3)
    }

    @Test func trainingLearnsAndKeepsKerasValidationSplit() throws {
        let data = try quadrantDataset(count: 400, seed: 2)
        var model = smallCNN()
        let history = try model.fit(data, batchSize: 32, epochs: 6, validationSplit: 0.25, verbose: false)
        #expect(history.epochs.count == 6)
        #expect(history.loss.last! < history.loss.first!)
        // Chance is 25%.
        #expect(history.validationAccuracy.last! > 0.9)
        let score = try model.evaluate(data.slice(300 ..< 400))
        #expect(score.count == 100)
        #expect(abs(score.accuracy - history.validationAccuracy.last!) < 1e-12)
        #expect(abs(score.loss - history.validationLoss.last!) < 1e-9)
    }

    @Test func sameSeedGivesBitIdenticalWeights() throws {
        let data = try quadrantDataset(count: 100, seed: 3)
        var first = smallCNN(seed: 9), second = smallCNN(seed: 9), other = smallCNN(seed: 10)
        let a = try first.fit(data, batchSize: 16, epochs: 2, verbose: false)
        let b = try second.fit(data, batchSize: 16, epochs: 2, verbose: false)
        try other.fit(data, batchSize: 16, epochs: 2, verbose: false)
        #expect(a.loss == b.loss)
        #expect(first.layers.map(\.parameters) == second.layers.map(\.parameters))
        #expect(first.layers.map(\.parameters) != other.layers.map(\.parameters))
    }

    @Test func predictGivesProbabilities() throws {
        let data = try quadrantDataset(count: 7, seed: 4)
        var model = smallCNN()
        try model.build(inputShape: [12, 12, 1])
        let probabilities = try model.predict(data, batchSize: 3)
        #expect(probabilities.shape == [7, 4])
        for row in 0 ..< 7 {
            let sum = probabilities.scalars[row * 4 ..< row * 4 + 4].reduce(0, +)
            #expect(abs(sum - 1) < 1e-5)
        }
    }

    @Test func callbacksSeeEveryStepAndCanStopTraining() throws {
        final class Recorder: Callback {
            var events: [String] = []
            func trainBegin(_ state: inout TrainingState) { events.append("train") }
            func epochBegin(_ state: inout TrainingState) { events.append("epoch \(state.epoch)") }
            func batchEnd(_ state: inout TrainingState) {
                events.append("step \(state.step)")
                if state.step == 4 { state.stopTraining = true }
            }
            func trainEnd(_ state: inout TrainingState) { events.append("end") }
        }
        let recorder = Recorder()
        var model = smallCNN()
        // 30 samples, batch 10: 3 steps per epoch; training stops after step 4, in epoch 1.
        let history = try model.fit(try quadrantDataset(count: 30, seed: 5), batchSize: 10, epochs: 5, verbose: false,
                                    callbacks: [recorder])
        #expect(recorder.events == ["train", "epoch 0", "step 0", "step 1", "step 2", "epoch 1", "step 3", "step 4", "end"])
        #expect(history.epochs.count == 2)
        #expect(model.optimizer?.iterations == 5)
    }

    @Test func callbacksCanChangeWeights() throws {
        final class ZeroFirstKernel: Callback {
            func batchEnd(_ state: inout TrainingState) throws {
                let parameters = state.model.layers[0].parameters
                try state.model.setParameters([Tensor(zeros: parameters[0].shape), parameters[1]], ofLayer: "conv2d")
            }
        }
        var model = smallCNN()
        try model.fit(try quadrantDataset(count: 20, seed: 6), batchSize: 10, epochs: 1, verbose: false,
                      callbacks: [ZeroFirstKernel()])
        #expect(model.layers[0].parameters[0].zeroFraction == 1)
    }
}

import Testing
@testable import PruneKit

@Suite struct Int8QuantizationTests {
    @Test func scalesArePerOutputChannelAndRoundingIsAwayFromZero() throws {
        // Shape [2, 2]: channel 0 holds 1 and 0.25, channel 1 holds −0.5 and 2.
        let kernel = try #require(Int8Tensor(quantizing: Tensor(shape: [2, 2], scalars: [1, -0.5, 0.25, 2])))
        // scale = max |w| / 127 per channel.
        #expect(kernel.scales == [Float(1) / 127, Float(2) / 127])
        // 0.25 · 127 = 31.75 → 32; −0.5 · 63.5 = −31.75 → −32; the largest of each channel → 127.
        #expect(kernel.values == [127, -32, 32, 127])
        #expect(kernel.dequantized.scalars == [127 * kernel.scales[0], -32 * kernel.scales[1], 32 * kernel.scales[0], 127 * kernel.scales[1]])

        // Exact halves (scale 1) round away from zero: 2.5 → 3, −2.5 → −3, 0.5 → 1.
        let halves = try #require(Int8Tensor(quantizing: Tensor(shape: [4, 1], scalars: [127, 2.5, -2.5, 0.5])))
        #expect(halves.scales == [1])
        #expect(halves.values == [127, 3, -3, 1])

        // An all-zero channel gets scale 1 and stays zero; −0.0 becomes 0.
        let zeros = try #require(Int8Tensor(quantizing: Tensor(shape: [2, 2], scalars: [0, 3, -0.0, -3])))
        #expect(zeros.scales == [1, Float(3) / 127])
        #expect(zeros.values == [0, 127, 0, -127])
        #expect(zeros.nonZeroCount == 2)

        #expect(Int8Tensor(quantizing: Tensor(shape: [2], scalars: [1, .nan])) == nil)
        #expect(Int8Tensor(quantizing: Tensor(shape: [2], scalars: [1, -.infinity])) == nil)
        #expect(Int8Tensor(quantizing: Tensor(shape: [0], scalars: [])) == nil)
    }

    @Test func errorIsAtMostHalfAScaleAndZerosStayZero() throws {
        let model = try magnitudePruned(try Sequential.articleCNN(seed: 7), sparsity: 0.875)
        let quantized = try model.quantizedToInt8()
        for (index, kernel) in try model.int8Kernels() {
            let original = try #require(model.kernel(of: index)), restored = try #require(quantized.kernel(of: index))
            let channels = kernel.scales.count
            #expect(channels == original.shape.last)
            for i in original.scalars.indices {
                // Half a step, give or take float32 rounding of w / scale and of q · scale.
                #expect(abs(original.scalars[i] - restored.scalars[i]) <= kernel.scales[i % channels] * 0.5001)
                if original.scalars[i] == 0 { #expect(restored.scalars[i].bitPattern == 0) }
            }
            // Every channel that pruning left any weight in uses the full range: its largest
            // magnitude maps to ±127; channels pruned away entirely stay zero with scale 1.
            for channel in 0 ..< channels {
                let largest = stride(from: channel, to: kernel.values.count, by: channels).map { abs(Int(kernel.values[$0])) }.max()
                let kept = stride(from: channel, to: original.count, by: channels).contains { original.scalars[$0] != 0 }
                #expect(largest == (kept ? 127 : 0))
                if !kept { #expect(kernel.scales[channel] == 1) }
            }
        }
        // Biases are not quantized.
        #expect(quantized.layers.map { $0.parameters.dropFirst().map(\.scalars) } == model.layers.map { $0.parameters.dropFirst().map(\.scalars) })

        var broken = model
        var parameters = broken.layers[3].parameters
        parameters[0].scalars[5] = .nan
        broken.layers[3].parameters = parameters
        #expect(throws: ModelError.invalidArgument(name: "conv2d_1/kernel", value: "with an infinite or NaN weight",
                                                   allowed: "finite to be quantized to int8")) { try broken.quantizedToInt8() }
    }

    @Test func compressionStagesMeasureEachStep() throws {
        let data = try quadrantDataset(count: 40, seed: 3), test = try quadrantDataset(count: 40, seed: 4)
        var dense = smallCNN(seed: 2)
        try dense.build(inputShape: [12, 12, 1])
        var pruned = try dense.pruned(with: try ConstantSparsity(targetSparsity: 0.8, beginStep: 0, frequency: 1))
        try pruned.fit(data, batchSize: 10, epochs: 2, verbose: false)
        try dense.fit(data, batchSize: 10, epochs: 2, verbose: false)

        let stages = try CompressionStages(model: pruned, dense: dense, testData: test).stages
        #expect(stages.map(\.name) == ["dense float32", "pruned float32", "sparse", "sparse + int8"])
        let stripped = pruned.strippingPruning()
        #expect(stages[0].fileBytes == stages[1].fileBytes)
        #expect(stages[1].gzipBytes < stages[0].gzipBytes)
        #expect(stages[2].fileBytes < stages[1].fileBytes && stages[3].fileBytes < stages[2].fileBytes)
        #expect(stages[2].fileBytes == (try stripped.storageSize()).fileBytes)
        #expect(stages[3].fileBytes == (try stripped.storageSize(encoding: .sparseInt8)).fileBytes)
        #expect(stages[0].testAccuracy == (try dense.evaluate(test)).accuracy)
        #expect(stages[1].testAccuracy == (try stripped.evaluate(test)).accuracy)
        #expect(stages[2].testAccuracy == nil)
        #expect(stages[3].testAccuracy == (try stripped.quantizedToInt8().evaluate(test)).accuracy)
        #expect(try CompressionStages(model: pruned, dense: dense, testData: nil).stages.allSatisfy { $0.testAccuracy == nil })
        let all = try CompressionStages(model: pruned, dense: dense, testData: nil)
        #expect(all.reduction(of: all.stages[0]) == 1)
        #expect(all.reduction(of: all.stages[3]) == Double(all.stages[0].fileBytes) / Double(all.stages[3].fileBytes))
    }
}

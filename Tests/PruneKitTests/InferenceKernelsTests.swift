import Testing
@testable import PruneKit

/// The inference kernels kept across calls (``InferenceKernels``) are never stale: after a
/// prediction, new weights for a sparse layer (other kept positions and values) and a copy of
/// the model changed on its own both predict what a fresh model with those weights predicts on
/// dense kernels, and the unchanged original keeps its own predictions.
@Suite struct InferenceKernelsTests {
    @Test func changedWeightsAreNeverServedStale() throws {
        var generator = SplitMix64(seed: 41)
        let pixels = (0 ..< 5 * 784).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let data = try Dataset(pixels: pixels, labels: (0 ..< 5).map { UInt8($0) }, imageShape: [28, 28, 1])
        var model = try Sequential.articleCNN()
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam())
        func sparsify(_ model: inout Sequential, keepEvery step: Int) throws {
            for index in model.layers.indices where model.layers[index].prunableParameterIndex != nil {
                let kernel = model.layers[index].parameters[0]
                let scalars = kernel.scalars.indices.map { $0 % step == 0 ? kernel.scalars[$0] * Float(step) : 0 }
                try model.setParameters([Tensor(shape: kernel.shape, scalars: scalars), model.layers[index].parameters[1]],
                                        ofLayer: model.layerNames[index])
            }
        }
        try sparsify(&model, keepEvery: 8)
        let before = try model.predict(data, kernels: .automatic)
        #expect(before.scalars == (try model.predict(data, kernels: .dense)).scalars)
        var changed = model
        try sparsify(&changed, keepEvery: 7)
        let after = try changed.predict(data, kernels: .automatic)
        #expect(after.scalars == (try changed.predict(data, kernels: .dense)).scalars)
        #expect(after.scalars != before.scalars)
        #expect(try model.predict(data, kernels: .automatic).scalars == before.scalars)
    }
}

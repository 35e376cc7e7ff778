import Testing
import _PruneKitKernels
@testable import PruneKit

/// Inference's shortcuts (Sources/PruneKit/Model/Workspace.swift) against running every layer on
/// its own: a Conv2D fused with the MaxPool2D after it (dense im2col + GEMM, sparse channel-major
/// products for small batches, and 16 samples per vector for larger ones), Dropout and Flatten skipped, and a single sample through a sparse
/// Dense layer (pk_spmv) — bit for bit, on every fused multiply-add GEMM path, one test each (those this
/// CPU lacks are reported as skipped). Shapes include conv outputs that pooling does not tile, pool
/// windows other than 2 × 2, filter counts that do not fill a vector, and kernels unpruned, mostly
/// pruned and fully pruned.
struct InferenceFusionTests {
    /// (input shape, conv1 filters, conv2 filters, pool window, activation).
    static let models: [([Int], Int, Int, (Int, Int), Activation)] = [
        ([28, 28, 1], 32, 64, (2, 2), .relu),   // the article's CNN
        ([13, 11, 3], 5, 13, (2, 2), .relu),    // conv outputs 11×9 and 4×3: rows and columns left over
        ([16, 17, 2], 8, 3, (3, 2), .linear),   // a 3×2 window, linear convolutions
        ([9, 9, 1], 1, 17, (1, 1), .relu),      // a 1×1 window
        ([9, 8, 40], 6, 5, (2, 2), .relu),      // a 360-element patch: sums over two K blocks
        ([12, 12, 2], 7, 9, (2, 2), .linear),   // 2 × 2 windows without ReLU
        ([6, 22, 40], 4, 3, (1, 4), .relu),     // windows wider than avx2's accumulators for two K blocks
    ]

    @Test(.enabled(if: pk_sgemm_supports("avx512") == 1, "this CPU has no AVX-512F"))
    func avx512() throws { try checkEveryShortcut(on: "avx512") }
    @Test(.enabled(if: pk_sgemm_supports("avx2+fma") == 1, "this CPU has no AVX2 with FMA"))
    func avx2() throws { try checkEveryShortcut(on: "avx2+fma") }
    @Test(.enabled(if: pk_sgemm_supports("neon") == 1, "not an AArch64 build"))
    func neon() throws { try checkEveryShortcut(on: "neon") }

    private func checkEveryShortcut(on path: String) throws {
        #expect(pk_sgemm_select(path) == 0)
        defer { _ = pk_sgemm_select(nil) }
        try fusedInferenceEqualsLayerByLayer(path)
        try poolingAsTheLastLayerRunsOnItsOwn(path)
        try singleSampleDenseEqualsDenseProducts(path)
    }

    private func fusedInferenceEqualsLayerByLayer(_ path: String) throws {
        var generator = SplitMix64(seed: 21)
        for (shape, filters1, filters2, pool, activation) in Self.models {
            for density in [1, 0.125, 0] {
                var model = try Sequential(inputShape: shape, seed: 7) {
                    Conv2D(filters: filters1, kernelSize: 3, activation: activation)
                    MaxPool2D(poolSize: pool)
                    Dropout(0.25)
                    Conv2D(filters: filters2, kernelSize: (2, 2), activation: activation)
                    MaxPool2D(poolSize: pool)
                    Flatten()
                    Dropout(0.5)
                    Dense(33, activation: .relu)
                    Dense(10, activation: .softmax)
                }
                model.compile(loss: .categoricalCrossentropy, optimizer: Adam())
                try randomize(&model, density: density, generator: &generator)
                // 37 samples: two full groups of 16 lanes (pk_spconv_pool_lanes) and a partial one.
                for batch in [1, 7, 37] {
                    let input = (0 ..< batch * shape.reduce(1, *)).map { _ in SplitMix64.unitFloat(generator.next()) }
                    for policy in [KernelPolicy.dense, .automatic, .sparse] {
                        let label = "\(path) \(shape) \(pool) \(activation) density \(density) batch \(batch) \(policy)"
                        let fused = try inference(model, input: input, batch: batch, policy: policy)
                        let reference = try layerByLayer(model, input: input, batch: batch, policy: policy)
                        #expect(fused.map(\.bitPattern) == reference.map(\.bitPattern), "\(label)")
                    }
                }
            }
        }
    }

    /// A MaxPool2D that ends the model is not fused (the model's output buffer is its own).
    private func poolingAsTheLastLayerRunsOnItsOwn(_ path: String) throws {
        var generator = SplitMix64(seed: 22)
        var model = try Sequential(inputShape: [10, 10, 2], seed: 3) {
            Conv2D(filters: 6, kernelSize: 3, activation: .relu)
            MaxPool2D(poolSize: 2)
        }
        try randomize(&model, density: 0.1, generator: &generator)
        let input = (0 ..< 3 * 200).map { _ in SplitMix64.unitFloat(generator.next()) }
        for policy in [KernelPolicy.dense, .automatic, .sparse] {
            #expect(try inference(model, input: input, batch: 3, policy: policy)
                == layerByLayer(model, input: input, batch: 3, policy: policy), "\(path) \(policy)")
        }
    }

    /// pk_spmv (a sparse Dense layer's single sample) against pk_spmm's bits, through the dense
    /// GEMM: inner dimensions over one and over two 320-element K blocks, outputs that do not fill
    /// a vector, inputs that are half exact zeros (skipped), empty rows and columns.
    private func singleSampleDenseEqualsDenseProducts(_ path: String) throws {
        var generator = SplitMix64(seed: 23)
        for (inputs, units) in [(1, 1), (7, 3), (333, 10), (700, 37), (1600, 256)] {
            for density in [1, 0.5, 0.125, 0.03, 0] {
                var layer = Dense(units, activation: .relu)
                layer.build(inputShape: [inputs], generator: &generator)
                var kernel = layer.parameters[0].scalars
                for i in kernel.indices where Double(SplitMix64.unitFloat(generator.next())) >= density { kernel[i] = 0 }
                if inputs > 2 { for n in 0 ..< units { kernel[2 * units + n] = 0 } }      // an empty row
                for k in 0 ..< inputs { kernel[k * units + units / 2] = 0 }               // an empty column
                layer.parameters[0] = Tensor(shape: [inputs, units], scalars: kernel)
                layer.parameters[1] = Tensor(shape: [units], scalars: (0 ..< units).map { _ in SplitMix64.unitFloat(generator.next()) - 0.5 })
                let input = (0 ..< inputs).map { _ in
                    let value = SplitMix64.unitFloat(generator.next()) * 2 - 1
                    return value < 0 ? 0 : value
                }
                let sparse = kernel.withUnsafeBufferPointer { SparseKernel(kept: $0, rows: inputs, columns: units) }
                let dense = forward(layer, input: input, units: units, kernel: nil)
                let single = forward(layer, input: input, units: units, kernel: sparse)
                #expect(dense.map(\.bitPattern) == single.map(\.bitPattern), "\(path) \(inputs)→\(units) density \(density)")
            }
        }
    }

    /// The article CNN, pruned: the first convolution hands its pooled output to the second in
    /// the layout that one reads, and the second to the first Dense layer, past Dropout and
    /// Flatten; nothing is handed over when a consumer runs dense.
    @Test func handoffsOfThePrunedArticleCNN() throws {
        var generator = SplitMix64(seed: 25)
        var model = try Sequential.articleCNN(seed: 5)
        try randomize(&model, density: 0.125, generator: &generator)
        let shapes = try model.activationShapes()
        let handoffs = model.planesHandoffs(kernels: model.layerKernels(.automatic, freezingWeights: true), shapes: shapes)
        #expect(handoffs.map { [$0.producer, $0.consumer] } == [[0, 3], [3, 7]])
        if case .convolution(let layout) = handoffs.first?.layout {
            #expect(layout.geometry.channels == 32 && layout.geometry.inputWidth == 13)
        } else {
            Issue.record("conv2d hands over to conv2d_1 in its wide layout")
        }
        if case .dense(let features) = handoffs.last?.layout { #expect(features == 1600) } else {
            Issue.record("conv2d_1 hands over to dense as feature rows")
        }
        #expect(model.planesHandoffs(kernels: model.layerKernels(.dense, freezingWeights: true), shapes: shapes).isEmpty)
    }

    /// A convolution whose lane groups hold more floats than 32-bit offsets reach runs on its
    /// per-sample kernels, so it neither hands over nor receives lane groups; the next one still can.
    @Test func noLaneHandoffPastThirtyTwoBitOffsets() throws {
        #expect(!Conv2D.LaneLayout(shape: [2048, 2048, 40]).hasInt32Offsets)
        #expect(Conv2D.LaneLayout(shape: [1023, 1023, 4]).hasInt32Offsets)
        var generator = SplitMix64(seed: 26)
        var model = try Sequential(inputShape: [2048, 2048, 40], seed: 3) {
            Conv2D(filters: 4, kernelSize: 3, activation: .relu)
            MaxPool2D(poolSize: 2)
            Dropout(0.25)
            Conv2D(filters: 2, kernelSize: 3, activation: .relu)
            MaxPool2D(poolSize: 2)
            Flatten()
            Dropout(0.5)
            Dense(3, activation: .relu)
            Dense(2, activation: .softmax)
        }
        try randomize(&model, density: 0.125, generator: &generator)
        let handoffs = model.planesHandoffs(kernels: model.layerKernels(.sparse, freezingWeights: true), shapes: try model.activationShapes())
        #expect(handoffs.map { [$0.producer, $0.consumer] } == [[3, 7]])
    }

    /// The compressed layout's scan (pk_nonzero_positions) at widths around its 64-column words.
    @Test func keptPositionsAtEveryWordBoundary() {
        var generator = SplitMix64(seed: 24)
        for columns in [1, 63, 64, 65, 130] {
            let kept = (0 ..< 3 * columns).map { _ in Float(generator.next() % 4 == 0 ? 0 : 1) * (generator.next() % 2 == 0 ? 1 : -0.0) }
            let sparse = kept.withUnsafeBufferPointer { SparseKernel(kept: $0, rows: 3, columns: columns) }
            let expected = kept.indices.filter { kept[$0] != 0 }
            #expect(sparse.rowEntryPositions == expected.map { Int32($0) }, "\(columns) columns")
            #expect(sparse.rowEntryRows == expected.map { Int32($0 / columns) })
            #expect(sparse.rowEntryColumns == expected.map { Int32($0 % columns) })
        }
    }
}

// MARK: - Helpers

/// Random weights with about `1 − density` of each kernel zero, and non-zero biases.
private func randomize(_ model: inout Sequential, density: Double, generator: inout SplitMix64) throws {
    for (index, layer) in model.layers.enumerated() where !layer.parameters.isEmpty {
        let kernel = layer.parameters[0].scalars.map { value in
            Double(SplitMix64.unitFloat(generator.next())) < density ? value : 0
        }
        let bias = layer.parameters[1].scalars.map { _ in SplitMix64.unitFloat(generator.next()) * 0.2 - 0.1 }
        try model.setParameters([Tensor(shape: layer.parameters[0].shape, scalars: kernel),
                                 Tensor(shape: layer.parameters[1].shape, scalars: bias)], ofLayer: model.layerNames[index])
    }
}

/// The model's inference output through its workspace (fused and skipped layers).
private func inference(_ model: Sequential, input: [Float], batch: Int, policy: KernelPolicy) throws -> [Float] {
    let workspace = try Workspace(model: model, capacity: batch, training: false, kernels: policy)
    input.withUnsafeBufferPointer { workspace.activations[0].baseAddress!.update(from: $0.baseAddress!, count: input.count) }
    model.forward(workspace, batchSize: batch, training: false)
    return Array(workspace.activation(model.layers.count, batchSize: batch))
}

/// Every layer's own `forward` in turn, outside training, each into its own buffer.
private func layerByLayer(_ model: Sequential, input: [Float], batch: Int, policy: KernelPolicy) throws -> [Float] {
    let shapes = try model.activationShapes()
    let kernels = model.layerKernels(policy, freezingWeights: true)
    var values = input
    for (index, layer) in model.layers.enumerated() {
        var output = [Float](repeating: .nan, count: batch * shapes[index + 1].reduce(1, *))
        values.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                var pass = ForwardPass(batchSize: batch, inputShape: shapes[index], outputShape: shapes[index + 1], input: input,
                                       output: output, training: false, randomKey: 0)
                pass.kernel = kernels[index]
                layer.forward(pass)
            }
        }
        values = output
    }
    return values
}

/// One sample through `layer`, dense (`kernel` nil) or on `kernel`.
private func forward(_ layer: Dense, input: [Float], units: Int, kernel: SparseKernel?) -> [Float] {
    var output = [Float](repeating: .nan, count: units)
    input.withUnsafeBufferPointer { input in
        output.withUnsafeMutableBufferPointer { output in
            var pass = ForwardPass(batchSize: 1, inputShape: [input.count], outputShape: [units], input: input, output: output,
                                   training: false, randomKey: 0)
            pass.kernel = kernel.map { .sparse($0) } ?? .gemm
            layer.forward(pass)
        }
    }
    return output
}

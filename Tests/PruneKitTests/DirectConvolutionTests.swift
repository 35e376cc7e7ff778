import Testing
import _PruneKitKernels
@testable import PruneKit

/// The direct convolution (pk_conv_direct, ``LayerKernel/direct``) against im2col + GEMM, bit for
/// bit: on its own (products, then bias and activation), fused with a MaxPool2D, in the
/// backward pass (pk_conv_direct_kernel_gradient when the filters fill vectors), and in whole
/// training runs where it is fused with its pooling, on every
/// fused multiply-add GEMM path, one test each (those this CPU lacks are reported as skipped).
/// Shapes: one and several channels, square and oblong windows, filter counts around the 16-lane
/// vectors and past four of them, a patch over two 320-element K blocks, batches of 1 and 3;
/// kernels unpruned, mostly pruned and fully pruned, with an empty patch row and an empty filter;
/// inputs with exact zeros and −0.
struct DirectConvolutionTests {
    /// (input shape, kernel window, filters).
    static let shapes: [([Int], (Int, Int), Int)] = [
        ([28, 28, 1], (3, 3), 32),   // the article's first convolution
        ([9, 7, 1], (3, 3), 1),
        ([8, 9, 2], (2, 3), 17),
        ([6, 6, 3], (1, 1), 16),
        ([7, 5, 1], (3, 2), 70),     // five vectors: a group of four, then one
        ([5, 6, 40], (3, 3), 33),    // 360 inputs per output: two K blocks
        ([5, 6, 40], (3, 3), 48),    // the same with three full vectors (direct kernel gradient)
        ([9, 7, 2], (2, 3), 16),
    ]

    @Test(.enabled(if: pk_sgemm_supports("avx512") == 1, "this CPU has no AVX-512F"))
    func avx512() throws { try check(on: "avx512") }
    @Test(.enabled(if: pk_sgemm_supports("avx2+fma") == 1, "this CPU has no AVX2 with FMA"))
    func avx2() throws { try check(on: "avx2+fma") }
    @Test(.enabled(if: pk_sgemm_supports("neon") == 1, "not an AArch64 build"))
    func neon() throws { try check(on: "neon") }

    private func check(on path: String) throws {
        #expect(pk_sgemm_select(path) == 0)
        defer { _ = pk_sgemm_select(nil) }
        try layerMatchesGEMM(path)
        try trainingFusedWithPoolingMatchesLayerByLayer(path)
    }

    /// Training runs each convolution followed by a MaxPool2D fused with it, its backward pass
    /// taking the gradient back through the pooling from the switches its forward pass recorded.
    /// The same models with a `Dropout(0)` (an identity, which draws nothing) between each
    /// convolution and its pooling run every layer on its own (no other layer draws random
    /// numbers, whose keys would move with the layers' indices): trained on `.dense` (im2col + GEMM), they give the bits of the
    /// fused models on `.dense` and on `.automatic` (direct, sparse and GEMM kernels): every
    /// weight and loss. The models cover a ReLU and a linear convolution, a 3 × 2 window with rows
    /// and columns left over, filters that do not fill vectors (the kernel gradient then on GEMM),
    /// a fused convolution with an input gradient (the second), the first convolution pruned to
    /// 87.5% (a sparse forward pass on lane groups, a direct backward pass), the second pruned
    /// (288 inputs per output: sparse forward and backward passes, against the layer-by-layer run
    /// on `.automatic`), a batch that spans several chunks and a last batch that is smaller.
    private func trainingFusedWithPoolingMatchesLayerByLayer(_ path: String) throws {
        let models: [([Int], (_ separated: Bool) throws -> Sequential)] = [
            ([14, 14, 1], { separated in try Sequential(inputShape: [14, 14, 1], seed: 4) {
                Conv2D(filters: 32, kernelSize: 3, activation: .relu)
                if separated { Dropout(0) }
                MaxPool2D(poolSize: 2)
                Conv2D(filters: 16, kernelSize: 3, activation: .relu)
                if separated { Dropout(0) }
                MaxPool2D(poolSize: 2)
                Flatten()
                Dense(10, activation: .softmax)
            } }),
            ([11, 9, 2], { separated in try Sequential(inputShape: [11, 9, 2], seed: 5) {
                Conv2D(filters: 17, kernelSize: (3, 2), activation: .linear)
                if separated { Dropout(0) }
                MaxPool2D(poolSize: (3, 2))
                Flatten()
                Dense(10, activation: .softmax)
            } }),
            ([12, 12, 1], { separated in try Self.twoFusedConvolutions(inputShape: [12, 12, 1], seed: 6, separated: separated) }),
        ]
        // A fused second convolution whose batch spans several chunks: its input gradient is
        // written into the buffer its pooled gradient is read from.
        let chunked: ([Int], (Bool) throws -> Sequential) = ([28, 28, 1], { separated in
            try Self.twoFusedConvolutions(inputShape: [28, 28, 1], seed: 7, separated: separated)
        })
        // The first model again with its first convolution pruned to 87.5% from the first step:
        // its forward pass then runs sparse on lane groups, recording its switches, and its
        // backward pass directly, with the dense kernels' bits.
        let prunedFirst: ([Int], (Bool) throws -> Sequential) = ([14, 14, 1], { separated in
            try models[0].1(separated).pruned(with: ConstantSparsity(targetSparsity: 0.875, beginStep: 0, frequency: 1),
                                              layers: ["conv2d"])
        })
        // With its second convolution (288 inputs per output) pruned instead: sparse forward and
        // backward passes, whose weight gradient (at kept positions only) is not the dense one's
        // bits, so the reference is the same model run layer by layer on `.automatic`.
        let prunedSecond: ([Int], (Bool) throws -> Sequential) = ([14, 14, 1], { separated in
            try models[0].1(separated).pruned(with: ConstantSparsity(targetSparsity: 0.875, beginStep: 0, frequency: 1),
                                              layers: ["conv2d_1"])
        })
        for (index, (shape, makeModel)) in (models + [prunedFirst, chunked, prunedSecond]).enumerated() {
            var generator = SplitMix64(seed: 40 + UInt64(index))
            let count = index == models.count + 1 ? 300 : 23
            let pixels = (0 ..< count * shape.reduce(1, *)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let labels = (0 ..< count).map { _ in UInt8(generator.next() % 10) }
            let data = try Dataset(pixels: pixels, labels: labels, imageShape: shape)
            var trained: [[UInt32]] = [], losses: [[Double]] = []
            let runs: [(separated: Bool, policy: KernelPolicy)] = index == models.count + 2
                ? [(true, .automatic), (false, .automatic)] : [(true, .dense), (false, .dense), (false, .automatic)]
            for (separated, policy) in runs {
                var model = try makeModel(separated)
                model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
                let fused = model.layers.indices.filter { model.fusedPooling(at: $0, training: true) != nil }
                #expect(fused.isEmpty == separated, "\(path) model \(index): convolutions fused in training: \(fused)")
                let history = try model.fit(data, batchSize: count > 23 ? 250 : 5, epochs: 2, verbose: false, kernels: policy)
                trained.append(model.layers.flatMap(\.parameters).flatMap(\.scalars).map(\.bitPattern))
                losses.append(history.epochs.map(\.loss))
            }
            for run in 1 ..< trained.count {
                let differing = zip(trained[0], trained[run]).filter { $0 != $1 }.count
                #expect(differing == 0, "\(path) model \(index) run \(run): \(differing) of \(trained[0].count) weights differ")
                #expect(losses[0] == losses[run], "\(path) model \(index) run \(run): losses")
            }
        }
    }

    /// Two convolutions with few inputs per output (4 and 16), each followed by a MaxPool2D.
    /// With `separated`, a `Dropout(0)` between each convolution and its pooling.
    private static func twoFusedConvolutions(inputShape: [Int], seed: UInt64, separated: Bool) throws -> Sequential {
        try Sequential(inputShape: inputShape, seed: seed) {
            Conv2D(filters: 4, kernelSize: 2, activation: .relu)
            if separated { Dropout(0) }
            MaxPool2D(poolSize: 2)
            Conv2D(filters: 16, kernelSize: 2, activation: .relu)
            if separated { Dropout(0) }
            MaxPool2D(poolSize: 2)
            Flatten()
            Dense(10, activation: .softmax)
        }
    }

    /// After the first mask update the pruned first convolution runs sparse and fused.
    @Test func prunedFirstConvolutionTrainsSparseAndFused() throws {
        guard pk_sparse_available() != 0 else { return }
        var model = try Sequential(inputShape: [14, 14, 1], seed: 4) {
            Conv2D(filters: 32, kernelSize: 3, activation: .relu)
            MaxPool2D(poolSize: 2)
            Flatten()
            Dense(10, activation: .softmax)
        }.pruned(with: ConstantSparsity(targetSparsity: 0.875, beginStep: 0, frequency: 1), layers: ["conv2d"])
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam())
        try model.advancePruning()
        let kernels = model.layerKernels(.automatic)
        #expect(kernels[0].sparse != nil)
        #expect(model.fusedPooling(at: 0, training: true) != nil)
    }

    private func layerMatchesGEMM(_ path: String) throws {
        var generator = SplitMix64(seed: 31)
        for (shape, window, filters) in Self.shapes {
            for density in [1, 0.125, 0] {
                for activation in [Activation.relu, .linear] {
                    var layer = Conv2D(filters: filters, kernelSize: window, activation: activation)
                    layer.build(inputShape: shape, generator: &generator)
                    let patch = window.0 * window.1 * shape[2]
                    var kernel = layer.parameters[0].scalars.map { Double(SplitMix64.unitFloat(generator.next())) < density ? $0 : 0 }
                    if patch > 1 { for f in 0 ..< filters { kernel[patch / 2 * filters + f] = 0 } }  // an empty patch row
                    for k in 0 ..< patch { kernel[k * filters + filters - 1] = 0 }                    // an empty filter
                    layer.parameters[0] = Tensor(shape: layer.parameters[0].shape, scalars: kernel)
                    layer.parameters[1] = Tensor(shape: [filters], scalars: (0 ..< filters).map { _ in SplitMix64.unitFloat(generator.next()) - 0.5 })
                    let outputShape = try layer.outputShape(for: shape)
                    for batch in [1, 3] {
                        let input = (0 ..< batch * shape.reduce(1, *)).map { _ -> Float in
                            let value = SplitMix64.unitFloat(generator.next()) * 2 - 1
                            return value < -0.8 ? 0 : value < -0.6 ? -0.0 : value
                        }
                        let label = "\(path) \(shape) \(window) \(filters) filters density \(density) \(activation) batch \(batch)"
                        for pool in [nil, (2, 2), (3, 2)] as [(Int, Int)?] {
                            if let pool, outputShape[0] < pool.0 || outputShape[1] < pool.1 { continue }
                            let gemm = convolutionForward(layer, input: input, inputShape: shape, batch: batch, kernel: .gemm, pooling: pool)
                            let direct = convolutionForward(layer, input: input, inputShape: shape, batch: batch, kernel: .direct, pooling: pool)
                            #expect(gemm.map(\.bitPattern) == direct.map(\.bitPattern), "\(label) pool \(String(describing: pool))")
                        }
                        // The backward pass: kernel, bias and input gradients.
                        let gemmGradients = gradients(layer, input: input, inputShape: shape, batch: batch, kernel: .gemm)
                        let directGradients = gradients(layer, input: input, inputShape: shape, batch: batch, kernel: .direct)
                        for (name, a, b) in zip3(["kernel", "bias", "input"], gemmGradients, directGradients) {
                            #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "\(label) \(name) gradient")
                        }
                    }
                }
            }
        }
    }
}

/// `layer`'s kernel, bias and input gradients on `kernel` for a random output gradient (rows of
/// 3 × 676 = 2,028 im2col rows for the article's shape at batch 3: seven K blocks).
private func gradients(_ layer: Conv2D, input: [Float], inputShape: [Int], batch: Int, kernel: LayerKernel) -> [[Float]] {
    let outputCount = batch * (try! layer.outputShape(for: inputShape)).reduce(1, *)
    var generator = SplitMix64(seed: 77)
    let outputGradient = (0 ..< outputCount).map { _ in SplitMix64.unitFloat(generator.next()) - 0.5 }
    return convolutionGradients(layer, input: input, inputShape: inputShape, batch: batch, outputGradient: outputGradient,
                                kernel: kernel)
}

private func zip3<A, B, C>(_ a: [A], _ b: [B], _ c: [C]) -> [(A, B, C)] {
    zip(a, zip(b, c)).map { ($0, $1.0, $1.1) }
}

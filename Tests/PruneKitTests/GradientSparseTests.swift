import Testing
import _PruneKitKernels
@testable import PruneKit

/// A convolution's backward pass over its output gradient's non-zeros (``GradientEntries``,
/// ``LayerKernel/gradientSparse``) against im2col + GEMM, bit for bit, on every fused
/// multiply-add GEMM path (those this CPU lacks are reported as skipped): the entry lists against
/// a plain scan; the kernel, bias and input gradients of single layers, with gradients as max
/// pooling leaves them (about one position in seven non-zero), all zero, with −0, and mostly non-zero
/// (where the layer falls back to GEMM); rows over several K blocks (the kernel gradient's
/// inner dimension) and filters over two (the input gradient's); and whole training runs.
struct GradientSparseTests {
    /// (input shape, kernel window, filters, batch); every patch fills 16-lane vectors.
    static let shapes: [([Int], (Int, Int), Int, Int)] = [
        ([13, 13, 32], (3, 3), 64, 3),   // the article's second convolution: 363 rows, two K blocks
        ([5, 6, 16], (3, 3), 33, 1),     // filters that do not fill vectors
        ([7, 9, 48], (2, 3), 20, 2),     // an oblong window, a 288-element patch
        ([4, 4, 16], (1, 1), 330, 2),    // 330 filters: the input gradient's sums over two K blocks
        ([24, 24, 16], (3, 3), 16, 2),   // 968 rows: four K blocks
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
        entryListsMatchScan(path)
        try layerMatchesGEMM(path)
        try trainingMatchesDense(path)
    }

    /// The lists of ``pk_nonzero_entries`` hold exactly the non-zeros of each row, columns
    /// ascending, and each row's columns are cut as pk_sgemm cuts K.
    private func entryListsMatchScan(_ path: String) {
        var generator = SplitMix64(seed: 12)
        for (rows, columns) in [(1, 1), (7, 3), (700, 5), (3, 700), (650, 330)] {
            let values = (0 ..< rows * columns).map { _ -> Float in
                let u = SplitMix64.unitFloat(generator.next())
                return u < 0.6 ? 0 : u < 0.65 ? -0.0 : u - 0.5
            }
            guard let entries = values.withUnsafeBufferPointer({ GradientEntries($0.baseAddress!, rows: rows, columns: columns,
                                                                                  maximumDensity: 1) }) else {
                Issue.record("\(path) \(rows)×\(columns): no entries")
                continue
            }
            let label = "\(path) \(rows)×\(columns)"
            let block = pk_sgemm_k_block()
            #expect(entries.rowBlocks == (rows + block - 1) / block && entries.columnBlocks == (columns + block - 1) / block, "\(label)")
            let blocks = entries.columnBlocks
            var expected: [[(Int, Float)]] = Array(repeating: [], count: rows * blocks)
            for r in 0 ..< rows {
                for n in 0 ..< columns where values[r * columns + n] != 0 {
                    let b = (0 ..< blocks).last { b in b * (columns / blocks) + min(b, columns % blocks) <= n }!
                    expected[r * blocks + b].append((n, values[r * columns + n]))
                }
            }
            let lists = (0 ..< entries.starts.count - 1).map { list in
                (Int(entries.starts[list]) ..< Int(entries.starts[list + 1])).map { (Int(entries.entryColumns[$0]), entries.values[$0]) }
            }
            // At most as many non-zeros as the density allows: lists; one more: none.
            let count = values.filter { $0 != 0 }.count
            values.withUnsafeBufferPointer { values in
                let exact = (Double(count) + 0.5) / Double(rows * columns), fewer = (Double(count) - 0.5) / Double(rows * columns)
                #expect(GradientEntries(values.baseAddress!, rows: rows, columns: columns, maximumDensity: exact) != nil, "\(label)")
                #expect(count == 0 || GradientEntries(values.baseAddress!, rows: rows, columns: columns, maximumDensity: fewer) == nil,
                        "\(label)")
            }
            let differing = lists.count != expected.count ? max(lists.count, expected.count)
                : zip(lists, expected).filter { $0.map(\.0) != $1.map(\.0) || $0.map(\.1.bitPattern) != $1.map(\.1.bitPattern) }.count
            #expect(differing == 0, "\(label): \(differing) of \(expected.count) lists differ")
        }
    }

    private func layerMatchesGEMM(_ path: String) throws {
        var generator = SplitMix64(seed: 21)
        for (shape, window, filters, batch) in Self.shapes {
            var layer = Conv2D(filters: filters, kernelSize: window, activation: .relu)
            layer.build(inputShape: shape, generator: &generator)
            let input = (0 ..< batch * shape.reduce(1, *)).map { _ -> Float in
                let value = SplitMix64.unitFloat(generator.next()) * 2 - 1
                return value < -0.7 ? 0 : value
            }
            let outputShape = try layer.outputShape(for: shape)
            let count = batch * outputShape.reduce(1, *)
            // Kept: about one position in seven (as behind 2 × 2 max pooling, ReLU and dropout), none,
            // and nine in ten (GEMM then).
            for (name, keeps) in [("pooled", 0.15), ("zero", 0), ("dense", 0.9)] {
                let gradient = (0 ..< count).map { _ -> Float in
                    let u = SplitMix64.unitFloat(generator.next())
                    return Double(u) >= keeps ? (u < 0.9 ? 0 : -0.0) : SplitMix64.unitFloat(generator.next()) - 0.5
                }
                let label = "\(path) \(shape) \(window) \(filters) filters batch \(batch) \(name) gradient"
                let usesEntries = gradient.withUnsafeBufferPointer {
                    GradientEntries($0.baseAddress!, rows: count / filters, columns: filters) != nil
                }
                #expect(usesEntries == (keeps < GradientEntries.maximumDensity), "\(label): runs over the entries")
                let gemm = convolutionGradients(layer, input: input, inputShape: shape, batch: batch, outputGradient: gradient, kernel: .gemm)
                let sparse = convolutionGradients(layer, input: input, inputShape: shape, batch: batch, outputGradient: gradient,
                                       kernel: .gradientSparse)
                for (part, a, b) in zip(["kernel", "bias", "input"], zip(gemm, sparse)).map({ ($0, $1.0, $1.1) }) {
                    let differing = zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count
                    #expect(differing == 0, "\(label): \(differing) of \(a.count) \(part) gradients differ")
                }
            }
        }
    }

    /// The article's CNN scaled down, unpruned and pruned to 50%: its second convolution runs on
    /// ``LayerKernel/gradientSparse`` under `.automatic`, and every weight and loss equals `.dense`'s.
    private func trainingMatchesDense(_ path: String) throws {
        for sparsity in [0, 0.5] {
            var generator = SplitMix64(seed: 60)
            let count = 40
            let pixels = (0 ..< count * 16 * 16).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let labels = (0 ..< count).map { _ in UInt8(generator.next() % 10) }
            let data = try Dataset(pixels: pixels, labels: labels, imageShape: [16, 16, 1])
            var trained: [[UInt32]] = [], losses: [[Double]] = []
            for policy in [KernelPolicy.dense, .automatic] {
                var model = try Sequential(inputShape: [16, 16, 1], seed: 8) {
                    Conv2D(filters: 32, kernelSize: 3, activation: .relu)
                    MaxPool2D(poolSize: 2)
                    Conv2D(filters: 32, kernelSize: 3, activation: .relu)
                    MaxPool2D(poolSize: 2)
                    Flatten()
                    Dense(10, activation: .softmax)
                }
                if sparsity > 0 { model = try model.pruned(with: ConstantSparsity(targetSparsity: sparsity, beginStep: 0, frequency: 1)) }
                model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
                if policy == .automatic {
                    #expect(model.layerKernels(.automatic)[2].isGradientSparse, "\(path): the second convolution skips gradient zeros")
                }
                let history = try model.fit(data, batchSize: 20, epochs: 2, verbose: false, kernels: policy)
                trained.append(model.layers.flatMap(\.parameters).flatMap(\.scalars).map(\.bitPattern))
                losses.append(history.epochs.map(\.loss))
            }
            let differing = zip(trained[0], trained[1]).filter { $0 != $1 }.count
            #expect(differing == 0, "\(path) sparsity \(sparsity): \(differing) of \(trained[0].count) weights differ")
            #expect(losses[0] == losses[1], "\(path) sparsity \(sparsity): losses")
        }
    }
}

import Testing
import _PruneKitKernels
@testable import PruneKit

/// The sparse products of Dense and Conv2D (Sources/PruneKit/Sparse) against the dense im2col +
/// GEMM path: forward outputs and input gradients bit for bit, the kernel gradient bit for bit
/// against pk_sddmm's 16-lane contract written out in Swift (and close to the dense gradient),
/// on every fused multiply-add GEMM path this CPU runs. Shapes include sizes that do not fill a
/// vector of 16 rows, inner dimensions over one 320-element K block, empty rows and columns, and
/// kernels kept entirely, half, mostly pruned and fully pruned.
struct SparseKernelTests {
    /// Kept fractions of the masks tried: unpruned, half, 12.5%, 3% and fully pruned.
    static let densities: [Double] = [1, 0.5, 0.125, 0.03, 0]

    @Test func denseLayerMatchesDenseProducts() throws {
        var generator = SplitMix64(seed: 11)
        // (inputs, units, batch): 333 inputs span two K blocks; batch 1, 17 and 70 leave partial vectors.
        for (inputs, units, batch) in [(1, 1, 1), (7, 3, 5), (333, 10, 17), (64, 33, 70), (20, 16, 250)] {
            for density in Self.densities {
                try forEachFusedPath { path in
                    let layer = try built(Dense(units, activation: .relu), inputShape: [inputs], generator: &generator)
                    try compare(layer, inputShape: [inputs], batch: batch, density: density, generator: &generator,
                                label: "\(path) Dense \(inputs)→\(units) batch \(batch) density \(density)")
                }
            }
        }
    }

    @Test func convolutionMatchesDenseProducts() throws {
        var generator = SplitMix64(seed: 12)
        // (input shape, filters, kernel): odd planes, a 1×1 output, a 1×1 kernel, the article's conv2 shape
        // (K = 288), a K = 3·3·40 = 360 kernel over two K blocks, and 330 filters, whose input gradient
        // sums over two blocks of filters.
        let cases: [([Int], Int, (Int, Int))] = [([5, 7, 3], 4, (3, 2)), ([4, 4, 1], 2, (4, 4)), ([6, 5, 2], 3, (1, 1)),
                                                 ([13, 13, 32], 64, (3, 3)), ([5, 5, 40], 5, (3, 3)), ([28, 28, 1], 32, (3, 3)),
                                                 ([4, 5, 2], 330, (2, 3))]
        for (shape, filters, kernelSize) in cases {
            // The article's conv2 shape is large for the Swift reference in a debug build: fewer cases.
            let large = shape == [13, 13, 32]
            for density in large ? [1, 0.125, 0] : Self.densities {
                try forEachFusedPath { path in
                    let layer = try built(Conv2D(filters: filters, kernelSize: kernelSize, activation: .relu), inputShape: shape,
                                          generator: &generator)
                    // 17 samples: a group of 16 in the lanes of each vector and a partial one.
                    for batch in large ? [2] : shape == [5, 7, 3] || shape == [5, 5, 40] ? [3, 17] : [3] {
                        try compare(layer, inputShape: shape, batch: batch, density: density, generator: &generator,
                                    label: "\(path) Conv2D \(shape) \(filters)×\(kernelSize) density \(density) batch \(batch)")
                    }
                }
            }
        }
    }

    /// pk_sddmm against its contract written out, for lists of every length from 0 to 19 (every
    /// group size of every path's chains, and more than one group), three segments (the sums wait
    /// in `partial` between them), 37 rows (a partial vector, padded with zeros in `a` and
    /// finite values in `b`), the shared operand at a stride or at unaligned offsets, and the
    /// results in entry order or at given positions.
    @Test func sddmmFollowsItsContract() throws {
        var generator = SplitMix64(seed: 14)
        func random() -> Float { SplitMix64.unitFloat(generator.next()) * 2 - 1 }
        let lengths = Array(0 ... 19), segments = 3, length = 37, padded = 48
        var starts: [Int32] = [0]
        for count in lengths { starts.append(starts.last! + Int32(count)) }
        let entries = Int(starts.last!), columns = lengths.count
        // a: 23 rows of `padded` floats per segment, zero past `length`; each entry reads one row.
        let aRows = 23, aStride = aRows * padded
        let a = (0 ..< segments * aStride).map { $0 % padded < length ? random() : 0 }
        let aOffsets = (0 ..< entries).map { _ in Int32(generator.next() % UInt64(aRows)) }
        // b: finite everywhere; list j's row at j·padded, or at an offset that is rarely a multiple of 16.
        let bStride = columns * padded
        let b = (0 ..< segments * bStride).map { _ in random() }
        let bOffsets = (0 ..< columns).map { _ in Int32(generator.next() % UInt64(bStride - padded)) }
        let positions = (0 ..< entries).map { Int32($0) }.shuffled(using: &generator)
        for shared in [nil, bOffsets] {
            var expected = [Float](repeating: 0, count: entries)
            for column in 0 ..< columns {
                let offset = shared.map { Int($0[column]) } ?? column * padded
                for e in Int(starts[column]) ..< Int(starts[column + 1]) {
                    var lanes = [Float](repeating: 0, count: 16)
                    for segment in 0 ..< segments {
                        for r in 0 ..< padded {
                            lanes[r % 16] = lanes[r % 16].addingProduct(a[segment * aStride + Int(aOffsets[e]) * padded + r],
                                                                        b[segment * bStride + offset + r])
                        }
                    }
                    let h = (0 ..< 8).map { lanes[$0] + lanes[$0 + 8] }
                    let q = (0 ..< 4).map { h[$0] + h[$0 + 4] }
                    expected[e] = (q[0] + q[2]) + (q[1] + q[3])
                }
            }
            try forEachFusedPath { path in
                var inOrder = [Float](repeating: .nan, count: entries), placed = inOrder
                var partial = [Float](repeating: .nan, count: 16 * entries)
                pk_sddmm(columns, 1, starts, aOffsets, padded, a, aStride, b, padded, shared, bStride, segments, length,
                         nil, &partial, &inOrder)
                pk_sddmm(columns, 1, starts, aOffsets, padded, a, aStride, b, padded, shared, bStride, segments, length,
                         positions, &partial, &placed)
                let label = "\(path), shared operand \(shared == nil ? "at a stride" : "at offsets")"
                #expect(bitDifferences(inOrder, expected) == 0, "\(label), entry order")
                #expect(bitDifferences(positions.map { placed[Int($0)] }, expected) == 0, "\(label), at positions")
            }
        }
    }

    /// A convolution whose batch spans several chunks sums per-chunk kernel gradients in chunk order.
    @Test func convolutionOverSeveralChunks() throws {
        var generator = SplitMix64(seed: 13)
        let layer = try built(Conv2D(filters: 2, kernelSize: 3), inputShape: [26, 26, 1], generator: &generator)
        let geometry = Conv2D.Geometry(inputShape: [26, 26, 1], kernelSize: (3, 3))
        #expect(geometry.chunks(batchSize: 64, filters: 2).count > 1)
        try forEachFusedPath { path in
            try compare(layer, inputShape: [26, 26, 1], batch: 64, density: 0.5, generator: &generator, label: "\(path) chunks")
        }
    }

    /// Rows and columns with no kept position, and the blocks they leave empty.
    @Test func emptyRowsAndColumns() throws {
        var generator = SplitMix64(seed: 14)
        let layer = try built(Dense(6), inputShape: [9], generator: &generator)
        var mask = [Float](repeating: 1, count: 54)
        for n in 0 ..< 6 { mask[2 * 6 + n] = 0; mask[7 * 6 + n] = 0 }  // rows 2 and 7
        for k in 0 ..< 9 { mask[k * 6 + 4] = 0 }                      // column 4
        try forEachFusedPath { path in
            try compare(layer, inputShape: [9], batch: 21, mask: mask, generator: &generator, label: "\(path) empty rows/columns")
        }
        let sparse = mask.withUnsafeBufferPointer { SparseKernel(kept: $0, rows: 9, columns: 6) }
        #expect(sparse.count == 54 - 12 - 7)
        #expect(sparse.rowStarts[2 * sparse.columnBlocks + 1] == sparse.rowStarts[2 * sparse.columnBlocks])
        #expect(sparse.columnStarts[4 * sparse.rowBlocks + 1] == sparse.columnStarts[4 * sparse.rowBlocks])
    }

    /// The compressed layout: every kept position once in each order, rows ascending within a
    /// column's block and columns ascending within a row's block, blocks cut as pk_sgemm cuts K.
    @Test func compressedLayoutListsEveryKeptPositionInOrder() {
        var generator = SplitMix64(seed: 15)
        let (rows, columns) = (700, 5)  // 700 rows: three blocks of 234, 233, 233
        let kept = (0 ..< rows * columns).map { _ in Float(generator.next() % 3 == 0 ? 1 : 0) }
        let sparse = kept.withUnsafeBufferPointer { SparseKernel(kept: $0, rows: rows, columns: columns) }
        #expect(sparse.rowBlocks == 3)
        #expect(sparse.count == kept.filter { $0 != 0 }.count)
        #expect(sparse.rowEntryPositions == kept.indices.filter { kept[$0] != 0 }.map { Int32($0) })
        let blockEnds = [234, 467, 700]
        for n in 0 ..< columns {
            var previous = -1
            for block in 0 ..< 3 {
                let entries = Int(sparse.columnStarts[n * 3 + block]) ..< Int(sparse.columnStarts[n * 3 + block + 1])
                for e in entries {
                    let k = Int(sparse.columnEntryRows[e])
                    #expect(k > previous && k < blockEnds[block] && k >= (block == 0 ? 0 : blockEnds[block - 1]))
                    #expect(Int(sparse.columnEntryPositions[e]) == k * columns + n)
                    previous = k
                }
            }
        }
    }

    /// A stripped pruned model predicts the same bits with sparse kernels as with dense ones, and
    /// `.automatic` picks sparse kernels exactly for the layers at or below their crossover: every
    /// layer of the 87.5% model, the first convolution (9 inputs per output) included; below the
    /// crossover that convolution runs direct.
    @Test func modelInferenceIsTheSameOnBothPolicies() throws {
        let data = try syntheticDataset(count: 37, seed: 3)
        var model = try Sequential.articleCNN()
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
        var pruned = try model.pruned(with: ConstantSparsity(targetSparsity: 0.875, beginStep: 0, frequency: 1))
        try pruned.fit(data, batchSize: 16, epochs: 1, verbose: false)
        let stripped = pruned.strippingPruning()
        let chosen = stripped.layerKernels(.automatic).map(\.sparse)
        for (index, layer) in stripped.layers.enumerated() {
            guard layer.prunableParameterIndex != nil else {
                #expect(chosen[index] == nil)
                continue
            }
            let kernel = try #require(stripped.kernel(of: index))
            let expected = pk_sparse_available() != 0
                && KernelPolicy.choosesSparse(layer, density: 1 - kernel.zeroFraction,
                                              inputsPerOutput: kernel.count / kernel.shape.last!)
            #expect((chosen[index] != nil) == expected, "\(stripped.layerNames[index])")
        }
        if pk_sparse_available() != 0 {
            #expect(chosen.indices.filter { chosen[$0] != nil }.map { stripped.layerNames[$0] }
                == ["conv2d", "conv2d_1", "dense", "dense_1"])
            if case .direct = model.layerKernels(.automatic)[0] {} else { Issue.record("the unpruned conv2d runs direct") }
        }
        let conv = Conv2D(filters: 8, kernelSize: 3), dense = Dense(8)
        #expect(KernelPolicy.choosesSparse(dense, density: 0.2, inputsPerOutput: 1))
        #expect(!KernelPolicy.choosesSparse(dense, density: 0.21, inputsPerOutput: 1000))
        #expect(KernelPolicy.choosesSparse(conv, density: 0.1, inputsPerOutput: 63))
        #expect(KernelPolicy.choosesSparse(conv, density: 0.1, inputsPerOutput: 64))
        #expect(!KernelPolicy.choosesSparse(conv, density: 0.21, inputsPerOutput: 64))
        // A small convolution (fewer than 64 inputs per output) runs sparse up to half its kernel kept.
        #expect(KernelPolicy.choosesSparse(conv, density: 0.21, inputsPerOutput: 9))
        #expect(KernelPolicy.choosesSparse(conv, density: 0.5, inputsPerOutput: 63))
        #expect(!KernelPolicy.choosesSparse(conv, density: 0.51, inputsPerOutput: 9))
        #expect(!KernelPolicy.choosesSparse(MaxPool2D(poolSize: 2), density: 0, inputsPerOutput: 1000))
        let denseOutput = try stripped.predict(data, batchSize: 10, kernels: .dense)
        for policy in [KernelPolicy.automatic, .sparse] {
            let sparse = try stripped.predict(data, batchSize: 10, kernels: policy)
            #expect(zip(denseOutput.scalars, sparse.scalars).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(policy)")
            #expect(try stripped.evaluate(data, kernels: policy) == stripped.evaluate(data, kernels: .dense))
        }
    }

    /// Training on sparse kernels is reproducible and stays close to dense training (the kernel
    /// gradient's summation order differs, so the bits may not).
    @Test func trainingOnSparseKernelsIsReproducible() throws {
        let data = try syntheticDataset(count: 48, seed: 4)
        var model = try Sequential(inputShape: [28, 28, 1], seed: 5) {
            Conv2D(filters: 4, kernelSize: 3, activation: .relu)
            MaxPool2D(poolSize: 2)
            Flatten()
            Dense(10, activation: .softmax)
        }
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
        let pruned = try model.pruned(with: ConstantSparsity(targetSparsity: 0.9, beginStep: 1, frequency: 2))
        func train(_ policy: KernelPolicy) throws -> Sequential {
            var copy = pruned
            try copy.fit(data, batchSize: 16, epochs: 2, verbose: false, kernels: policy)
            return copy
        }
        let first = try train(.sparse), second = try train(.sparse), dense = try train(.dense)
        for index in first.layers.indices {
            for (a, b) in zip(first.layers[index].parameters, second.layers[index].parameters) {
                #expect(a.scalars.map(\.bitPattern) == b.scalars.map(\.bitPattern))
            }
            for (a, b) in zip(first.layers[index].parameters, dense.layers[index].parameters) {
                #expect(zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= 1e-3 }, "layer \(index)")
            }
        }
        // Pruned positions stay exactly zero on sparse kernels too.
        for layer in first.pruning!.layers {
            let kernel = try #require(first.kernel(of: layer.layerIndex))
            #expect(zip(kernel.scalars, layer.mask.scalars).allSatisfy { $1 != 0 || $0 == 0 })
        }
    }
}

// MARK: - Helpers

/// Runs `body` on every fused multiply-add GEMM path this CPU runs, restoring dispatch afterwards.
private func forEachFusedPath(_ body: (String) throws -> Void) throws {
    for path in ["avx512", "avx2+fma", "neon"] where pk_sgemm_supports(path) == 1 {
        #expect(pk_sgemm_select(path) == 0)
        defer { _ = pk_sgemm_select(nil) }
        try body(path)
    }
}

private func built<L: Layer>(_ layer: L, inputShape: [Int], generator: inout SplitMix64) throws -> L {
    var layer = layer
    layer.build(inputShape: inputShape, generator: &generator)
    // Non-zero biases, so that the bias is checked too.
    layer.parameters[1] = Tensor(shape: layer.parameters[1].shape,
                                 scalars: layer.parameters[1].scalars.map { _ in SplitMix64.unitFloat(generator.next()) - 0.5 })
    return layer
}

private func syntheticDataset(count: Int, seed: UInt64) throws -> Dataset {
    var generator = SplitMix64(seed: seed)
    let pixels = (0 ..< count * 784).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    return try Dataset(pixels: pixels, labels: (0 ..< count).map { UInt8($0 % 10) }, imageShape: [28, 28, 1])
}

/// A random mask keeping about `density` of the kernel.
private func compare<L: SparseComputable>(_ layer: L, inputShape: [Int], batch: Int, density: Double,
                                          generator: inout SplitMix64, label: String) throws {
    let count = layer.parameters[0].count
    let mask = (0 ..< count).map { _ in Float(Double(SplitMix64.unitFloat(generator.next())) < density ? 1 : 0) }
    try compare(layer, inputShape: inputShape, batch: batch, mask: mask, generator: &generator, label: label)
}

/// Runs `layer` masked by `mask` dense and sparse on one random batch and compares the results.
private func compare<L: SparseComputable>(_ layer: L, inputShape: [Int], batch: Int, mask: [Float],
                                          generator: inout SplitMix64, label: String) throws {
    var layer = layer
    layer.parameters[0] = Tensor(shape: layer.parameters[0].shape, scalars: zip(layer.parameters[0].scalars, mask).map { $0 * $1 })
    let outputShape = try layer.outputShape(for: inputShape)
    let inputSize = inputShape.reduce(1, *), outputSize = outputShape.reduce(1, *)
    let input = (0 ..< batch * inputSize).map { _ in SplitMix64.unitFloat(generator.next()) * 2 - 1 }
    let upstream = (0 ..< batch * outputSize).map { _ in SplitMix64.unitFloat(generator.next()) * 2 - 1 }
    let rows = layer.parameters[0].count / outputShape.last!
    let sparse = mask.withUnsafeBufferPointer { SparseKernel(kept: $0, rows: rows, columns: outputShape.last!) }

    func run(_ kernel: SparseKernel?) -> (output: [Float], inputGradient: [Float], kernelGradient: [Float], biasGradient: [Float]) {
        var output = [Float](repeating: .nan, count: batch * outputSize)
        var inputGradient = [Float](repeating: .nan, count: batch * inputSize)
        var kernelGradient = [Float](repeating: .nan, count: layer.parameters[0].count)
        var biasGradient = [Float](repeating: .nan, count: layer.parameters[1].count)
        var gradient = upstream
        input.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                var forward = ForwardPass(batchSize: batch, inputShape: inputShape, outputShape: outputShape, input: input,
                                          output: output, training: true, randomKey: 0)
                forward.kernel = kernel.map { .sparse($0) } ?? .gemm
                layer.forward(forward)
                gradient.withUnsafeMutableBufferPointer { gradient in
                    inputGradient.withUnsafeMutableBufferPointer { inputGradient in
                        kernelGradient.withUnsafeMutableBufferPointer { kernelGradient in
                            biasGradient.withUnsafeMutableBufferPointer { biasGradient in
                                var backward = BackwardPass(batchSize: batch, inputShape: inputShape, outputShape: outputShape,
                                                            input: input, output: UnsafeBufferPointer(output),
                                                            outputGradient: gradient, inputGradient: inputGradient,
                                                            parameterGradients: [kernelGradient, biasGradient], randomKey: 0)
                                backward.kernel = kernel.map { .sparse($0) } ?? .gemm
                                layer.backward(backward)
                            }
                        }
                    }
                }
            }
        }
        return (output, inputGradient, kernelGradient, biasGradient)
    }

    let dense = run(nil), sparseRun = run(sparse)
    #expect(bitDifferences(dense.output, sparseRun.output) == 0, "\(label): forward")
    #expect(bitDifferences(dense.inputGradient, sparseRun.inputGradient) == 0, "\(label): input gradient")
    #expect(bitDifferences(dense.biasGradient, sparseRun.biasGradient) == 0, "\(label): bias gradient")
    // Kernel gradient: 0 at pruned positions, pk_sddmm's contract at kept ones, near the dense value.
    let reference = sddmmReference(layer, inputShape: inputShape, outputShape: outputShape, batch: batch, input: input,
                                   gradient: activatedGradient(upstream, output: dense.output, activation: layer.activation),
                                   mask: mask)
    #expect(bitDifferences(reference, sparseRun.kernelGradient) == 0, "\(label): kernel gradient contract")
    let scale = dense.kernelGradient.map { abs($0) }.max() ?? 0
    #expect(zip(dense.kernelGradient, zip(sparseRun.kernelGradient, mask)).allSatisfy { d, sm in
        sm.1 == 0 ? sm.0 == 0 : abs(d - sm.0) <= 1e-5 * max(scale, 1)
    }, "\(label): kernel gradient value")
}

/// The gradient with respect to the pre-activation values (ReLU or linear), as the layers compute it.
private func activatedGradient(_ gradient: [Float], output: [Float], activation: Activation) -> [Float] {
    activation == .relu ? zip(gradient, output).map { $1 > 0 ? $0 : 0 } : gradient
}

/// pk_sddmm's order written out: for each kept position, 16 lanes over the rows (a Dense batch, or
/// each sample's wide output positions q = y·inputWidth + x in turn), each summed by fused
/// multiply-adds in ascending order, then lanes 0–15 added as (l, l + 8), (l, l + 4), then
/// (q₀ + q₂) + (q₁ + q₃). Summed per chunk of samples, chunks added in order, as the layer does.
private func sddmmReference<L: Layer>(_ layer: L, inputShape: [Int], outputShape: [Int], batch: Int, input: [Float],
                                      gradient: [Float], mask: [Float]) -> [Float] {
    let columns = outputShape.last!
    let rows = mask.count / columns
    var result = [Float](repeating: 0, count: mask.count)
    let chunks: [Range<Int>]
    if inputShape.count == 3, let conv = layer as? Conv2D {
        chunks = Conv2D.Geometry(inputShape: inputShape, kernelSize: conv.kernelSize)
            .chunks(batchSize: batch, filters: columns)
    } else {
        chunks = [0 ..< batch]
    }
    for k in 0 ..< rows {
        for n in 0 ..< columns where mask[k * columns + n] != 0 {
            var total: Float = 0
            for (chunkIndex, chunk) in chunks.enumerated() {
                var lanes = [Float](repeating: 0, count: 16)
                for sample in chunk {
                    if inputShape.count == 1 {
                        lanes[sample % 16] = lanes[sample % 16].addingProduct(input[sample * rows + k], gradient[sample * columns + n])
                    } else {
                        let (height, width, channels) = (inputShape[0], inputShape[1], inputShape[2])
                        let (outputHeight, outputWidth) = (outputShape[0], outputShape[1])
                        let kernelWidth = width - outputWidth + 1
                        let c = k % channels, i = (k / channels) / kernelWidth, j = (k / channels) % kernelWidth
                        for y in 0 ..< outputHeight {
                            for x in 0 ..< outputWidth {
                                let lane = (y * width + x) % 16
                                let a = input[((sample * height + y + i) * width + x + j) * channels + c]
                                let b = gradient[((sample * outputHeight + y) * outputWidth + x) * columns + n]
                                lanes[lane] = lanes[lane].addingProduct(a, b)
                            }
                        }
                    }
                }
                let h = (0 ..< 8).map { lanes[$0] + lanes[$0 + 8] }
                let q = (0 ..< 4).map { h[$0] + h[$0 + 4] }
                let sum = (q[0] + q[2]) + (q[1] + q[3])
                total = chunkIndex == 0 ? sum : total + sum
            }
            result[k * columns + n] = total
        }
    }
    return result
}

private func bitDifferences(_ x: [Float], _ y: [Float]) -> Int {
    x.count != y.count ? max(x.count, y.count) : zip(x, y).filter { $0.bitPattern != $1.bitPattern }.count
}

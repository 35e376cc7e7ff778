import _PruneKitKernels

/// Conv2D's products on a compressed kernel (``SparseKernel``), without im2col.
///
/// Each sample is transposed to channel-major planes. Output position `(y, x)` is computed at
/// "wide" index `q = y·width + x` (input width, so `q` steps through the input plane with the
/// output): the kernel element `(i, j, c)` then reads plane `c` at `q + i·width + j`, one fixed
/// offset per kernel element, and a vector of 16 consecutive `q` is one load — XNNPACK's SpMM
/// over pixels. The `kernelWidth − 1` wide positions past each output row are computed and
/// dropped. Entries run in im2col's patch order, so forward outputs and input gradients equal
/// the im2col + GEMM path's bits; the kernel gradient is computed only at kept positions.
///
/// The forward pass of a batch of at least 16 samples puts samples in the lanes instead
/// (``LaneLayout``, ``pk_spconv_pool_lanes``), fused with the pooling after the convolution when
/// there is one: every lane computes a product the output needs, loads are aligned, and 2 × 2
/// windows are pooled in registers; the sums run in the same order, so the bits are the same.
/// Backward passes run on the wide planes.
extension Conv2D: SparseComputable {
    /// Sparse at a kept fraction of at most 20%, or at most 50% with fewer than ``directInputs``
    /// inputs per output (the article's first convolution has 9); else a direct convolution
    /// (``pk_conv_direct``) for those, and im2col + GEMM for the rest, whose backward pass skips
    /// the output gradient's zeros (``LayerKernel/gradientSparse``). Outside training, a sparse
    /// convolution fused with its pooling hands its output to the next sparse convolution as wide
    /// planes (``PlanesHandoff``).
    func automaticKernel(density: Double, inputsPerOutput: Int) -> AutomaticKernel {
        let small = inputsPerOutput < Self.directInputs
        return density <= (small ? Self.smallCrossover : 0.2) ? .sparse : small ? .direct : .gradientSparse
    }

    /// The kept fraction at or below which a convolution with fewer than ``directInputs`` inputs
    /// per output runs sparse rather than direct. The sparse forward pass on 16-sample lanes skips
    /// the pruned taps that the direct kernel computes: at 45% kept, the article CNN's first
    /// convolution's training forward pass took 4.3% of a training profile (sparse products and
    /// their layout changes) against 6.3% on the direct kernel (`swift run -c release bench
    /// --profile-training 0.55 automatic` under `perf`, Benchmarks/README.md), and the inference
    /// table's 50% and 75% rows were no slower. Its backward pass is the same either way
    /// (the direct kernel, fused with the pooling), and so are the forward bits.
    static let smallCrossover = 0.5

    /// Below this many inputs per output, a convolution's products are cheap to compute directly
    /// (``pk_conv_direct``), and the layout changes around sparse products cost about what they save.
    static let directInputs = 64

    /// Memory layout of the wide, channel-major form of a batch.
    struct WideLayout {
        let geometry: Geometry
        /// Wide output positions that cover every output: `(outputHeight − 1)·width + outputWidth`.
        var length: Int { (geometry.outputHeight - 1) * geometry.inputWidth + geometry.outputWidth }
        /// Floats per output plane (``length`` rounded up to a vector).
        var planeStride: Int { roundUpToVector(length) }
        /// Floats per input plane: room for every read `q + i·width + j` with `q < planeStride`.
        var channelStride: Int {
            roundUpToVector(planeStride + (geometry.kernelHeight - 1) * geometry.inputWidth + geometry.kernelWidth - 1)
        }
        /// Offset of kernel element `k = (i·kernelWidth + j)·channels + c` in a sample's input planes.
        var patchOffsets: [Int32] {
            geometry.patchOffsets { row, column, channel in channel * channelStride + row * geometry.inputWidth + column }
        }

        /// Floats per sample: its input planes, and room for the vector that
        /// ``pk_bias_maxpool_planes`` may store past the last one when it writes them
        /// (``WidePlanes``).
        var sampleStride: Int { geometry.channels * channelStride + 16 }

        /// Samples `samples` of `input` as zero-padded channel-major planes (freed by the caller).
        func planes(_ input: UnsafePointer<Float>, samples: Range<Int>) -> UnsafeMutablePointer<Float> {
            let planes = zeroedBuffer(samples.count * sampleStride)
            let pixels = geometry.inputHeight * geometry.inputWidth
            for (slot, sample) in samples.enumerated() {
                pk_transpose(pixels, geometry.channels, input + sample * geometry.inputSize, geometry.channels,
                             planes + slot * sampleStride, channelStride)
            }
            return planes
        }
    }

    func forwardSparse(_ pass: ForwardPass, kernel sparse: SparseKernel) { forwardSparse(pass, kernel: sparse, pooling: nil) }

    /// The sparse forward pass; with `pooling`, each sample's wide channel-major products are
    /// pooled straight into the pooled layer's channels-last output (``Conv2D/forward(_:pooling:)``).
    func forwardSparse(_ pass: ForwardPass, kernel sparse: SparseKernel, pooling pooled: Pooling?) {
        let geometry = Geometry(inputShape: pass.inputShape, kernelSize: kernelSize)
        let layout = WideLayout(geometry: geometry)
        let chunks = geometry.chunks(batchSize: pass.batchSize, filters: filters)
        let outputSize = pooled?.outputSize ?? geometry.outputPixels * filters
        // In training a pooled pass records its switches, which only the lane kernel does: on lanes at any batch size.
        let lanes = LaneLayout.holds(batchSize: pass.batchSize) || (pooled != nil && pass.switches != nil)
        if lanes, LaneLayout(shape: pass.inputShape).hasInt32Offsets {
            // Without pooling, 1 × 1 windows: bias and activation alone (the logits of a softmax are not kept there).
            if let pooled { return forwardPooledLanes(pass, kernel: sparse, pooling: pooled) }
            if activation != .softmax, pass.preActivation == nil {
                return forwardPooledLanes(pass, kernel: sparse, pooling: Pooling(window: (1, 1), geometry: geometry, filters: filters))
            }
        }
        let entryOffsets = gathered(layout.patchOffsets, at: sparse.columnEntryRows)
        withForwardOperands(sparse, offsets: entryOffsets) { operands in
            Parallel.forEach(chunks.count) { index in
                let samples = chunks[index]
                // The input as wide planes: handed over by the layer before, or laid out here.
                let planes = pass.inputPlanes == nil ? layout.planes(pass.input.baseAddress!, samples: samples) : nil
                defer { planes?.deallocate() }
                let input = planes ?? pass.inputPlanes!.base + samples.lowerBound * layout.sampleStride
                let output = pass.output.baseAddress! + samples.lowerBound * outputSize
                if let pooled {
                    precondition(pass.switches == nil, "Conv2D: switches are recorded on lane groups")
                    forwardPooled(pooled, layout: layout, blocks: sparse.rowBlocks, operands: operands, input: input,
                                  samples: samples, planes: pass.outputPlanes, output: output)
                    return
                }
                // One sample's wide output at a time, so that it stays in cache until it
                // is laid out channels-last (pk_spmm writes all of it): one transpose of the
                // wide positions, then each output row's positions copied.
                let wide = UnsafeMutablePointer<Float>.allocate(capacity: filters * layout.planeStride)
                let wideRows = UnsafeMutablePointer<Float>.allocate(capacity: layout.length * filters)
                defer { wide.deallocate(); wideRows.deallocate() }
                for slot in 0 ..< samples.count {
                    pk_spmm(filters, sparse.rowBlocks, operands.starts, operands.offsets, 1, operands.values,
                            input + slot * layout.sampleStride, 0, wide, layout.planeStride, 0, 1, layout.length)
                    pk_transpose(filters, layout.length, wide, layout.planeStride, wideRows, filters)
                    for y in 0 ..< geometry.outputHeight {
                        (output + slot * outputSize + y * geometry.outputWidth * filters)
                            .update(from: wideRows + y * geometry.inputWidth * filters, count: geometry.outputWidth * filters)
                    }
                }
                finishLinearOutput(output, rows: samples.count * geometry.outputPixels, width: filters,
                                   bias: operands.bias, activation: activation,
                                   offset: samples.lowerBound * outputSize, pass: pass)
            }
        }
    }

    /// What a sparse forward pass reads, pinned for the duration of `body`: the kernel's entries
    /// in forward order (``SparseKernel/columnStarts``), each entry's input offset from
    /// `entryOffsets`, its weight, and the bias.
    private func withForwardOperands(_ sparse: SparseKernel, offsets entryOffsets: [Int32],
                                     _ body: (ForwardOperands) -> Void) {
        parameters[0].scalars.withUnsafeBufferPointer { kernel in
            let weights = sparse.columnWeights(kernel.baseAddress!)
            parameters[1].scalars.withUnsafeBufferPointer { bias in
                entryOffsets.withUnsafeBufferPointer { offsets in
                    weights.withUnsafeBufferPointer { values in
                        sparse.columnStarts.withUnsafeBufferPointer { starts in
                            body(ForwardOperands(starts: starts.baseAddress!, offsets: offsets.baseAddress,
                                                 values: values.baseAddress, bias: bias.baseAddress!))
                        }
                    }
                }
            }
        }
    }

    /// Pointers to a sparse forward pass's operands (``withForwardOperands(_:offsets:_:)``).
    private struct ForwardOperands {
        let starts: UnsafePointer<Int32>
        let offsets: UnsafePointer<Int32>?
        let values: UnsafePointer<Float>?
        let bias: UnsafePointer<Float>
    }

    /// Memory layout of a batch for ``pk_spconv_pool_lanes``: groups of 16 samples, each a vector of
    /// one value per sample, channels-last — value `(y, x, c)` of the samples of group `g` at
    /// `g·groupStride + ((y·width + x)·channels + c)·16`: the 16 samples' values transposed, so
    /// one transpose lays a group out. A partial last group's empty lanes hold values that are
    /// computed and dropped.
    struct LaneLayout {
        /// Samples per group: the 16 lanes of a vector.
        static let lanes = 16
        let height: Int, width: Int, channels: Int
        var pixels: Int { height * width }
        /// Floats per group.
        var groupStride: Int { channels * pixels * Self.lanes }
        /// Groups that hold `samples` samples.
        static func groups(_ samples: Int) -> Int { (samples + lanes - 1) / lanes }
        /// Whether a forward pass over `batchSize` samples runs on lane groups (at least one full
        /// group), for convolutions and the layers they hand their output to alike.
        static func holds(batchSize: Int) -> Bool { batchSize >= lanes }
        /// Whether every offset within a group fits the kernels' 32-bit entries (else a
        /// convolution runs on its per-sample kernels).
        var hasInt32Offsets: Bool { groupStride <= Int(Int32.max) }

        init(shape: [Int]) { (height, width, channels) = (shape[0], shape[1], shape[2]) }

        /// Floats from one pixel to the next.
        var pixelStride: Int { channels * Self.lanes }
        /// Floats from one row to the next.
        var rowStride: Int { width * pixelStride }

        /// Offset of each kernel element of a convolution with `geometry` on this layout, from its
        /// output's position.
        func patchOffsets(_ geometry: Geometry) -> [Int32] {
            geometry.patchOffsets { row, column, channel in row * rowStride + column * pixelStride + channel * Self.lanes }
        }

        /// The `samples` (at most 16) channels-last samples at `source` into the group at
        /// `destination` (the other lanes are not written).
        func load(_ source: UnsafePointer<Float>, samples: Int, into destination: UnsafeMutablePointer<Float>) {
            let size = pixels * channels
            pk_transpose(samples, size, source, size, destination, Self.lanes)
        }
    }

    /// Groups of 16 samples per piece of ``forwardPooledLanes(_:kernel:pooling:)``.
    static let laneGroupsPerPiece = 2

    /// A forward pass fused with `pooled` (1 × 1 windows for a convolution without pooling)
    /// through ``pk_spconv_pool_lanes``, for batches of at least 16 samples: 16 samples per
    /// vector, so every lane computes a product the output needs, with aligned loads. The input comes from the convolution before as ``LaneLayout``
    /// groups (``PlanesHandoff``) or is laid out here; the output goes to the next convolution
    /// the same way, to the next Dense layer as ``FeatureRows``, or back to channels-last.
    private func forwardPooledLanes(_ pass: ForwardPass, kernel sparse: SparseKernel, pooling pooled: Pooling) {
        let lanes = LaneLayout.lanes
        let layout = LaneLayout(shape: pass.inputShape)
        let outputLayout = LaneLayout(shape: [pooled.outputHeight, pooled.outputWidth, filters])
        let pieces = Parallel.ranges(LaneLayout.groups(pass.batchSize), size: Self.laneGroupsPerPiece)
        let scratchCount = pooled.window.height * pooled.outputWidth * pooled.window.width * lanes
        let switchWordCount = pooled.switchSize / 4
        let entryOffsets = gathered(layout.patchOffsets(Geometry(inputShape: pass.inputShape, kernelSize: kernelSize)),
                                    at: sparse.columnEntryRows)
        // Feature rows for the next Dense layer, else lane groups (for the next convolution, or
        // to transpose to channels-last).
        let (filterStride, pixelStride) =
            if pass.outputRows != nil { (FeatureRows.stride, filters * FeatureRows.stride) }
            else { (lanes, outputLayout.pixelStride) }
        withForwardOperands(sparse, offsets: entryOffsets) { operands in
            Parallel.forEach(pieces.count) { index in
                let piece = pieces[index]
                let first = piece.lowerBound * lanes, count = min(pass.batchSize, piece.upperBound * lanes) - first
                let input: UnsafeMutablePointer<Float>
                var owned: [UnsafeMutablePointer<Float>] = []
                defer { owned.forEach { $0.deallocate() } }
                if let planes = pass.inputPlanes {
                    input = planes.base + piece.lowerBound * layout.groupStride
                } else {
                    // Empty lanes of a partial group: +0.
                    let floats = piece.count * layout.groupStride
                    input = count < piece.count * lanes ? zeroedBuffer(floats) : vectorBuffer(floats)
                    owned.append(input)
                    for group in 0 ..< piece.count {
                        layout.load(pass.input.baseAddress! + (first + group * lanes) * layout.pixels * layout.channels,
                                    samples: min(lanes, count - group * lanes), into: input + group * layout.groupStride)
                    }
                }
                let products = pass.outputPlanes == nil && pass.outputRows == nil
                    ? vectorBuffer(outputLayout.groupStride) : nil
                let scratch = vectorBuffer(scratchCount)
                // Each window's switch in the group's 32-bit words, transposed into the samples' switches.
                let switchWords = pass.switches.map { _ in vectorBuffer(switchWordCount * lanes, of: Int32.self) }
                defer { switchWords?.deallocate() }
                owned += [scratch] + (products.map { [$0] } ?? [])
                for group in 0 ..< piece.count {
                    let output = pass.outputPlanes.map { $0.base + (piece.lowerBound + group) * outputLayout.groupStride }
                        ?? pass.outputRows?.start(of: first + group * lanes) ?? products!
                    pk_spconv_pool_lanes(filters, sparse.rowBlocks, operands.starts, operands.offsets, operands.values,
                                         operands.bias, activation == .relu ? 1 : 0, input + group * layout.groupStride,
                                         layout.rowStride, layout.pixelStride, pooled.outputHeight, pooled.outputWidth,
                                         pooled.window.height, pooled.window.width, scratch, output, filterStride, pixelStride,
                                         switchWords, pooled.switchStride / 4)
                    let samples = min(lanes, count - group * lanes)
                    if let products {
                        pk_transpose(pooled.outputSize, samples, products, lanes,
                                     pass.output.baseAddress! + (first + group * lanes) * pooled.outputSize, pooled.outputSize)
                    }
                    if let switchWords, let switches = pass.switches {
                        let words = UnsafeMutableRawPointer(switches + (first + group * lanes) * pooled.switchSize)
                        pk_transpose(switchWordCount, samples, UnsafeRawPointer(switchWords).assumingMemoryBound(to: Float.self), lanes,
                                     words.assumingMemoryBound(to: Float.self), switchWordCount)
                    }
                }
            }
        }
    }

    /// The samples `samples` of a forward pass fused with `pooled`, one filter at a time (its wide
    /// products, then their pooling, while they are in L1): into `planes` (the next convolution's
    /// input, ``WidePlanes``) when given, else channels-last into `output`.
    private func forwardPooled(_ pooled: Pooling, layout: WideLayout, blocks: Int, operands: ForwardOperands,
                               input: UnsafePointer<Float>, samples: Range<Int>, planes: WidePlanes?,
                               output: UnsafeMutablePointer<Float>) {
        let geometry = layout.geometry
        let pixels = pooled.outputHeight * pooled.outputWidth
        let length = pooled.wideLength(rowStride: geometry.inputWidth)
        // Pooling reads whole vectors past the positions it uses, which pk_spmm does not write: zeroed once.
        let readable = layout.planeStride + 32
        let wide = zeroedBuffer(readable)
        // Without a consumer, the pooled planes go through a scratch and a transpose to channels-last.
        let scratch = planes == nil ? UnsafeMutablePointer<Float>.allocate(capacity: filters * pixels + 16) : nil
        defer { wide.deallocate(); scratch?.deallocate() }
        for (slot, sample) in samples.enumerated() {
            let destination = planes.map { $0.base + sample * $0.sampleStride } ?? scratch!
            let planeStride = planes?.channelStride ?? pixels
            for filter in 0 ..< filters {
                pk_spmm(1, blocks, operands.starts + filter * blocks, operands.offsets, 1, operands.values, input + slot * layout.sampleStride, 0,
                        wide, layout.planeStride, 0, 1, length)
                pooled.finishPlane(wide, readable: readable, rowStride: geometry.inputWidth, bias: operands.bias + filter,
                                   activation: activation, into: destination + filter * planeStride, outputPlaneStride: planeStride)
            }
            if let scratch { pk_transpose(filters, pixels, scratch, pixels, output + slot * pooled.outputSize, filters) }
        }
    }

    func backwardSparse(_ pass: BackwardPass, kernel sparse: SparseKernel) { backwardSparse(pass, kernel: sparse, pooling: nil) }

    /// The sparse backward pass; with `pooled`, of the convolution fused with that pooling
    /// (``Conv2D/backward(_:pooling:)``).
    func backwardSparse(_ pass: BackwardPass, kernel sparse: SparseKernel, pooling pooled: Pooling?) {
        let geometry = Geometry(inputShape: pass.inputShape, kernelSize: kernelSize)
        let layout = WideLayout(geometry: geometry)
        // Each chunk's kernel gradient at the kept positions only, in entry order, then its bias gradient.
        let entries = sparse.count
        let outputSize = geometry.outputPixels * filters
        let chunks = geometry.chunks(batchSize: pass.batchSize, filters: filters)
        var partials = [Float](unsafeUninitializedCapacity: chunks.count * (entries + filters)) { _, count in
            count = chunks.count * (entries + filters)
        }
        // The input-plane offset of each patch element: the kernel gradient's entries patch element
        // by patch element, each plane read once for all the entries of its row.
        let patchOffsets = layout.patchOffsets
        parameters[0].scalars.withUnsafeBufferPointer { kernel in
            let weights = sparse.rowWeights(kernel.baseAddress!)
            patchOffsets.withUnsafeBufferPointer { patchOffsets in
                sparse.rowEntryColumns.withUnsafeBufferPointer { filterOffsets in
                    weights.withUnsafeBufferPointer { values in
                        sparse.rowStarts.withUnsafeBufferPointer { starts in
                            sparse.rowEntryPositions.withUnsafeBufferPointer { positions in
                                partials.withUnsafeMutableBufferPointer { partials in
                                  withPreActivationGradient(pass, pooling: pooled, geometry: geometry) { preActivationGradient in
                                    Parallel.forEach(chunks.count) { index in
                                        let samples = chunks[index]
                                        let rows = samples.count * geometry.outputPixels
                                        let gradient = preActivationGradient(samples)
                                        defer { if pooled != nil { gradient.deallocate() } }
                                        let partialKernel = partials.baseAddress! + index * (entries + filters)
                                        Elementwise.sumRows(gradient, rows: rows, width: filters, into: partialKernel + entries)
                                        // The gradient as wide filter planes, zero at the dropped positions.
                                        let filterStride = filters * layout.planeStride
                                        // Each output row copied to its wide positions (the others stay 0), then one
                                        // transpose, which writes each plane up to `length`: only the rest is zeroed.
                                        let wide = vectorBuffer(samples.count * filterStride)
                                        zeroPadding(wide, rows: 0 ..< samples.count * filters, stride: layout.planeStride,
                                                    written: layout.length)
                                        let wideRows = zeroedBuffer(layout.length * filters)
                                        let planes = layout.planes(pass.input.baseAddress!, samples: samples)
                                        defer { wide.deallocate(); wideRows.deallocate(); planes.deallocate() }
                                        for slot in 0 ..< samples.count {
                                            for y in 0 ..< geometry.outputHeight {
                                                (wideRows + y * geometry.inputWidth * filters)
                                                    .update(from: gradient + slot * outputSize + y * geometry.outputWidth * filters,
                                                            count: geometry.outputWidth * filters)
                                            }
                                            pk_transpose(layout.length, filters, wideRows, filters, wide + slot * filterStride, layout.planeStride)
                                        }
                                        let sums = UnsafeMutablePointer<Float>.allocate(capacity: 16 * max(sparse.count, 1))
                                        defer { sums.deallocate() }
                                        pk_sddmm(geometry.patchSize, sparse.columnBlocks, starts.baseAddress!, filterOffsets.baseAddress,
                                                 layout.planeStride, wide, filterStride, planes, 0, patchOffsets.baseAddress,
                                                 layout.sampleStride, samples.count, layout.length, nil, sums, partialKernel)
                                        guard let inputGradient = pass.inputGradient else { return }
                                        // Both written whole for each sample: pk_spmm writes every vector of a patch row.
                                        let patches = vectorBuffer(geometry.patchSize * layout.planeStride)
                                        let gradientPlanes = vectorBuffer(geometry.channels * layout.channelStride)
                                        defer { patches.deallocate(); gradientPlanes.deallocate() }
                                        for (slot, sample) in samples.enumerated() {
                                            // patches[k, q] = Σ_f kernel[k, f] · gradient[f, q], then added back onto the input.
                                            pk_spmm(geometry.patchSize, sparse.columnBlocks, starts.baseAddress!, filterOffsets.baseAddress,
                                                    layout.planeStride, values.baseAddress, wide + slot * filterStride, 0, patches, layout.planeStride, 0, 1,
                                                    layout.length)
                                            pk_fill(gradientPlanes, geometry.channels * layout.channelStride, 0)
                                            pk_col2im_wide(patches, layout.planeStride, layout.length, geometry.inputWidth,
                                                           geometry.channels, geometry.kernelHeight, geometry.kernelWidth,
                                                           gradientPlanes, layout.channelStride)
                                            pk_transpose(geometry.channels, geometry.inputHeight * geometry.inputWidth, gradientPlanes,
                                                         layout.channelStride, inputGradient.baseAddress! + sample * geometry.inputSize,
                                                         geometry.channels)
                                        }
                                    }
                                  }
                                    // Summed chunk by chunk in order (as over the whole kernel), then put at the kept positions.
                                    let kept = UnsafeMutableBufferPointer<Float>.allocate(capacity: entries)
                                    defer { kept.deallocate() }
                                    sumPartials(partials.baseAddress!, count: chunks.count, stride: entries + filters,
                                                into: [(0, kept), (entries, pass.parameterGradients[1])])
                                    let kernelGradient = pass.parameterGradients[0].baseAddress!
                                    pk_fill(kernelGradient, pass.parameterGradients[0].count, 0)
                                    for (entry, position) in positions.enumerated() { kernelGradient[Int(position)] = kept[entry] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

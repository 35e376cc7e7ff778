import _PruneKitKernels

/// A 2-D convolution with `valid` padding and stride 1, as Keras's `Conv2D(filters, kernel_size)`.
///
/// `output[n, y, x, f] = activation(bias[f] + Σ kernel[i, j, c, f] · input[n, y + i, x + j, c])`
/// over the kernel window `i < kh`, `j < kw` and input channels `c`. The kernel is stored
/// `[kh, kw, inputChannels, filters]` as in TensorFlow.
///
/// Computed as im2col + GEMM: each output pixel's receptive field becomes one row of a patch matrix,
/// multiplied by the kernel seen as a `(kh·kw·inputChannels) × filters` matrix. Batches are cut into
/// chunks of samples whose patch matrix and output stay near 1 MiB, so they are built and used in
/// cache, and chunks run on all cores.
public struct Conv2D: Layer {
    /// The number of output channels.
    public let filters: Int
    /// The kernel window, `(height, width)`.
    public let kernelSize: (height: Int, width: Int)
    /// The activation applied to the output.
    public let activation: Activation
    public var parameters: [Tensor] = []

    /// Creates a convolution with a square `kernelSize × kernelSize` window.
    public init(filters: Int, kernelSize: Int, activation: Activation = .linear) {
        self.init(filters: filters, kernelSize: (kernelSize, kernelSize), activation: activation)
    }

    /// Creates a convolution with a `height × width` window.
    public init(filters: Int, kernelSize: (height: Int, width: Int), activation: Activation = .linear) {
        precondition(filters > 0 && kernelSize.height > 0 && kernelSize.width > 0,
                     "Conv2D needs positive filters and kernel size")
        self.filters = filters
        self.kernelSize = kernelSize
        self.activation = activation
    }

    public var typeName: String { "Conv2D" }
    public var namePrefix: String { "conv2d" }
    public var parameterNames: [String] { ["kernel", "bias"] }

    public func outputShape(for inputShape: [Int]) throws(ModelError) -> [Int] {
        guard inputShape.count == 3 else {
            throw .incompatibleShape(layer: typeName, inputShape: inputShape, reason: "expects [height, width, channels]")
        }
        let height = inputShape[0] - kernelSize.height + 1, width = inputShape[1] - kernelSize.width + 1
        guard height > 0, width > 0 else {
            throw .incompatibleShape(layer: typeName, inputShape: inputShape,
                                     reason: "smaller than the \(kernelSize.height)×\(kernelSize.width) kernel")
        }
        return [height, width, filters]
    }

    public mutating func build(inputShape: [Int], generator: inout SplitMix64) {
        let shape = parameterShapes(for: inputShape)[0]
        parameters = [GlorotUniform(kernelShape: shape).kernel(shape: shape, generator: &generator),
                      Tensor(zeros: [filters])]
    }

    public func forward(_ pass: ForwardPass) { forward(pass, pooling: nil) }

    /// The forward pass, followed when `pooling` is given by a ``MaxPool2D`` of that window fused
    /// into it (inference): `pass.outputShape` and `pass.output` are then the pooled layer's, and
    /// each chunk's products are pooled while still in cache (``pk_bias_maxpool_forward``), with
    /// the bits of the two layers run one after the other. Needs an element-wise activation
    /// (``Activation/linear`` or ``Activation/relu``) and no pre-activation buffer.
    func forward(_ pass: ForwardPass, pooling: (height: Int, width: Int)?) {
        let geometry = Geometry(inputShape: pass.inputShape, kernelSize: kernelSize)
        let pooled = pooling.map { Pooling(window: $0, geometry: geometry, filters: filters) }
        switch pass.kernel {
        case .sparse(let sparse): return forwardSparse(pass, kernel: sparse, pooling: pooled)
        case .direct: return forwardDirect(pass, pooling: pooled)
        case .gemm, .gradientSparse: break
        }
        let kernel = parameters[0].scalars, bias = parameters[1].scalars
        let chunks = geometry.chunks(batchSize: pass.batchSize, filters: filters)
        let outputSize = pooled?.outputSize ?? geometry.outputPixels * filters
        // Only the outputs a max pooling reads, when one does: the rows and columns past its last
        // whole window are not computed (and in training left +0, where nothing reads them).
        let window = pooled?.window ?? pass.pooledBy
        let region = window.map { (height: geometry.outputHeight / $0.height * $0.height,
                                   width: geometry.outputWidth / $0.width * $0.width) }
            ?? (height: geometry.outputHeight, width: geometry.outputWidth)
        let cropped = region.height < geometry.outputHeight || region.width < geometry.outputWidth
        kernel.withUnsafeBufferPointer { kernel in
            bias.withUnsafeBufferPointer { bias in
                Parallel.forEach(chunks.count) { index in
                    let samples = chunks[index]
                    let rows = samples.count * region.height * region.width
                    let products = pooled == nil && !cropped ? nil : UnsafeMutablePointer<Float>.allocate(capacity: rows * filters)
                    defer { products?.deallocate() }
                    let output = pass.output.baseAddress! + samples.lowerBound * outputSize
                    // The patch rows are read in place (implicit im2col), with im2col + GEMM's bits.
                    geometry.patchRowOffsets(samples: samples, region: region).withUnsafeBufferPointer { offsets in
                        pk_sgemm_patches(rows, filters, geometry.patchSize, pass.input.baseAddress!, offsets.baseAddress!,
                                         geometry.kernelWidth * geometry.channels, geometry.inputWidth * geometry.channels,
                                         kernel.baseAddress!, filters, products ?? output, filters)
                    }
                    if let pooled, let products {
                        for slot in 0 ..< samples.count {
                            pooled.finish(products + slot * region.height * region.width * filters, rowWidth: region.width,
                                          bias: bias.baseAddress!, activation: activation, into: output + slot * pooled.outputSize,
                                          switches: pass.switches.map { $0 + (samples.lowerBound + slot) * pooled.switchSize })
                        }
                    } else if let products {
                        finishLinearOutput(products, rows: rows, width: filters, bias: bias.baseAddress!, activation: activation,
                                           offset: samples.lowerBound * outputSize, pass: pass)
                        geometry.spread(products, region: region, samples: samples.count, filters: filters, into: output)
                    } else {
                        finishLinearOutput(output, rows: rows, width: filters, bias: bias.baseAddress!, activation: activation,
                                           offset: samples.lowerBound * outputSize, pass: pass)
                    }
                }
            }
        }
    }

    public func backward(_ pass: BackwardPass) { backward(pass, pooling: nil) }

    /// The backward pass; with a `pooling` window, of this convolution fused in training with the
    /// ``MaxPool2D`` after it (``Sequential/fusedPooling(at:training:)``): `pass.output` and
    /// `pass.outputGradient` are then the pooled layer's, and each chunk takes the pooled gradient
    /// back through the pooling and the activation from the switches the forward pass recorded
    /// (``Pooling/gradient(_:switches:samples:geometry:into:)``), with the bits of the two layers
    /// run one after the other, while the convolution's full-size output never goes through memory.
    func backward(_ pass: BackwardPass, pooling window: (height: Int, width: Int)?) {
        let geometry = Geometry(inputShape: pass.inputShape, kernelSize: kernelSize)
        let pooled = window.map { Pooling(window: $0, geometry: geometry, filters: filters) }
        // A sparse convolution with few inputs per output runs its backward pass directly (below).
        if let sparse = pass.kernel.sparse, pooled == nil || geometry.patchSize >= Self.directInputs {
            return backwardSparse(pass, kernel: sparse, pooling: pooled)
        }
        let kernelCount = geometry.patchSize * filters
        let chunks = geometry.chunks(batchSize: pass.batchSize, filters: filters)
        // A direct convolution's kernel gradient skips the patch matrix too (same bits).
        let direct = (pass.kernel.isDirect || pass.kernel.sparse != nil) && filters % 16 == 0
        withPreActivationGradient(pass, pooling: pooled, geometry: geometry) { preActivationGradient in
            // Per-chunk partial sums, added in chunk order afterwards: the same bits on any thread count.
            // Every element is written by its chunk (sumRows, then a non-accumulating product) before
            // it is read, so the array need not be zeroed first.
            var partials = [Float](unsafeUninitializedCapacity: chunks.count * (kernelCount + filters)) { _, count in
                count = chunks.count * (kernelCount + filters)
            }
            let kernel = parameters[0].scalars
            // Over the gradient's non-zeros when the patch rows fill 16-lane vectors (GradientEntries' products).
            let skipsZeros = pass.kernel.isGradientSparse && !direct && geometry.patchSize % 16 == 0
            kernel.withUnsafeBufferPointer { kernel in
                // The kernel transposed (filters × patch elements), for input-gradient products over the gradient's non-zeros.
                let kernelT = skipsZeros && pass.inputGradient != nil ? UnsafeMutablePointer<Float>.allocate(capacity: kernelCount) : nil
                defer { kernelT?.deallocate() }
                if let kernelT { pk_transpose(geometry.patchSize, filters, kernel.baseAddress!, filters, kernelT, geometry.patchSize) }
                partials.withUnsafeMutableBufferPointer { partials in
                    Parallel.forEach(chunks.count) { index in
                        let samples = chunks[index]
                        let rows = samples.count * geometry.outputPixels
                        let partialKernel = partials.baseAddress! + index * (kernelCount + filters)
                        if direct, let pooled, pass.inputGradient == nil {
                            // Only the kernel and bias gradients: straight from the pooled gradient and the switches.
                            return pk_conv_direct_pool_kernel_gradient(
                                pass.input.baseAddress! + samples.lowerBound * geometry.inputSize, samples.count,
                                geometry.inputHeight, geometry.inputWidth, geometry.channels, geometry.kernelHeight,
                                geometry.kernelWidth, pass.outputGradient.baseAddress! + samples.lowerBound * pooled.outputSize,
                                pass.switches! + samples.lowerBound * pooled.switchSize, pooled.switchStride,
                                pooled.window.height, pooled.window.width, filters, partialKernel, partialKernel + kernelCount)
                        }
                        let gradient = preActivationGradient(samples)
                        defer { if pooled != nil { gradient.deallocate() } }
                        let entries = skipsZeros ? GradientEntries(gradient, rows: rows, columns: filters) : nil
                        let patches = UnsafeMutablePointer<Float>.allocate(capacity: rows * geometry.patchSize)
                        defer { patches.deallocate() }
                        if direct {  // the bias gradient in the same pass, with sumRows's bits
                            pk_conv_direct_kernel_gradient(pass.input.baseAddress! + samples.lowerBound * geometry.inputSize,
                                                           samples.count, geometry.inputHeight, geometry.inputWidth,
                                                           geometry.channels, geometry.kernelHeight, geometry.kernelWidth,
                                                           gradient, filters, partialKernel, partialKernel + kernelCount)
                        } else {
                            Elementwise.sumRows(gradient, rows: rows, width: filters, into: partialKernel + kernelCount)
                            geometry.im2col(pass.input.baseAddress!, samples: samples, into: patches)
                            if let entries {
                                entries.kernelGradient(input: patches, width: geometry.patchSize, into: partialKernel)
                            } else {
                                matrixMultiply(MatrixView(patches, rows: rows, columns: geometry.patchSize), transposeA: true,
                                               MatrixView(gradient, rows: rows, columns: filters),
                                               into: partialKernel)
                            }
                        }
                        guard let inputGradient = pass.inputGradient else { return }
                        if let entries, let kernelT {
                            entries.inputProducts(kernelTransposed: kernelT, width: geometry.patchSize, into: patches)
                        } else {
                            matrixMultiply(MatrixView(gradient, rows: rows, columns: filters),
                                           MatrixView(kernel.baseAddress!, rows: geometry.patchSize, columns: filters),
                                           transposeB: true, into: patches)
                        }
                        geometry.col2im(patches, samples: samples, into: inputGradient.baseAddress!)
                    }
                    sumPartials(partials.baseAddress!, count: chunks.count, stride: kernelCount + filters,
                                into: [(0, pass.parameterGradients[0]), (kernelCount, pass.parameterGradients[1])])
                }
            }
        }
    }

    /// Calls `body` with a function that gives a chunk of samples' gradient at this convolution's
    /// pre-activation outputs, `[outputHeight, outputWidth, filters]` per sample: with `pooled`,
    /// a buffer (freed by the caller) built from the pooled gradient and the switches; else
    /// `pass.outputGradient` itself, taken back through the activation in place unless it is
    /// already pre-activation.
    func withPreActivationGradient(_ pass: BackwardPass, pooling pooled: Pooling?, geometry: Geometry,
                                   _ body: ((Range<Int>) -> UnsafeMutablePointer<Float>) -> Void) {
        let outputSize = geometry.outputPixels * filters
        guard let pooled else {
            return body { samples in
                let gradient = pass.outputGradient.baseAddress! + samples.lowerBound * outputSize
                if !pass.gradientIsPreActivation {
                    activation.backpropagate(gradient, output: pass.output.baseAddress! + samples.lowerBound * outputSize,
                                             rows: samples.count * geometry.outputPixels, width: filters)
                }
                return gradient
            }
        }
        guard let switches = pass.switches else { preconditionFailure("Conv2D: a pooling fused in training records its switches") }
        // The pooled gradient and the input gradient are the same gradient buffer (the workspace
        // alternates two, and they are two layers apart): with an input gradient, the chunks read a copy.
        let copy = pass.inputGradient != nil ? UnsafeMutableBufferPointer<Float>.allocate(capacity: pass.outputGradient.count) : nil
        if let copy { _ = copy.initialize(fromContentsOf: pass.outputGradient) }
        defer { copy?.deallocate() }
        let pooledGradient = UnsafePointer(copy?.baseAddress ?? pass.outputGradient.baseAddress!)
        body { samples in
            let gradient = UnsafeMutablePointer<Float>.allocate(capacity: samples.count * outputSize)
            pooled.gradient(pooledGradient + samples.lowerBound * pooled.outputSize,
                            switches: switches + samples.lowerBound * pooled.switchSize, samples: samples.count,
                            geometry: geometry, into: gradient)
            return gradient
        }
    }
}

extension Conv2D {
    /// Index arithmetic of a valid, stride-1 convolution.
    struct Geometry {
        let inputHeight: Int, inputWidth: Int, channels: Int
        let outputHeight: Int, outputWidth: Int
        let kernelHeight: Int, kernelWidth: Int

        init(inputShape: [Int], kernelSize: (height: Int, width: Int)) {
            (inputHeight, inputWidth, channels) = (inputShape[0], inputShape[1], inputShape[2])
            (kernelHeight, kernelWidth) = kernelSize
            (outputHeight, outputWidth) = (inputHeight - kernelHeight + 1, inputWidth - kernelWidth + 1)
        }

        var outputPixels: Int { outputHeight * outputWidth }
        /// Values in one receptive field: one row of the patch matrix.
        var patchSize: Int { kernelHeight * kernelWidth * channels }
        var inputSize: Int { inputHeight * inputWidth * channels }

        /// `offset(i, j, c)` for each kernel element `k = (i·kernelWidth + j)·channels + c`, in
        /// patch (im2col) order.
        func patchOffsets(_ offset: (_ row: Int, _ column: Int, _ channel: Int) -> Int) -> [Int32] {
            (0 ..< patchSize).map { k in
                let ij = k / channels
                return Int32(offset(ij / kernelWidth, ij % kernelWidth, k % channels))
            }
        }

        /// Sample ranges whose patch matrix and output each hold at most about 2¹⁸ floats (1 MiB), so
        /// that a chunk's passes over them run in the L2 cache.
        func chunks(batchSize: Int, filters: Int) -> [Range<Int>] {
            Parallel.ranges(batchSize, size: max(1, (1 << 18) / (outputPixels * max(patchSize, filters))))
        }

        /// Copies the receptive field of each output of the samples into one row of `patches` (``pk_im2col``).
        func im2col(_ input: UnsafePointer<Float>, samples: Range<Int>, into patches: UnsafeMutablePointer<Float>) {
            pk_im2col(input + samples.lowerBound * inputSize, samples.count, inputHeight, inputWidth, channels,
                      kernelHeight, kernelWidth, outputHeight, outputWidth, patches)
        }

        /// The offset in a batch's input of the top-left value of the receptive field of each output
        /// in `region` (the top-left `height × width` outputs) of `samples`, in im2col's row order:
        /// the rows ``pk_sgemm_patches`` reads in place.
        func patchRowOffsets(samples: Range<Int>, region: (height: Int, width: Int)) -> [Int] {
            var offsets: [Int] = []
            offsets.reserveCapacity(samples.count * region.height * region.width)
            for sample in samples {
                for y in 0 ..< region.height {
                    for x in 0 ..< region.width { offsets.append(sample * inputSize + (y * inputWidth + x) * channels) }
                }
            }
            return offsets
        }

        /// Copies the channels-last outputs of `region` (`samples` × `region` positions × `filters`)
        /// to their places in the samples' full outputs, and +0 to the positions outside it.
        func spread(_ products: UnsafePointer<Float>, region: (height: Int, width: Int), samples: Int, filters: Int,
                    into output: UnsafeMutablePointer<Float>) {
            for slot in 0 ..< samples {
                let source = products + slot * region.height * region.width * filters
                let sample = output + slot * outputPixels * filters
                for y in 0 ..< outputHeight {
                    let row = sample + y * outputWidth * filters
                    let copied = y < region.height ? region.width * filters : 0
                    if copied > 0 { row.update(from: source + y * copied, count: copied) }
                    pk_fill(row + copied, outputWidth * filters - copied, 0)
                }
            }
        }

        /// Adds each row of `patches` back onto the input positions it was copied from (the adjoint of
        /// ``im2col(_:samples:into:)``), overwriting the samples' part of `inputGradient` (``pk_col2im``).
        func col2im(_ patches: UnsafePointer<Float>, samples: Range<Int>, into inputGradient: UnsafeMutablePointer<Float>) {
            pk_col2im(patches, samples.count, inputHeight, inputWidth, channels, kernelHeight, kernelWidth,
                      inputGradient + samples.lowerBound * inputSize)
        }
    }
}

extension Conv2D {
    /// A ``MaxPool2D`` fused into the convolution before it (``Conv2D/forward(_:pooling:)``).
    struct Pooling {
        let window: (height: Int, width: Int)
        let outputHeight: Int, outputWidth: Int, filters: Int

        init(window: (height: Int, width: Int), geometry: Geometry, filters: Int) {
            self.window = window
            (outputHeight, outputWidth) = (geometry.outputHeight / window.height, geometry.outputWidth / window.width)
            self.filters = filters
        }

        /// Floats per pooled sample.
        var outputSize: Int { outputHeight * outputWidth * filters }

        /// The most values a window may hold for its switch to fit a byte (``pk_maxpool_switch_backward``):
        /// larger windows are not fused in training.
        static let largestSwitchedWindow = 254

        /// Bytes between the switches of consecutive pooled positions: the filters rounded up to
        /// whole 32-bit words (``pk_spconv_pool_lanes``).
        var switchStride: Int { (filters + 3) / 4 * 4 }
        /// Bytes of switches per sample.
        var switchSize: Int { outputHeight * outputWidth * switchStride }

        /// One sample's channels-last products, rows of `rowWidth` positions (the convolution's
        /// output width, or only the columns the windows read) → bias, activation and pooling
        /// (``pk_bias_maxpool_forward``), and each window's switch into `switches` when given.
        func finish(_ products: UnsafePointer<Float>, rowWidth: Int, bias: UnsafePointer<Float>, activation: Activation,
                    into output: UnsafeMutablePointer<Float>, switches: UnsafeMutablePointer<UInt8>?) {
            pk_bias_maxpool_forward(products, bias, activation == .relu ? 1 : 0, output, rowWidth, filters,
                                    outputHeight, outputWidth, window.height, window.width, switches, switchStride)
        }

        /// The gradient at the convolution's pre-activation outputs of `samples` consecutive
        /// samples (`[outputHeight, outputWidth, filters]` of `geometry` each, into `gradient`),
        /// from their pooled gradient and the switches the forward pass recorded (``pk_maxpool_switch_backward``).
        func gradient(_ pooledGradient: UnsafePointer<Float>, switches: UnsafePointer<UInt8>, samples: Int,
                      geometry: Geometry, into gradient: UnsafeMutablePointer<Float>) {
            let unpooledSize = geometry.outputPixels * filters
            for slot in 0 ..< samples {
                pk_maxpool_switch_backward(pooledGradient + slot * outputSize, switches + slot * switchSize, switchStride,
                                           gradient + slot * unpooledSize, unpooledSize, geometry.outputWidth, filters,
                                           outputHeight, outputWidth, window.height, window.width)
            }
        }

        /// Wide positions (rows `rowStride` apart) that cover every product the windows read:
        /// the rows and columns past the last whole window are left out.
        func wideLength(rowStride: Int) -> Int {
            (outputHeight * window.height - 1) * rowStride + outputWidth * window.width
        }

        /// One filter's products, a plane with rows `rowStride` apart of which `readable` floats
        /// may be read → bias, activation and pooling into its pooled plane at `output`, +0 in
        /// the padding up to `outputPlaneStride` (``pk_bias_maxpool_planes`` on one channel, which
        /// may store up to 15 floats past the plane).
        func finishPlane(_ plane: UnsafePointer<Float>, readable: Int, rowStride: Int, bias: UnsafePointer<Float>,
                         activation: Activation, into output: UnsafeMutablePointer<Float>, outputPlaneStride: Int) {
            pk_bias_maxpool_planes(plane, readable, rowStride, bias, activation == .relu ? 1 : 0, output,
                                   outputPlaneStride, 1, outputHeight, outputWidth, window.height, window.width)
        }
    }
}

/// Adds up `count` blocks of per-chunk partial sums laid `stride` apart, in block order, and writes
/// each `(offset, destination)` slice of the total to its destination; pieces of the slices on all
/// cores (each element summed in block order whatever the piece, so the same bits).
func sumPartials(_ partials: UnsafePointer<Float>, count: Int, stride: Int,
                 into destinations: [(offset: Int, buffer: UnsafeMutableBufferPointer<Float>)]) {
    let pieces = destinations.flatMap { destination in
        Parallel.ranges(destination.buffer.count, size: 1 << 13).map { (destination, $0) }
    }
    Parallel.forEach(pieces.count) { index in
        let ((offset, buffer), range) = pieces[index]
        let out = buffer.baseAddress! + range.lowerBound
        out.update(from: partials + offset + range.lowerBound, count: range.count)
        for block in 1 ..< max(count, 1) {
            Elementwise.add(partials + block * stride + offset + range.lowerBound, into: out, count: range.count)
        }
    }
}

// MARK: - Configuration

extension Conv2D: SavableLayer {
    /// `filters`, `kernelSize` as `[height, width]` and `activation`, as Keras's `Conv2D.get_config()`.
    public struct Configuration: Codable, Equatable, Sendable, CustomStringConvertible {
        /// The number of output channels.
        public var filters: Int
        /// The kernel window, `[height, width]`.
        public var kernelSize: [Int]
        /// The activation applied to the output.
        public var activation: Activation
        /// The configuration as Swift code would create the layer.
        public var description: String { "Conv2D(filters: \(filters), kernelSize: \(kernelSize), activation: \(activation))" }
    }

    public static var configurationKey: String { "conv2D" }
    public var configuration: Configuration {
        Configuration(filters: filters, kernelSize: [kernelSize.height, kernelSize.width], activation: activation)
    }

    /// A Conv2D layer with this configuration and no parameters yet.
    ///
    /// - Throws: ``ModelError/invalidConfiguration(layer:reason:)`` unless there are positive
    ///   filters and a kernel size of two positive sides.
    public init(configuration: Configuration) throws(ModelError) {
        let size = configuration.kernelSize
        guard configuration.filters > 0, size.count == 2, size.allSatisfy({ $0 > 0 }) else {
            throw .invalidConfiguration(layer: "Conv2D", reason: "filters \(configuration.filters) and kernelSize \(size) "
                                        + "must be at least 1 and two sides of at least 1")
        }
        self.init(filters: configuration.filters, kernelSize: (size[0], size[1]), activation: configuration.activation)
    }

    /// `[kh, kw, inputChannels, filters]` for the kernel and `[filters]` for the bias.
    public func parameterShapes(for inputShape: [Int]) -> [[Int]] {
        [[kernelSize.height, kernelSize.width, inputShape[2], filters], [filters]]
    }
    /// The kernel.
    public var prunableParameterIndex: Int? { 0 }
}

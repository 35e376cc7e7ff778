import _PruneKitKernels

extension Conv2D {
    /// The forward pass as a direct convolution (``pk_conv_direct``), for few inputs per output:
    /// no patch matrix, 16 filters per vector, the products summed in im2col + GEMM's order and so
    /// with their bits. With `pooled`, bias, activation and pooling are fused as in
    /// ``forward(_:pooling:)``; else the products go through ``finishLinearOutput``.
    func forwardDirect(_ pass: ForwardPass, pooling pooled: Pooling?) {
        let geometry = Geometry(inputShape: pass.inputShape, kernelSize: kernelSize)
        let chunks = geometry.chunks(batchSize: pass.batchSize, filters: filters)
        let outputSize = pooled?.outputSize ?? geometry.outputPixels * filters
        let weights = DirectWeights(self, geometry: geometry)
        parameters[1].scalars.withUnsafeBufferPointer { bias in
            Parallel.forEach(chunks.count) { index in
                let samples = chunks[index]
                let output = pass.output.baseAddress! + samples.lowerBound * outputSize
                let input = pass.input.baseAddress! + samples.lowerBound * geometry.inputSize
                guard let pooled else {
                    weights.products(input, samples: samples.count, into: output)
                    return finishLinearOutput(output, rows: samples.count * geometry.outputPixels, width: filters,
                                              bias: bias.baseAddress!, activation: activation,
                                              offset: samples.lowerBound * outputSize, pass: pass)
                }
                weights.pooled(input, samples: samples.count, pooling: pooled, relu: activation == .relu, into: output)
            }
        }
    }

    /// A convolution's kernel and bias laid out for ``pk_conv_direct``: rows of the filters
    /// rounded up to a 16-lane vector, zero in the padding.
    struct DirectWeights {
        let geometry: Geometry
        let filters: Int
        private let weights: [Float]
        private let bias: [Float]

        init(_ layer: Conv2D, geometry: Geometry) {
            self.geometry = geometry
            filters = layer.filters
            let ldw = roundUpToVector(filters)
            weights = paddedRows(layer.parameters[0].scalars, rows: geometry.patchSize, columns: filters, stride: ldw)
            bias = paddedRows(layer.parameters[1].scalars, rows: 1, columns: filters, stride: ldw)
        }

        /// The products (no bias) of `samples` consecutive samples at `input`, `[outputHeight,
        /// outputWidth, filters]` each, with im2col + GEMM's bits.
        func products(_ input: UnsafePointer<Float>, samples: Int, into output: UnsafeMutablePointer<Float>) {
            run(input, samples: samples, bias: false, relu: false, window: (1, 1), into: output)
        }

        /// The products with bias, the ReLU when `relu`, and `pooled`'s max pooling, pooled-shape
        /// samples into `output`, with the bits of those steps one after the other.
        func pooled(_ input: UnsafePointer<Float>, samples: Int, pooling pooled: Pooling, relu: Bool,
                    into output: UnsafeMutablePointer<Float>) {
            run(input, samples: samples, bias: true, relu: relu, window: pooled.window, into: output)
        }

        /// The gradient at the pre-activation outputs of `samples` consecutive samples at `input`,
        /// `[outputHeight, outputWidth, filters]` each, from the pooled output `pooledOutput` that
        /// ``pooled(_:samples:pooling:relu:into:)`` gave and its gradient `pooledGradient`: the
        /// products recomputed, then bias, ReLU when `relu` and the pooling's gradient rule in
        /// registers (``pk_conv_direct_pool_gradient``), with the bits of those steps one after the other.
        func poolingGradient(_ input: UnsafePointer<Float>, samples: Int, pooling pooled: Pooling, relu: Bool,
                             pooledOutput: UnsafePointer<Float>, pooledGradient: UnsafePointer<Float>,
                             into gradient: UnsafeMutablePointer<Float>) {
            withOperands(window: pooled.window) { weights, bias, scratch in
                pk_conv_direct_pool_gradient(input, samples, geometry.inputHeight, geometry.inputWidth, geometry.channels,
                                             geometry.kernelHeight, geometry.kernelWidth, weights, filters, bias, relu ? 1 : 0,
                                             pooled.window.height, pooled.window.width, pooledOutput, pooledGradient,
                                             scratch, gradient)
            }
        }

        private func run(_ input: UnsafePointer<Float>, samples: Int, bias withBias: Bool, relu: Bool,
                         window: (height: Int, width: Int), into output: UnsafeMutablePointer<Float>) {
            withOperands(window: window) { weights, bias, scratch in
                pk_conv_direct(input, samples, geometry.inputHeight, geometry.inputWidth, geometry.channels,
                               geometry.kernelHeight, geometry.kernelWidth, weights, filters,
                               withBias ? bias : nil, relu ? 1 : 0, window.height, window.width, scratch, output)
            }
        }

        /// The padded weights and bias, and a scratch band for `window`'s rows of products, for `body`.
        private func withOperands(window: (height: Int, width: Int),
                                  _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: window.height * geometry.outputWidth * roundUpToVector(filters))
            defer { scratch.deallocate() }
            weights.withUnsafeBufferPointer { weights in
                bias.withUnsafeBufferPointer { bias in body(weights.baseAddress!, bias.baseAddress!, scratch) }
            }
        }
    }
}

/// The `rows × columns` row-major `matrix` with rows `stride` floats apart, zero in the padding.
private func paddedRows(_ matrix: [Float], rows: Int, columns: Int, stride: Int) -> [Float] {
    var result = [Float](repeating: 0, count: rows * stride)
    for row in 0 ..< rows {
        result[row * stride ..< row * stride + columns] = matrix[row * columns ..< (row + 1) * columns]
    }
    return result
}

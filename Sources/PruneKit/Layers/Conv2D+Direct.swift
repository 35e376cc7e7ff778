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
                weights.pooled(input, samples: samples.count, pooling: pooled, relu: activation == .relu, into: output,
                               switches: pass.switches.map { $0 + samples.lowerBound * pooled.switchSize })
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
        /// samples into `output`, with the bits of those steps one after the other; and each
        /// window's switch into `switches` when given (``Conv2D/Pooling/switchSize`` bytes per sample).
        func pooled(_ input: UnsafePointer<Float>, samples: Int, pooling pooled: Pooling, relu: Bool,
                    into output: UnsafeMutablePointer<Float>, switches: UnsafeMutablePointer<UInt8>?) {
            run(input, samples: samples, bias: true, relu: relu, window: pooled.window, into: output,
                switches: switches, switchStride: pooled.switchStride, sampleSwitchStride: pooled.switchSize)
        }

        private func run(_ input: UnsafePointer<Float>, samples: Int, bias withBias: Bool, relu: Bool,
                         window: (height: Int, width: Int), into output: UnsafeMutablePointer<Float>,
                         switches: UnsafeMutablePointer<UInt8>? = nil, switchStride: Int = 0, sampleSwitchStride: Int = 0) {
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: window.height * geometry.outputWidth * roundUpToVector(filters))
            defer { scratch.deallocate() }
            weights.withUnsafeBufferPointer { weights in
                bias.withUnsafeBufferPointer { bias in
                    pk_conv_direct(input, samples, geometry.inputHeight, geometry.inputWidth, geometry.channels,
                                   geometry.kernelHeight, geometry.kernelWidth, weights.baseAddress!, filters,
                                   withBias ? bias.baseAddress! : nil, relu ? 1 : 0, window.height, window.width, scratch, output,
                                   switches, switchStride, sampleSwitchStride)
                }
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

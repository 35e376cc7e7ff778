import _PruneKitKernels

extension Conv2D {
    /// The forward pass as a direct convolution (``pk_conv_direct``), for few inputs per output:
    /// no patch matrix, 16 filters per vector, the products summed in im2col + GEMM's order and so
    /// with their bits. With `pooled`, bias, activation and pooling are fused as in
    /// ``forward(_:pooling:)``; else the products go through ``finishLinearOutput``.
    func forwardDirect(_ pass: ForwardPass, pooling pooled: Pooling?) {
        let geometry = Geometry(inputShape: pass.inputShape, kernelSize: kernelSize)
        let ldw = roundUpToVector(filters)
        let chunks = geometry.chunks(batchSize: pass.batchSize, filters: filters)
        let outputSize = pooled?.outputSize ?? geometry.outputPixels * filters
        let bandRows = pooled?.window.height ?? 1
        let weights = paddedRows(parameters[0].scalars, rows: geometry.patchSize, columns: filters, stride: ldw)
        let paddedBias = paddedRows(parameters[1].scalars, rows: 1, columns: filters, stride: ldw)
        weights.withUnsafeBufferPointer { weights in
            paddedBias.withUnsafeBufferPointer { paddedBias in
                parameters[1].scalars.withUnsafeBufferPointer { bias in
                    Parallel.forEach(chunks.count) { index in
                        let samples = chunks[index]
                        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: bandRows * geometry.outputWidth * ldw)
                        defer { scratch.deallocate() }
                        let output = pass.output.baseAddress! + samples.lowerBound * outputSize
                        pk_conv_direct(pass.input.baseAddress! + samples.lowerBound * geometry.inputSize, samples.count,
                                       geometry.inputHeight, geometry.inputWidth, geometry.channels, geometry.kernelHeight,
                                       geometry.kernelWidth, weights.baseAddress!, filters,
                                       pooled == nil ? nil : paddedBias.baseAddress!, activation == .relu ? 1 : 0,
                                       pooled?.window.height ?? 1, pooled?.window.width ?? 1, scratch, output)
                        if pooled == nil {
                            finishLinearOutput(output, rows: samples.count * geometry.outputPixels, width: filters,
                                               bias: bias.baseAddress!, activation: activation,
                                               offset: samples.lowerBound * outputSize, pass: pass)
                        }
                    }
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

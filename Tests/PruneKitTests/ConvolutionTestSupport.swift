@testable import PruneKit

/// `layer`'s forward pass on `kernel`: outside training fused with a pooling of window `pooling`
/// when given, or in training with `pooledBy` (the MaxPool2D after it, not fused) when given.
func convolutionForward(_ layer: Conv2D, input: [Float], inputShape: [Int], batch: Int, kernel: LayerKernel = .gemm,
                        pooling: (Int, Int)? = nil, pooledBy: (height: Int, width: Int)? = nil) -> [Float] {
    let geometry = Conv2D.Geometry(inputShape: inputShape, kernelSize: layer.kernelSize)
    let outputShape = pooling.map { [geometry.outputHeight / $0.0, geometry.outputWidth / $0.1, layer.filters] }
        ?? [geometry.outputHeight, geometry.outputWidth, layer.filters]
    var output = [Float](repeating: .nan, count: batch * outputShape.reduce(1, *))
    input.withUnsafeBufferPointer { input in
        output.withUnsafeMutableBufferPointer { output in
            var pass = ForwardPass(batchSize: batch, inputShape: inputShape, outputShape: outputShape, input: input,
                                   output: output, training: pooledBy != nil, randomKey: 0)
            pass.kernel = kernel
            pass.pooledBy = pooledBy
            layer.forward(pass, pooling: pooling.map { (height: $0.0, width: $0.1) })
        }
    }
    return output
}

/// `layer`'s kernel, bias and input gradients on `kernel` for `outputGradient` (at the pre-activation outputs).
func convolutionGradients(_ layer: Conv2D, input: [Float], inputShape: [Int], batch: Int, outputGradient: [Float],
                          kernel: LayerKernel) -> [[Float]] {
    let outputShape = try! layer.outputShape(for: inputShape)
    var outputGradient = outputGradient
    let output = [Float](repeating: 1, count: outputGradient.count)
    var kernelGradient = [Float](repeating: .nan, count: layer.parameters[0].count)
    var biasGradient = [Float](repeating: .nan, count: layer.filters)
    var inputGradient = [Float](repeating: .nan, count: input.count)
    input.withUnsafeBufferPointer { input in
        output.withUnsafeBufferPointer { output in
            outputGradient.withUnsafeMutableBufferPointer { outputGradient in
                kernelGradient.withUnsafeMutableBufferPointer { kernelGradient in
                    biasGradient.withUnsafeMutableBufferPointer { biasGradient in
                        inputGradient.withUnsafeMutableBufferPointer { inputGradient in
                            var pass = BackwardPass(batchSize: batch, inputShape: inputShape, outputShape: outputShape,
                                                    input: input, output: output, outputGradient: outputGradient,
                                                    inputGradient: inputGradient, parameterGradients: [kernelGradient, biasGradient],
                                                    randomKey: 0, gradientIsPreActivation: true)
                            pass.kernel = kernel
                            layer.backward(pass)
                        }
                    }
                }
            }
        }
    }
    return [kernelGradient, biasGradient, inputGradient]
}

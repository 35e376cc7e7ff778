@testable import PruneKit

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

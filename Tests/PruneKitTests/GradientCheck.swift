@testable import PruneKit

/// Finite-difference gradient checking of single layers.
///
/// The layer's output is projected onto fixed random weights `R`, giving the scalar
/// `L = Σ output ⊙ R`, whose gradient with respect to the output is `R`. The layer's backward pass
/// from `R` must match central differences `(L(θ + h) − L(θ − h)) / 2h` of every parameter and input.
struct GradientCheck {
    var layer: any Layer
    let inputShape: [Int]
    let batchSize: Int
    let training: Bool
    let randomKey: UInt64 = 12345
    private(set) var input: [Float]
    private let projection: [Float]
    let outputShape: [Int]

    init(_ layer: any Layer, inputShape: [Int], batchSize: Int = 2, training: Bool = false, seed: UInt64 = 7) throws {
        var generator = SplitMix64(seed: seed)
        var layer = layer
        layer.build(inputShape: inputShape, generator: &generator)
        // Non-zero biases, so their effect is tested too.
        layer.parameters = layer.parameters.map { tensor in
            Tensor(shape: tensor.shape, scalars: tensor.scalars.map { $0 == 0 ? SplitMix64.unitFloat(generator.next()) - 0.5 : $0 })
        }
        self.layer = layer
        self.inputShape = inputShape
        self.batchSize = batchSize
        self.training = training
        outputShape = try layer.outputShape(for: inputShape)
        input = (0 ..< batchSize * inputShape.reduce(1, *)).map { _ in SplitMix64.unitFloat(generator.next()) * 2 - 1 }
        projection = (0 ..< batchSize * outputShape.reduce(1, *)).map { _ in SplitMix64.unitFloat(generator.next()) * 2 - 1 }
    }

    /// Runs the forward pass and returns the output.
    func output(input: [Float]? = nil) -> [Float] {
        var output = [Float](repeating: 0, count: projection.count)
        (input ?? self.input).withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { output in
                layer.forward(ForwardPass(batchSize: batchSize, inputShape: inputShape, outputShape: outputShape,
                                          input: input, output: output, training: training, randomKey: randomKey,
                                          preActivation: nil))
            }
        }
        return output
    }

    /// `Σ output ⊙ R` in double precision.
    func objective(input: [Float]? = nil) -> Double {
        zip(output(input: input), projection).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// The layer's analytic gradients: with respect to the input, then each parameter.
    func analytic() -> (input: [Float], parameters: [[Float]]) {
        let forwardOutput = output()
        var gradient = projection
        var inputGradient = [Float](repeating: .nan, count: input.count)
        var parameterGradients = layer.parameters.map { [Float](repeating: .nan, count: $0.count) }
        input.withUnsafeBufferPointer { input in
            forwardOutput.withUnsafeBufferPointer { output in
                gradient.withUnsafeMutableBufferPointer { gradient in
                    inputGradient.withUnsafeMutableBufferPointer { inputGradient in
                        let pointers = parameterGradients.indices.map { index in
                            UnsafeMutableBufferPointer<Float>.allocate(capacity: parameterGradients[index].count)
                        }
                        defer { pointers.forEach { $0.deallocate() } }
                        layer.backward(BackwardPass(batchSize: batchSize, inputShape: inputShape, outputShape: outputShape,
                                                    input: input, output: output, outputGradient: gradient,
                                                    inputGradient: inputGradient, parameterGradients: pointers,
                                                    randomKey: randomKey, gradientIsPreActivation: false))
                        for index in pointers.indices { parameterGradients[index] = Array(pointers[index]) }
                    }
                }
            }
        }
        return (inputGradient, parameterGradients)
    }

    /// The largest error between analytic and numeric gradients, relative to the gradients' scale.
    func worstRelativeError(step h: Float = 1e-2) -> Double {
        let (inputGradient, parameterGradients) = analytic()
        var worst = 0.0
        func compare(_ analytic: Float, _ numeric: Double) {
            let scale = max(1, abs(numeric), Double(abs(analytic)))
            worst = max(worst, abs(Double(analytic) - numeric) / scale)
        }
        for i in input.indices {
            var plus = input, minus = input
            plus[i] += h
            minus[i] -= h
            compare(inputGradient[i], (objective(input: plus) - objective(input: minus)) / Double(2 * h))
        }
        var probe = self
        for p in layer.parameters.indices {
            for i in layer.parameters[p].scalars.indices {
                let original = layer.parameters[p].scalars[i]
                probe.layer.parameters[p].scalars[i] = original + h
                let plus = probe.objective()
                probe.layer.parameters[p].scalars[i] = original - h
                let minus = probe.objective()
                probe.layer.parameters[p].scalars[i] = original
                compare(parameterGradients[p][i], (plus - minus) / Double(2 * h))
            }
        }
        return worst
    }
}

import Foundation

/// Adam (Kingma & Ba, ICLR 2015) exactly as Keras 2.19 computes it, bias correction included:
///
///     t  = iterations + 1
///     α  = learningRate · sqrt(1 − β₂ᵗ) / (1 − β₁ᵗ)
///     m ← m + (g − m) · (1 − β₁)
///     v ← v + (g² − v) · (1 − β₂)
///     θ ← θ − α · m / (sqrt(v) + ε)
///
/// Defaults are Keras's: learning rate 0.001, β₁ 0.9, β₂ 0.999, ε 1e-7.
public struct Adam: Optimizer, Codable, Equatable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public private(set) var iterations = 0
    /// First moments, one per parameter (empty before the first update).
    public private(set) var firstMoments: [Tensor] = []
    /// Second moments, one per parameter (empty before the first update).
    public private(set) var secondMoments: [Tensor] = []

    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public mutating func update(_ parameters: inout [Tensor], gradients: [UnsafeBufferPointer<Float>]) {
        precondition(parameters.count == gradients.count, "Adam: one gradient per parameter")
        if firstMoments.isEmpty {
            firstMoments = parameters.map { Tensor(zeros: $0.shape) }
            secondMoments = firstMoments
        }
        iterations += 1
        let t = Float(iterations)
        let alpha = learningRate * (1 - powf(beta2, t)).squareRoot() / (1 - powf(beta1, t))
        let (oneMinusBeta1, oneMinusBeta2, epsilon) = (1 - beta1, 1 - beta2, self.epsilon)
        for index in parameters.indices {
            let gradient = gradients[index]
            parameters[index].scalars.withUnsafeMutableBufferPointer { theta in
                firstMoments[index].scalars.withUnsafeMutableBufferPointer { m in
                    secondMoments[index].scalars.withUnsafeMutableBufferPointer { v in
                        for i in 0 ..< theta.count {
                            let g = gradient[i]
                            m[i] += (g - m[i]) * oneMinusBeta1
                            v[i] += (g * g - v[i]) * oneMinusBeta2
                            theta[i] -= alpha * m[i] / (v[i].squareRoot() + epsilon)
                        }
                    }
                }
            }
        }
    }
}

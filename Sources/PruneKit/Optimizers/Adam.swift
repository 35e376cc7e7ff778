import Foundation
import _PruneKitKernels

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
    /// The step size α before bias correction (Keras's `learning_rate`).
    public var learningRate: Float
    /// The decay rate β₁ of the first-moment (mean) estimate.
    public var beta1: Float
    /// The decay rate β₂ of the second-moment (uncentred variance) estimate.
    public var beta2: Float
    /// The constant ε added to `sqrt(v)` for numerical stability (Keras's `epsilon`, 1e-7).
    public var epsilon: Float
    public private(set) var iterations = 0
    /// First moments, one per parameter (empty before the first update).
    public private(set) var firstMoments: [Tensor] = []
    /// Second moments, one per parameter (empty before the first update).
    public private(set) var secondMoments: [Tensor] = []

    /// An optimizer with these hyperparameters (Keras's defaults) and no state yet: moments are
    /// created at the first update.
    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// Creates an optimizer that resumes from saved state: `iterations` updates done, with one
    /// first and one second moment per parameter (both empty before the first update).
    init(learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, iterations: Int,
         firstMoments: [Tensor], secondMoments: [Tensor]) {
        self.init(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        self.iterations = iterations
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
    }

    /// True before the first update, or when both moments have exactly these shapes.
    public func accepts(parameterShapes: [[Int]]) -> Bool {
        firstMoments.isEmpty && secondMoments.isEmpty
            || firstMoments.map(\.shape) == parameterShapes && secondMoments.map(\.shape) == parameterShapes
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
        let step = Step(alpha: alpha, oneMinusBeta1: 1 - beta1, oneMinusBeta2: 1 - beta2, epsilon: epsilon)
        for index in parameters.indices {
            let gradient = gradients[index].baseAddress!
            parameters[index].scalars.withUnsafeMutableBufferPointer { theta in
                firstMoments[index].scalars.withUnsafeMutableBufferPointer { m in
                    secondMoments[index].scalars.withUnsafeMutableBufferPointer { v in
                        let blocks = Parallel.ranges(theta.count, size: 1 << 15)
                        Parallel.forEach(blocks.count) { block in
                            step.apply(theta.baseAddress!, m.baseAddress!, v.baseAddress!, gradient, range: blocks[block])
                        }
                    }
                }
            }
        }
    }

    /// One Adam update of a range of scalars (``pk_adam_step``).
    private struct Step {
        let alpha: Float, oneMinusBeta1: Float, oneMinusBeta2: Float, epsilon: Float

        func apply(_ theta: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
                   _ g: UnsafePointer<Float>, range: Range<Int>) {
            let i = range.lowerBound
            pk_adam_step(theta + i, m + i, v + i, g + i, range.count, alpha, oneMinusBeta1, oneMinusBeta2, epsilon)
        }
    }
}

import Foundation
import Testing
@testable import PruneKit

@Suite struct AdamTests {
    @Test func firstStepMovesEachWeightByTheLearningRate() {
        // At t = 1, m = 0.1 g and v = 0.001 g², α = lr · sqrt(0.001) / 0.1, so the step is
        // lr · g / (|g| + ε / sqrt(0.001)) ≈ lr · sign(g): Adam's well-known first step.
        var adam = Adam()
        var parameters = [Tensor(shape: [3], scalars: [1, 2, 3])]
        let gradient: [Float] = [0.5, -2, 1e-3]
        gradient.withUnsafeBufferPointer { adam.update(&parameters, gradients: [$0]) }
        let expected = zip([Float](arrayLiteral: 1, 2, 3), gradient).map { theta, g -> Float in
            let alpha = Float(0.001) * (1 - 0.999 as Float).squareRoot() / (1 - 0.9)
            return theta - alpha * (0.1 * g) / ((0.001 * g * g).squareRoot() + 1e-7)
        }
        #expect(parameters[0].scalars == expected)
        #expect(abs(parameters[0].scalars[0] - 0.999) < 1e-6)
        #expect(adam.iterations == 1)
    }

    @Test func minimisesAQuadratic() {
        var adam = Adam(learningRate: 0.05)
        var parameters = [Tensor(shape: [2], scalars: [3, -4])]
        for _ in 0 ..< 500 {
            let gradient = parameters[0].scalars.map { 2 * $0 }
            gradient.withUnsafeBufferPointer { adam.update(&parameters, gradients: [$0]) }
        }
        #expect(parameters[0].scalars.allSatisfy { abs($0) < 0.05 })
    }
}

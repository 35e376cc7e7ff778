import Testing
@testable import PruneKit

/// Every layer's backward pass agrees with central finite differences (see `GradientCheck`).
/// Tolerance 1e-2 relative: Float32 forward passes with h = 1e-2 leave errors around 1e-4–1e-3;
/// a wrong index or a missing term gives errors of order 1.
@Suite struct LayerGradientTests {
    @Test(arguments: [Activation.linear, .relu])
    func conv2D(activation: Activation) throws {
        let check = try GradientCheck(Conv2D(filters: 3, kernelSize: 3, activation: activation), inputShape: [6, 5, 2], batchSize: 3)
        // A small step keeps the differences from crossing ReLU's kink at 0.
        #expect(check.worstRelativeError(step: 1e-3) < 1e-2)
    }

    @Test func conv2DWithRectangularKernel() throws {
        let check = try GradientCheck(Conv2D(filters: 2, kernelSize: (2, 3)), inputShape: [4, 5, 3])
        #expect(check.worstRelativeError() < 1e-2)
    }

    @Test func conv2DWithManySamplesSpansSeveralChunks() throws {
        // 64 × 24 × 24 receptive fields of 9 values exceed one 2¹⁸-float chunk.
        let layer = Conv2D(filters: 2, kernelSize: 3)
        let check = try GradientCheck(layer, inputShape: [26, 26, 1], batchSize: 64)
        let geometry = Conv2D.Geometry(inputShape: [26, 26, 1], kernelSize: (3, 3))
        #expect(geometry.chunks(batchSize: 64, filters: 2).count > 1)
        let (_, gradients) = check.analytic()
        // Spot-check the kernel gradient, the part summed across chunks.
        var probe = check
        let h: Float = 1e-2
        for i in [0, 5, 17] {
            let original = probe.layer.parameters[0].scalars[i]
            probe.layer.parameters[0].scalars[i] = original + h
            let plus = probe.objective()
            probe.layer.parameters[0].scalars[i] = original - h
            let minus = probe.objective()
            probe.layer.parameters[0].scalars[i] = original
            let numeric = (plus - minus) / Double(2 * h)
            #expect(abs(Double(gradients[0][i]) - numeric) / max(1, abs(numeric)) < 1e-2)
        }
    }

    @Test(arguments: [Activation.linear, .relu, .softmax])
    func dense(activation: Activation) throws {
        let check = try GradientCheck(Dense(5, activation: activation), inputShape: [7], batchSize: 3)
        #expect(check.worstRelativeError() < 1e-2)
    }

    @Test func denseWithMoreRowsThanOneBlock() throws {
        let check = try GradientCheck(Dense(3), inputShape: [70], batchSize: 66)
        #expect(check.worstRelativeError() < 1e-2)
    }

    @Test func maxPool() throws {
        let check = try GradientCheck(MaxPool2D(poolSize: 2), inputShape: [5, 4, 3], batchSize: 2)
        #expect(check.worstRelativeError(step: 1e-3) < 1e-2)
    }

    @Test func dropoutWhileTraining() throws {
        let check = try GradientCheck(Dropout(0.4), inputShape: [10], batchSize: 4, training: true)
        #expect(check.worstRelativeError() < 1e-2)
    }

    @Test func flatten() throws {
        let check = try GradientCheck(Flatten(), inputShape: [2, 3, 2], batchSize: 2)
        #expect(check.worstRelativeError() < 1e-2)
    }
}

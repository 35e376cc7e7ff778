import Foundation
import Testing
@testable import PruneKit

@Suite struct LossTests {
    /// Softmax of logits, row by row, through the Activation code the models use.
    private func softmax(_ logits: [Float], classes: Int) -> [Float] {
        var p = logits
        p.withUnsafeMutableBufferPointer { Activation.softmax.apply($0.baseAddress!, rows: logits.count / classes, width: classes) }
        return p
    }

    private func loss(_ logits: [Float], _ targets: [Float], classes: Int, gradient: UnsafeMutablePointer<Float>? = nil) -> Double {
        let p = softmax(logits, classes: classes)
        return Loss.categoricalCrossentropy.evaluate(output: p, logits: logits, targets: targets,
                                                     batchSize: logits.count / classes, classes: classes, gradient: gradient)
    }

    @Test func uniformLogitsGiveLogOfClassCount() {
        // Equal logits: p = 1/4 for every class, loss = log 4 per sample.
        let sum = loss([Float](repeating: 0.3, count: 8), [1, 0, 0, 0, 0, 0, 1, 0], classes: 4)
        #expect(abs(sum / 2 - log(4)) < 1e-6)
    }

    @Test func fusedGradientMatchesFiniteDifferences() {
        let logits: [Float] = [1.2, -0.5, 0.3, 2.0, 0.1, -1.1]
        let targets: [Float] = [0, 1, 0, 0, 0, 1]
        var gradient = [Float](repeating: 0, count: 6)
        _ = gradient.withUnsafeMutableBufferPointer { loss(logits, targets, classes: 3, gradient: $0.baseAddress!) }
        for i in logits.indices {
            var plus = logits, minus = logits
            plus[i] += 1e-3
            minus[i] -= 1e-3
            // The gradient is of the mean loss over the 2 samples.
            let numeric = (loss(plus, targets, classes: 3) - loss(minus, targets, classes: 3)) / 2 / 2e-3
            #expect(abs(Double(gradient[i]) - numeric) < 1e-3)
        }
    }

    @Test func extremeLogitsStayFinite() {
        // p(target) underflows to 0 in Float, but the fused form gives the exact loss 1000.
        let sum = loss([1000, 0], [0, 1], classes: 2)
        #expect(abs(sum - 1000) < 1e-3)
    }

    @Test func unfusedLossClipsProbabilities() {
        let p: [Float] = [1, 0]
        let sum = Loss.categoricalCrossentropy.evaluate(output: p, logits: nil, targets: [0, 1], batchSize: 1, classes: 2, gradient: nil)
        #expect(abs(sum - -log(1e-7)) < 1e-3)
    }

    @Test func accuracyCountsArgmaxMatches() {
        let output: [Float] = [0.1, 0.9, 0.8, 0.2, 0.5, 0.5]
        let targets: [Float] = [0, 1, 0, 1, 1, 0]
        // Row 3 ties: the first index wins, as in NumPy's argmax.
        #expect(Metric.correctCount(output: output, targets: targets, batchSize: 3, classes: 2) == 2)
    }
}

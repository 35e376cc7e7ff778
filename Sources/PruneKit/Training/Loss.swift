import Foundation

/// The training objective.
public enum Loss: String, Sendable, Codable {
    /// `−Σₖ yₖ · log pₖ` per sample, averaged over the batch, for one-hot targets `y`.
    ///
    /// When the model ends in a softmax, it is computed from the logits `z` as
    /// `logsumexp(z) − Σₖ yₖ zₖ` and its gradient as `(p − y) / batch`, the fused form Keras uses,
    /// which is exact and never takes the log of 0. Otherwise probabilities are clipped to
    /// `[1e-7, 1 − 1e-7]` as Keras does.
    case categoricalCrossentropy

    /// Sums the per-sample losses of a batch and writes `∂(mean loss)/∂input` into `gradient`.
    ///
    /// - Parameters:
    ///   - output: the model's `batch × classes` output (probabilities).
    ///   - logits: the pre-softmax values when the output layer is a softmax, else `nil`.
    ///   - targets: one-hot targets.
    ///   - gradient: receives the gradient with respect to `logits` when given, else to `output`.
    /// - Returns: the sum of the per-sample losses (divide by the batch size for the mean).
    func evaluate(output: UnsafePointer<Float>, logits: UnsafePointer<Float>?, targets: UnsafePointer<Float>,
                  batchSize: Int, classes: Int, gradient: UnsafeMutablePointer<Float>?) -> Double {
        var total = 0.0
        let scale = 1 / Float(batchSize)
        for row in 0 ..< batchSize {
            let p = output + row * classes, y = targets + row * classes
            if let logits {
                let z = logits + row * classes
                var maximum = -Float.infinity
                for k in 0 ..< classes { maximum = max(maximum, z[k]) }
                var sum = 0.0, dot = 0.0
                for k in 0 ..< classes {
                    sum += Foundation.exp(Double(z[k] - maximum))
                    dot += Double(y[k]) * Double(z[k] - maximum)
                }
                total += Foundation.log(sum) - dot
                if let gradient { for k in 0 ..< classes { gradient[row * classes + k] = (p[k] - y[k]) * scale } }
            } else {
                let epsilon: Float = 1e-7
                for k in 0 ..< classes {
                    let clipped = min(max(p[k], epsilon), 1 - epsilon)
                    total -= Double(y[k]) * Foundation.log(Double(clipped))
                    if let gradient { gradient[row * classes + k] = p[k] > epsilon && p[k] < 1 - epsilon ? -y[k] / p[k] * scale : 0 }
                }
            }
        }
        return total
    }
}

/// A quality measure reported during training and evaluation.
public enum Metric: String, Sendable, Codable {
    /// The fraction of samples whose highest output is their target class (Keras's categorical accuracy).
    case accuracy

    /// The number of rows whose arg-max output equals the arg-max target (first index on ties).
    static func correctCount(output: UnsafePointer<Float>, targets: UnsafePointer<Float>, batchSize: Int, classes: Int) -> Int {
        (0 ..< batchSize).reduce(0) { count, row in
            count + (argmax(output + row * classes, classes) == argmax(targets + row * classes, classes) ? 1 : 0)
        }
    }

    private static func argmax(_ values: UnsafePointer<Float>, _ count: Int) -> Int {
        var best = 0
        for k in 1 ..< count where values[k] > values[best] { best = k }
        return best
    }
}

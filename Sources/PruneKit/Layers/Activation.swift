import Foundation

/// The activation applied to a layer's output, as Keras's `activation=` argument.
public enum Activation: String, Sendable, Codable, CaseIterable {
    /// The identity.
    case linear
    /// `max(0, x)`.
    case relu
    /// `exp(xᵢ) / Σⱼ exp(xⱼ)` over the last dimension, computed as `exp(xᵢ − max x)` for stability.
    case softmax

    /// Applies the activation in place to `rows` rows of `width` values.
    func apply(_ values: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        switch self {
        case .linear:
            return
        case .relu:
            Elementwise.relu(values, count: rows * width)
        case .softmax:
            for row in 0 ..< rows {
                let v = values + row * width
                var maximum = -Float.infinity
                for j in 0 ..< width { maximum = max(maximum, v[j]) }
                var sum: Float = 0
                for j in 0 ..< width { v[j] = expf(v[j] - maximum); sum += v[j] }
                for j in 0 ..< width { v[j] /= sum }
            }
        }
    }

    /// Turns a gradient with respect to the activation's output into one with respect to its input,
    /// in place, from the activation's output `y`.
    func backpropagate(_ gradient: UnsafeMutablePointer<Float>, output y: UnsafePointer<Float>, rows: Int, width: Int) {
        switch self {
        case .linear:
            return
        case .relu:
            Elementwise.reluGradient(gradient, output: y, count: rows * width)
        case .softmax:
            // dx = y ⊙ (dy − Σ dy ⊙ y)
            for row in 0 ..< rows {
                let g = gradient + row * width, p = y + row * width
                var dot: Float = 0
                for j in 0 ..< width { dot += g[j] * p[j] }
                for j in 0 ..< width { g[j] = p[j] * (g[j] - dot) }
            }
        }
    }
}

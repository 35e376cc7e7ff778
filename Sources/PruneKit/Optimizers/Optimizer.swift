/// Updates parameters from their gradients, keeping whatever per-parameter state it needs.
public protocol Optimizer: Sendable {
    /// Applies one update step. `parameters[i]` and `gradients[i]` have the same shape; the
    /// optimizer's state is created on the first call.
    mutating func update(_ parameters: inout [Tensor], gradients: [UnsafeBufferPointer<Float>])
    /// How many updates have been applied (Keras's `optimizer.iterations`).
    var iterations: Int { get }
    /// Whether the optimizer's state, if it has any, was made for parameters of these shapes (in
    /// ``update(_:gradients:)`` order); `fit` checks it before training so that an optimizer taken
    /// from another model is refused instead of updating mismatched buffers.
    func accepts(parameterShapes: [[Int]]) -> Bool
}

extension Optimizer {
    /// True: an optimizer without per-parameter state fits any parameters.
    public func accepts(parameterShapes: [[Int]]) -> Bool { true }
}

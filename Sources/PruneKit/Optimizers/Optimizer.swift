/// Updates parameters from their gradients, keeping whatever per-parameter state it needs.
public protocol Optimizer: Sendable {
    /// Applies one update step. `parameters[i]` and `gradients[i]` have the same shape; the
    /// optimizer's state is created on the first call.
    mutating func update(_ parameters: inout [Tensor], gradients: [UnsafeBufferPointer<Float>])
    /// How many updates have been applied (Keras's `optimizer.iterations`).
    var iterations: Int { get }
}

/// The pruning state of one layer's kernel: what tfmot keeps in a `PruneLowMagnitude` wrapper's
/// `mask` and `threshold` variables.
public struct PrunedLayer: Sendable, Codable, Equatable {
    /// The index of the layer in ``Sequential/layers``.
    public let layerIndex: Int
    /// The layer's name (``Sequential/layerNames``).
    public let name: String
    /// 1 for kept weights and 0 for pruned ones, in the kernel's shape.
    public internal(set) var mask: Tensor
    /// The magnitude of the last mask update (0 before any), as tfmot's `threshold` variable.
    public internal(set) var threshold: Float
    /// The sparsity the schedule asked for at the last mask update (0 before any).
    public internal(set) var targetSparsity: Float

    /// The fraction of the kernel the mask zeroes.
    public var maskSparsity: Double { mask.zeroFraction }
}

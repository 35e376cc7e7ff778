/// What to prune and how: the arguments of tfmot's `prune_low_magnitude`, plus global pruning.
///
/// Prunable weights are the kernels: the parameter each layer names with
/// ``Layer/prunableParameterIndex`` (``Conv2D``'s and ``Dense``'s kernels), never biases.
public struct PruningPolicy: Sendable {
    /// How the sparsity target is shared among the pruned layers.
    public enum Scope: String, Sendable, Codable, CaseIterable {
        /// Each layer is pruned to the schedule's sparsity on its own (tfmot's behaviour).
        case perLayer
        /// One magnitude threshold across all pruned layers, so that together they reach the
        /// schedule's sparsity (`torch.nn.utils.prune.global_unstructured`); each layer's own
        /// sparsity follows from its weights.
        case global
    }

    /// When masks are updated and to which sparsity.
    public var schedule: any PruningSchedule
    /// The names of the layers to prune (as in ``Sequential/layerNames``), or `nil` for every layer
    /// with a kernel.
    public var layerNames: [String]?
    /// Prune whole blocks of a Dense kernel (tfmot's `block_size` / `block_pooling_type`), or `nil`
    /// for element-wise pruning.
    public var blockSparsity: BlockSparsity?
    /// Prune to an m-by-n pattern (tfmot's `sparsity_m_by_n`, for example 2:4) instead of following
    /// the schedule; the mask is computed once, at step 1, as tfmot does.
    public var nmSparsity: NMSparsity?
    /// Per-layer or global thresholds.
    public var scope: Scope

    /// Creates a policy; see each property for the meaning of its argument.
    public init(schedule: any PruningSchedule, layerNames: [String]? = nil, blockSparsity: BlockSparsity? = nil,
                nmSparsity: NMSparsity? = nil, scope: Scope = .perLayer) {
        self.schedule = schedule
        self.layerNames = layerNames
        self.blockSparsity = blockSparsity
        self.nmSparsity = nmSparsity
        self.scope = scope
    }
}

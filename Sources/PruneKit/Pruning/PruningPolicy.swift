/// What to prune and how: the arguments of tfmot's `prune_low_magnitude`, plus global pruning.
///
/// A mask follows one pattern: element-wise (per layer or ``Scope/global``), blocks
/// (``blockSparsity``) or m-by-n (``nmSparsity``). The initialiser refuses combinations where one
/// option would silently override another, so a policy's properties always mean what they say.
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
    public let schedule: any PruningSchedule
    /// The names of the layers to prune (as in ``Sequential/layerNames``), or `nil` for every layer
    /// with a kernel.
    public let layerNames: [String]?
    /// Prune whole blocks of a Dense kernel (tfmot's `block_size` / `block_pooling_type`), or `nil`
    /// for element-wise pruning.
    public let blockSparsity: BlockSparsity?
    /// Prune to an m-by-n pattern (tfmot's `sparsity_m_by_n`, for example 2:4) instead of following
    /// the schedule; the mask is computed once, at step 1, as tfmot does.
    public let nmSparsity: NMSparsity?
    /// Per-layer or global thresholds.
    public let scope: Scope

    /// Creates a policy; see each property for the meaning of its argument.
    ///
    /// - Throws: ``PruningError/incompatibleOptions(_:reason:)`` for `blockSparsity` with
    ///   `nmSparsity`, or either of them with `scope: .global` (each ranks weights its own way);
    ///   ``PruningError/invalidLayerNames(_:reason:)`` for an empty or repeating `layerNames`.
    public init(schedule: any PruningSchedule, layerNames: [String]? = nil, blockSparsity: BlockSparsity? = nil,
                nmSparsity: NMSparsity? = nil, scope: Scope = .perLayer) throws(PruningError) {
        if blockSparsity != nil, nmSparsity != nil {
            throw .incompatibleOptions(["blockSparsity", "nmSparsity"], reason: "a mask follows one pattern, blocks or m-by-n")
        }
        if scope == .global, blockSparsity != nil {
            throw .incompatibleOptions(["blockSparsity", "scope: .global"],
                                       reason: "global pruning ranks single weights across layers, block sparsity ranks blocks within one")
        }
        if scope == .global, nmSparsity != nil {
            throw .incompatibleOptions(["nmSparsity", "scope: .global"],
                                       reason: "m-by-n sparsity keeps m of every n weights in each group, with no threshold to share")
        }
        if let layerNames {
            guard !layerNames.isEmpty else { throw .invalidLayerNames(layerNames, reason: "it is empty; give nil to prune every prunable layer") }
            if let repeated = layerNames.first(where: { name in layerNames.filter { $0 == name }.count > 1 }) {
                throw .invalidLayerNames(layerNames, reason: "\(repeated) is named twice")
            }
        }
        self.schedule = schedule
        self.layerNames = layerNames
        self.blockSparsity = blockSparsity
        self.nmSparsity = nmSparsity
        self.scope = scope
    }
}

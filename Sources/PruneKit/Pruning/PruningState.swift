/// A model's pruning: its policy, its step counter and the mask of every pruned layer. It lives in
/// ``Sequential/pruning`` and travels with the model (copies, checkpoints).
public struct PruningState: Sendable {
    /// What is pruned and how.
    public let policy: PruningPolicy
    /// tfmot's `pruning_step`: the number of training batches run with pruning. The batch being
    /// trained runs at `step` (it is incremented before the batch, so the first batch is step 1,
    /// exactly as tfmot's wrapper counts).
    public internal(set) var step: Int
    /// The pruned layers, in model order.
    public internal(set) var layers: [PrunedLayer]
    /// The step of the last mask update, if any.
    public internal(set) var lastUpdateStep: Int?

    init(policy: PruningPolicy, step: Int = 0, layers: [PrunedLayer], lastUpdateStep: Int? = nil) {
        self.policy = policy
        self.step = step
        self.layers = layers
        self.lastUpdateStep = lastUpdateStep
    }

    /// Whether masks are recomputed at `step`: the schedule's turn, or step 1 for m-by-n sparsity.
    func updatesMasks(atStep step: Int) -> Bool {
        policy.nmSparsity != nil ? NMSparsity.shouldUpdate(atStep: step) : policy.schedule(step: step).shouldPrune
    }

    /// New masks for `kernels` (one per pruned layer, in order) at `step`.
    func masks(for kernels: [Tensor], atStep step: Int) throws(PruningError) -> [MagnitudeMask] {
        if let nm = policy.nmSparsity { return try kernels.map { kernel throws(PruningError) in try nm.mask(for: kernel) } }
        let sparsity = policy.schedule(step: step).sparsity
        switch policy.scope {
        case .global:
            return try MagnitudeMask.global(kernels, sparsity: sparsity)
        case .perLayer:
            return try kernels.map { kernel throws(PruningError) in
                if let block = policy.blockSparsity { return try block.mask(for: kernel, sparsity: sparsity) }
                return try MagnitudeMask(weights: kernel, sparsity: sparsity)
            }
        }
    }
}

/// The mask updates a schedule makes over a training run, and how far the last one falls short of
/// the schedule's final target.
///
/// With tfmot's `PolynomialDecay(0, 0.875, begin 96, end 480, frequency 100)` the updates are at
/// steps 96, 196, 296 and 396; step 480 is not a pruning turn, so the last targeted sparsity is
/// 0.8658409 and the shortfall 0.875 − 0.8658409 ≈ 0.0092.
public struct PruningTimeline: Sendable, Hashable, Codable {
    /// One mask update: the step and the float32 sparsity it targets.
    public struct Update: Sendable, Hashable, Codable {
        /// The training step of the update.
        public var step: Int
        /// The sparsity the masks are pruned to at that step.
        public var sparsity: Float

        /// Creates an update record.
        public init(step: Int, sparsity: Float) {
            self.step = step
            self.sparsity = sparsity
        }
    }

    /// The updates in step order.
    public var updates: [Update]
    /// The schedule's final target (``PruningSchedule/finalTargetSparsity``).
    public var finalTargetSparsity: Float

    /// Creates a timeline from its updates and the schedule's final target.
    public init(updates: [Update], finalTargetSparsity: Float) {
        self.updates = updates
        self.finalTargetSparsity = finalTargetSparsity
    }

    /// The sparsity of the last update, or `nil` when there is none.
    public var lastTargetedSparsity: Float? { updates.last?.sparsity }

    /// `finalTargetSparsity − lastTargetedSparsity` in float32 (the whole target when there is no
    /// update): 0 when the final target is met.
    public var shortfall: Float { finalTargetSparsity - (lastTargetedSparsity ?? 0) }
}

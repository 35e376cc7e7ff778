/// When to update pruning masks and to which sparsity, as a function of the training step:
/// tfmot's `PruningSchedule.__call__(step) -> (should_prune, sparsity)`.
///
/// The step is the number of the training batch about to be applied, counted as tfmot's wrapper
/// counts its `pruning_step` (incremented before the mask update, so the first batch is step 1).
/// Masks are recomputed only when `shouldPrune` is true; `sparsity` is defined at every step.
public protocol PruningSchedule: Sendable {
    /// The first step at which masks may be updated.
    var beginStep: Int { get }
    /// The last step at which masks may be updated, or `-1` for no end.
    var endStep: Int { get }
    /// Masks are updated every `frequency` steps, counted from `beginStep`.
    var frequency: Int { get }
    /// The float32 sparsity the schedule targets from `endStep` on (its final target).
    var finalTargetSparsity: Float { get }

    /// Whether to update the masks at `step`, and the float32 sparsity they should then reach.
    func callAsFunction(step: Int) -> (shouldPrune: Bool, sparsity: Float)
}

extension PruningSchedule {
    /// tfmot's `_should_prune_in_step` (int64 arithmetic):
    ///
    ///     step >= begin && (step <= end || end < 0) && floormod(step - begin, frequency) == 0
    ///
    /// So when `end - begin` is not a multiple of `frequency`, `end` itself is not a pruning step.
    public func isPruningTurn(_ step: Int) -> Bool {
        step >= beginStep && (step <= endStep || endStep < 0) && (step - beginStep) % frequency == 0
    }

    /// The mask updates of the pruning steps `1...lastStep` (see ``PruningTimeline``): the steps a
    /// training run visits, since `fit` counts its first batch as pruning step 1, as tfmot's
    /// wrapper increments its step before updating the masks. So a schedule that begins at step 0
    /// makes no update there.
    ///
    /// - Precondition: `lastStep >= 0`.
    public func timeline(through lastStep: Int) -> PruningTimeline {
        precondition(lastStep >= 0, "timeline(through:) needs lastStep >= 0, got \(lastStep)")
        var updates: [PruningTimeline.Update] = []
        for step in stride(from: 1, through: lastStep, by: 1) {
            let (shouldPrune, sparsity) = self(step: step)
            if shouldPrune { updates.append(.init(step: step, sparsity: sparsity)) }
        }
        return PruningTimeline(updates: updates, finalTargetSparsity: finalTargetSparsity)
    }
}

extension PruningSchedule {
    /// tfmot's `_validate_step`: `beginStep >= 0`; `endStep == -1` only when `allowsForever`,
    /// otherwise `endStep >= beginStep` (`> beginStep` when `endAfterBegin`); `frequency >= 1`.
    static func validateSteps(beginStep: Int, endStep: Int, frequency: Int, allowsForever: Bool,
                              endAfterBegin: Bool = false) throws(PruningError) {
        guard beginStep >= 0 else { throw .negativeBeginStep(beginStep) }
        if !(allowsForever && endStep == -1) && (endAfterBegin ? endStep <= beginStep : endStep < beginStep) {
            throw .endStepOutOfRange(endStep: endStep, beginStep: beginStep, endAfterBegin: endAfterBegin,
                                     allowsForever: allowsForever)
        }
        guard frequency >= 1 else { throw .frequencyNotPositive(frequency) }
    }

    /// tfmot's `_validate_sparsity`: `0 <= sparsity < 1` (NaN fails).
    static func validateSparsity(_ sparsity: Double, name: String) throws(PruningError) {
        guard sparsity >= 0 && sparsity < 1 else { throw .sparsityOutOfRange(name: name, value: sparsity) }
    }
}

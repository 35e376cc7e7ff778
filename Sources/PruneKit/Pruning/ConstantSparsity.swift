/// A constant sparsity applied every `frequency` steps in `[beginStep, endStep]`: tfmot's
/// `ConstantSparsity(target_sparsity, begin_step, end_step=-1, frequency=100)`.
///
///     shouldPrune(step) = step >= begin && (step <= end || end < 0) && (step - begin) % frequency == 0
///     sparsity(step)    = float32(targetSparsity)
///
/// Sparsities are `Double`, as tfmot's Python floats, and rounded to float32 where TensorFlow does.
public struct ConstantSparsity: PruningSchedule, Hashable, Codable {
    /// The fraction of weights pruned at every update, in `[0, 1)`.
    public let targetSparsity: Double
    /// The first pruning step (>= 0).
    public let beginStep: Int
    /// The last pruning step (>= `beginStep`), or `-1` to prune until training ends.
    public let endStep: Int
    /// Masks are updated every `frequency` steps (>= 1) from `beginStep`.
    public let frequency: Int

    /// Creates a constant-sparsity schedule, validated as tfmot's `_validate_step(…,
    /// allow_negative_1=True)` and `_validate_sparsity`.
    ///
    /// - Parameters:
    ///   - targetSparsity: The fraction of weights to prune, in `[0, 1)`.
    ///   - beginStep: The first pruning step, `>= 0`.
    ///   - endStep: The last pruning step, `>= beginStep`, or `-1` for no end.
    ///   - frequency: Steps between updates, `>= 1`.
    /// - Throws: ``PruningError`` naming the first invalid parameter.
    public init(targetSparsity: Double, beginStep: Int, endStep: Int = -1, frequency: Int = 100) throws(PruningError) {
        try Self.validateSteps(beginStep: beginStep, endStep: endStep, frequency: frequency, allowsForever: true)
        try Self.validateSparsity(targetSparsity, name: "targetSparsity")
        self.targetSparsity = targetSparsity
        self.beginStep = beginStep
        self.endStep = endStep
        self.frequency = frequency
    }

    /// Decodes a schedule and validates it as ``init(targetSparsity:beginStep:endStep:frequency:)`` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(targetSparsity: container.decode(Double.self, forKey: .targetSparsity),
                      beginStep: container.decode(Int.self, forKey: .beginStep),
                      endStep: container.decode(Int.self, forKey: .endStep),
                      frequency: container.decode(Int.self, forKey: .frequency))
    }

    /// `float32(targetSparsity)`.
    public var finalTargetSparsity: Float { Float(targetSparsity) }

    /// `(isPruningTurn(step), float32(targetSparsity))`.
    public func callAsFunction(step: Int) -> (shouldPrune: Bool, sparsity: Float) {
        (isPruningTurn(step), Float(targetSparsity))
    }
}

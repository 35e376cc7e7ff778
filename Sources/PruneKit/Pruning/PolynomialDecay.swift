import Foundation

/// Sparsity rising from `initialSparsity` to `finalSparsity` along a polynomial between `beginStep`
/// and `endStep` (Zhu & Gupta, "To prune, or not to prune", 2017): tfmot's
/// `PolynomialDecay(initial_sparsity, final_sparsity, begin_step, end_step, power=3, frequency=100)`,
/// bit for bit in float32:
///
///     p        = min(1, max(0, float32(step − begin) / float32(end − begin)))
///     sparsity = float32(initial − final) · powf(1 − p, float32(power)) + float32(final)
///
/// (`initial − final` is a Python float subtraction, done in `Double` here too.) `powf` is what
/// `tf.pow` evaluates on tfmot's 0-d float32 tensors (Eigen's scalar path calls `std::pow(float,
/// float)`), so on Linux the result is bit-identical to tfmot on glibc; other C libraries may round
/// a rare value one ulp apart. `powf` rather than `x·x·x`: the two differ in about 1 step in 5.
///
/// Masks are updated at tfmot's pruning turns (``PruningSchedule/isPruningTurn(_:)``). When
/// `endStep − beginStep` is not a multiple of `frequency`, the last turn falls before `endStep` and
/// `finalSparsity` is never applied (begin 96, end 480, frequency 100: last update at 396 to
/// 0.8658). `updatesAtEndStep: true` also makes `endStep` a pruning step, so the target is met.
public struct PolynomialDecay: PruningSchedule, Hashable, Codable {
    /// The sparsity at and before `beginStep`, in `[0, 1)`.
    public let initialSparsity: Double
    /// The sparsity at and after `endStep`, in `[0, 1)`.
    public let finalSparsity: Double
    /// The first pruning step (>= 0).
    public let beginStep: Int
    /// The step at which the curve reaches `finalSparsity` (> `beginStep`).
    public let endStep: Int
    /// The exponent of the curve (finite, > 0); 3 in Zhu & Gupta.
    public let power: Double
    /// Masks are updated every `frequency` steps (>= 1) from `beginStep`.
    public let frequency: Int
    /// Whether `endStep` is a pruning step even when it is not a multiple of `frequency` after
    /// `beginStep` (not in tfmot; `false` keeps tfmot's behaviour).
    public let updatesAtEndStep: Bool

    /// Creates a polynomial-decay schedule, validated as tfmot's `_validate_step(…,
    /// allow_negative_1=False)` and `_validate_sparsity`, plus two checks tfmot lacks.
    ///
    /// - Parameters:
    ///   - initialSparsity: Sparsity at `beginStep`, in `[0, 1)`.
    ///   - finalSparsity: Sparsity at `endStep`, in `[0, 1)`.
    ///   - beginStep: The first pruning step, `>= 0`.
    ///   - endStep: The end of the ramp, `> beginStep`. tfmot accepts `endStep == beginStep` and then
    ///     divides 0 by 0 (a NaN sparsity at `beginStep`), so it is rejected here.
    ///   - power: The exponent, finite and `> 0`. tfmot does not check it; `power <= 0` gives a flat
    ///     (`0`) or infinite (`< 0`, at `endStep`) sparsity, so it is rejected here.
    ///   - frequency: Steps between updates, `>= 1`.
    ///   - updatesAtEndStep: Also update the masks at `endStep` (default `false`, as tfmot).
    /// - Throws: ``PruningError`` naming the first invalid parameter.
    public init(initialSparsity: Double, finalSparsity: Double, beginStep: Int, endStep: Int,
                power: Double = 3, frequency: Int = 100, updatesAtEndStep: Bool = false) throws(PruningError) {
        try Self.validateSteps(beginStep: beginStep, endStep: endStep, frequency: frequency, allowsForever: false,
                               endAfterBegin: true)
        try Self.validateSparsity(initialSparsity, name: "initialSparsity")
        try Self.validateSparsity(finalSparsity, name: "finalSparsity")
        guard power.isFinite && power > 0 else { throw .powerNotPositive(power) }
        self.initialSparsity = initialSparsity
        self.finalSparsity = finalSparsity
        self.beginStep = beginStep
        self.endStep = endStep
        self.power = power
        self.frequency = frequency
        self.updatesAtEndStep = updatesAtEndStep
    }

    /// Decodes a schedule and validates it as the memberwise initialiser does;
    /// `updatesAtEndStep` defaults to `false` when absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(initialSparsity: container.decode(Double.self, forKey: .initialSparsity),
                      finalSparsity: container.decode(Double.self, forKey: .finalSparsity),
                      beginStep: container.decode(Int.self, forKey: .beginStep),
                      endStep: container.decode(Int.self, forKey: .endStep),
                      power: container.decode(Double.self, forKey: .power),
                      frequency: container.decode(Int.self, forKey: .frequency),
                      updatesAtEndStep: container.decodeIfPresent(Bool.self, forKey: .updatesAtEndStep) ?? false)
    }

    /// The sparsity at `endStep`: `float32(initial − final) · 0 + float32(final)`.
    public var finalTargetSparsity: Float { sparsity(atStep: endStep) }

    /// `(isPruningTurn(step) || (updatesAtEndStep && step == endStep), sparsity(atStep: step))`.
    public func callAsFunction(step: Int) -> (shouldPrune: Bool, sparsity: Float) {
        (isPruningTurn(step) || (updatesAtEndStep && step == endStep), sparsity(atStep: step))
    }

    /// The float32 sparsity of the curve at `step` (defined at every step, pruning turn or not).
    public func sparsity(atStep step: Int) -> Float {
        // tfmot's clamps, done on the integers (which also avoids overflow): inside the ramp the
        // rounded quotient already lies in [0, 1].
        let p: Float
        if step <= beginStep {
            p = 0
        } else if step >= endStep {
            p = 1
        } else {
            p = Float(step - beginStep) / Float(endStep - beginStep)
        }
        return Float(initialSparsity - finalSparsity) * powf(1 - p, Float(power)) + Float(finalSparsity)
    }
}

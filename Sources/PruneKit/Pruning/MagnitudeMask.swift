/// A pruning mask and the magnitude threshold it was cut at: tfmot's `(mask, threshold)` pair.
///
/// Element-wise, as tfmot's `Pruning._update_mask` (pruning_impl.py):
///
///     k         = int32(max(round_half_even(float32(size) · (1 − sparsity)), 1))
///     threshold = k-th largest |w|
///     mask      = |w| >= threshold        (1 kept, 0 pruned)
///
/// Tie rule: every weight equal in magnitude to the threshold is kept, so the achieved sparsity
/// can be *below* the target (|w| = .3 .5 .3 .1 .3 .2 at 0.5: k = 3, threshold .3, 4 kept).
/// `k` rounds half to even in float32: 9 weights at 0.5 keep 4, 5 keep 2, 7 keep 4.
/// NaN magnitudes rank above +∞ (tfmot leaves them unspecified); −0 and +0 are equal.
public struct MagnitudeMask: Sendable, Equatable, Codable {
    /// 1 for kept weights and 0 for pruned ones, in the weights' shape and layout; multiply it
    /// into the weights (`w[i] *= mask[i]`) after every update.
    public var mask: Tensor
    /// The magnitude the mask was cut at (tfmot's `threshold` variable): weights with
    /// `|w| >= threshold` are kept. For block masks it is a pooled magnitude, and for m-by-n masks
    /// tfmot's placeholder 999.
    public var threshold: Float

    /// Creates a mask record from its parts.
    public init(mask: Tensor, threshold: Float) {
        self.mask = mask
        self.threshold = threshold
    }

    /// The element-wise magnitude mask of `weights` at `sparsity`, as tfmot's `_update_mask`.
    ///
    /// Runs in O(n) (radix selection of the k-th largest magnitude). Empty weights give an empty
    /// mask and threshold 0 (tfmot fails on them).
    ///
    /// - Parameters:
    ///   - weights: The kernel, any shape.
    ///   - sparsity: The fraction to prune, in `[0, 1)` (a schedule's float32 output).
    /// - Throws: ``PruningError/sparsityOutOfRange(name:value:)`` for a NaN or out-of-range sparsity.
    public init(weights: Tensor, sparsity: Float) throws(PruningError) {
        try Self.validate(sparsity)
        let keys = weights.scalars.map(MagnitudeRanking.key)
        let thresholdKey = MagnitudeRanking.thresholdKey(keys, sparsity: sparsity)
        self.init(mask: Tensor(shape: weights.shape, scalars: keys.map { $0 >= thresholdKey ? 1 : 0 }),
                  threshold: Float(bitPattern: thresholdKey))
    }

    /// tfmot's `k`, the number of weights (or blocks) kept out of `size` at `sparsity`:
    /// `int32(max(round_half_even(float32(size) · (1 − sparsity)), 1))` in float32, capped at `size`.
    /// More are kept when magnitudes tie with the threshold.
    public static func keptCount(size: Int, sparsity: Float) -> Int {
        MagnitudeRanking.keptCount(size: size, sparsity: sparsity)
    }

    /// The number of kept weights (ones in ``mask``).
    public var keptWeights: Int { mask.nonZeroCount }

    /// `1 − keptWeights / size`, the fraction of weights the mask zeroes (0 for an empty mask).
    public var achievedSparsity: Double {
        mask.count == 0 ? 0 : 1 - Double(keptWeights) / Double(mask.count)
    }

    /// Throws unless `0 <= sparsity < 1`.
    static func validate(_ sparsity: Float) throws(PruningError) {
        guard sparsity >= 0 && sparsity < 1 else { throw .sparsityOutOfRange(name: "sparsity", value: Double(sparsity)) }
    }
}

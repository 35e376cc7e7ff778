/// m-by-n structured sparsity (2:4 for sparse tensor cores): at least `m` zeros in every `n`
/// consecutive input-channel weights of each output. tfmot's `sparsity_m_by_n=(m, n)`
/// (pruning_utils.py `weights_rearrange`, `generate_m_by_n_mask`, `m_by_n_sparsity_mask_prepare`):
///
/// 1. Rearrange to TFLite order, one row per output and the input channels last:
///    Dense `[c_in, c_out]` → `[c_out, c_in]`; Conv2D `[kh, kw, c_in, c_out]` → `[c_out·kh·kw, c_in]`.
/// 2. Zero-pad each row to whole groups of `n` and, in every group, keep the `n − m` largest |w|
///    (ties: the lower index first, so a real weight beats a tied zero pad).
/// 3. Drop the padding and transform the mask back to the kernel's layout.
///
/// tfmot 0.8.1 pads by `n − c_in mod n` (a whole extra group when `n` divides `c_in`); padded groups
/// are dropped, so that changes nothing. Unlike magnitude pruning there is no schedule: tfmot computes
/// the m-by-n mask once, when its `pruning_step` is 1 (``shouldUpdate(atStep:)``), and sets the
/// threshold variable to the placeholder 999.
public struct NMSparsity: Sendable, Hashable, Codable {
    /// The number of zeros required in each group.
    public let m: Int
    /// The group length.
    public let n: Int

    /// tfmot's value for the threshold variable of an m-by-n mask (no threshold exists).
    public static let placeholderThreshold: Float = 999

    /// Creates an `m`-zeros-in-`n` pattern (2:4 is `m: 2, n: 4`).
    ///
    /// - Throws: ``PruningError/invalidMByN(m:n:)`` unless `0 <= m < n`.
    public init(m: Int, n: Int) throws(PruningError) {
        guard m >= 0 && m < n else { throw .invalidMByN(m: m, n: n) }
        self.m = m
        self.n = n
    }

    /// Decodes a pattern and validates it as ``init(m:n:)`` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(m: container.decode(Int.self, forKey: .m), n: container.decode(Int.self, forKey: .n))
    }

    /// tfmot's timing: the m-by-n mask is computed only at pruning step 1 (the first training
    /// batch; tfmot's wrapper increments its step before updating), whatever the schedule says,
    /// and re-applied to the weights after every step.
    public static func shouldUpdate(atStep step: Int) -> Bool { step == 1 }

    /// The m-by-n mask of a Dense (`[c_in, c_out]`) or Conv2D (`[kh, kw, c_in, c_out]`) kernel.
    ///
    /// - Returns: The mask in the kernel's shape, with threshold ``placeholderThreshold``.
    /// - Throws: ``PruningError/mByNNeedsRank2Or4(shape:)`` for any other rank.
    public func mask(for weights: Tensor) throws(PruningError) -> MagnitudeMask {
        let shape = weights.shape
        guard shape.count == 2 || shape.count == 4 else { throw .mByNNeedsRank2Or4(shape: shape) }
        let (inputs, outputs) = (shape[shape.count - 2], shape[shape.count - 1])
        let spatial = shape.dropLast(2).reduce(1, *)
        let kept = n - m
        var mask = [Float](repeating: 0, count: weights.count)
        var group = [UInt32](repeating: 0, count: n)
        // Element (s, i, o) of the kernel is at ((s · c_in) + i) · c_out + o; a rearranged row is
        // one (o, s) pair running over i.
        for o in 0 ..< outputs {
            for s in 0 ..< spatial {
                for groupStart in stride(from: 0, to: inputs, by: n) {
                    for t in 0 ..< n {
                        let i = groupStart + t
                        group[t] = i < inputs ? MagnitudeRanking.key(weights.scalars[(s * inputs + i) * outputs + o]) : 0
                    }
                    for t in 0 ..< min(n, inputs - groupStart) {
                        // Rank = how many group members come before t in (|w| descending, index ascending).
                        var rank = 0
                        for u in 0 ..< n where group[u] > group[t] || (group[u] == group[t] && u < t) { rank += 1 }
                        if rank < kept { mask[(s * inputs + groupStart + t) * outputs + o] = 1 }
                    }
                }
            }
        }
        return MagnitudeMask(mask: Tensor(shape: shape, scalars: mask), threshold: Self.placeholderThreshold)
    }
}

/// Block-sparse magnitude pruning of rank-2 (Dense) kernels: whole `rows × columns` blocks are kept
/// or pruned, ranked by their pooled magnitude. tfmot's `block_size` / `block_pooling_type` path of
/// `Pruning._maybe_update_block_mask`:
///
///     pooled = pool(|w|, window = stride = block, padding 'SAME', AVG | MAX)   (rows, then columns)
///     (threshold, blockMask) = _update_mask(pooled)                          (k counted in blocks)
///     mask[r][c] = blockMask[r / rows][c / columns]
///
/// TensorFlow's quirk is kept: 'SAME' padding puts `⌊pad / 2⌋` before and the rest after each
/// dimension (`pad = ⌈L / b⌉ · b − L`), while the expanded mask is aligned at index 0. When a side is
/// not a multiple of the block, pooled windows and mask blocks disagree: a 20 × 6 kernel with 3 × 4
/// blocks pools columns [0, 3) and [3, 6) but masks columns [0, 4) and [4, 6). AVG divides each
/// window's float32 sum by its count of real (unpadded) elements; MAX ignores the padding.
public struct BlockSparsity: Sendable, Hashable, Codable {
    /// How a block's magnitudes are reduced to one score (tfmot's `block_pooling_type`).
    public enum Pooling: String, Sendable, Hashable, Codable {
        /// The mean |w| of the block's real elements (`'AVG'`, tfmot's default).
        case average = "AVG"
        /// The largest |w| of the block (`'MAX'`).
        case maximum = "MAX"
    }

    /// Block height (along the kernel's first dimension, the inputs of a Dense kernel).
    public let rows: Int
    /// Block width (along the kernel's second dimension, the units of a Dense kernel).
    public let columns: Int
    /// The pooling that scores a block.
    public let pooling: Pooling

    /// Creates a block shape.
    ///
    /// - Parameters:
    ///   - rows: Block height, `>= 1`.
    ///   - columns: Block width, `>= 1`. A 1 × 1 block is plain element-wise pruning.
    ///   - pooling: The block score, AVG by default as in tfmot.
    /// - Throws: ``PruningError/blockSizeNotPositive(rows:columns:)``.
    public init(rows: Int, columns: Int, pooling: Pooling = .average) throws(PruningError) {
        guard rows >= 1 && columns >= 1 else { throw .blockSizeNotPositive(rows: rows, columns: columns) }
        self.rows = rows
        self.columns = columns
        self.pooling = pooling
    }

    /// Decodes a block shape and validates it as ``init(rows:columns:pooling:)`` does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(rows: container.decode(Int.self, forKey: .rows),
                      columns: container.decode(Int.self, forKey: .columns),
                      pooling: container.decode(Pooling.self, forKey: .pooling))
    }

    /// The block mask of `weights` at `sparsity` (the fraction of *blocks* to prune; ties kept).
    /// A 1 × 1 block gives ``MagnitudeMask/init(weights:sparsity:)`` for any rank, as in tfmot.
    ///
    /// - Returns: The mask in the kernel's shape, and the threshold on pooled magnitudes.
    /// - Throws: ``PruningError/blockSparsityNeedsRank2(shape:)`` for a larger block on a kernel that
    ///   is not rank 2, ``PruningError/sparsityOutOfRange(name:value:)`` for a bad sparsity.
    public func mask(for weights: Tensor, sparsity: Float) throws(PruningError) -> MagnitudeMask {
        if rows == 1 && columns == 1 { return try MagnitudeMask(weights: weights, sparsity: sparsity) }
        guard weights.shape.count == 2 else { throw .blockSparsityNeedsRank2(shape: weights.shape) }
        try MagnitudeMask.validate(sparsity)
        let (height, width) = (weights.shape[0], weights.shape[1])
        let rowWindows = Self.sameWindows(length: height, block: rows)
        let columnWindows = Self.sameWindows(length: width, block: columns)

        // Pool along rows for every column, then along columns, as tfmot's factorized_pool.
        let magnitudes = weights.scalars.map { Float(bitPattern: MagnitudeRanking.key($0)) }
        var byRows = [Float](repeating: 0, count: rowWindows.count * width)
        for (i, window) in rowWindows.enumerated() {
            for c in 0 ..< width {
                byRows[i * width + c] = pool(window.lazy.map { magnitudes[$0 * width + c] })
            }
        }
        var pooled = [UInt32](repeating: 0, count: rowWindows.count * columnWindows.count)
        for i in rowWindows.indices {
            for (j, window) in columnWindows.enumerated() {
                pooled[i * columnWindows.count + j] = MagnitudeRanking.key(pool(window.lazy.map { byRows[i * width + $0] }))
            }
        }

        let thresholdKey = MagnitudeRanking.thresholdKey(pooled, sparsity: sparsity)
        var mask = [Float](repeating: 0, count: height * width)
        for r in 0 ..< height {
            for c in 0 ..< width where pooled[(r / rows) * columnWindows.count + c / columns] >= thresholdKey {
                mask[r * width + c] = 1
            }
        }
        return MagnitudeMask(mask: Tensor(shape: weights.shape, scalars: mask), threshold: Float(bitPattern: thresholdKey))
    }

    /// The float32 AVG (sum in order, divided by the count) or MAX of a window's magnitudes.
    private func pool(_ values: some Sequence<Float>) -> Float {
        switch pooling {
        case .average:
            var (sum, count) = (Float(0), 0)
            for value in values {
                sum += value
                count += 1
            }
            return sum / Float(count)
        case .maximum:
            return Float(bitPattern: values.map(MagnitudeRanking.key).max()!)
        }
    }

    /// The real-element ranges of TensorFlow's 'SAME' pooling windows with window = stride = `block`:
    /// `⌈length / block⌉` windows, `⌊(⌈length / block⌉ · block − length) / 2⌋` padding before.
    static func sameWindows(length: Int, block: Int) -> [Range<Int>] {
        let count = (length + block - 1) / block
        let padBefore = (count * block - length) / 2
        return (0 ..< count).map { j in
            let start = j * block - padBefore
            return max(start, 0) ..< min(start + block, length)
        }
    }
}

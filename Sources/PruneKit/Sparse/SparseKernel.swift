import _PruneKitKernels

/// A layer's kernel matrix (`rows × columns`, row-major: inputs × outputs) compressed to the
/// positions it keeps, in the two orders the sparse products walk it. Built from a mask (while
/// training) or from the kernel's non-zeros (a stripped model); it holds positions, not weights,
/// so it stays valid while the optimizer changes the kept weights and is rebuilt only when the
/// mask changes.
///
/// Entry lists are cut where the dense GEMM cuts its inner dimension (``pk_sgemm_k_block()``),
/// so the products sum exactly as ``pk_sgemm`` does.
struct SparseKernel: Sendable {
    /// Rows (inner dimension of the forward product: inputs or patch elements).
    let rows: Int
    /// Columns (outputs: units or filters).
    let columns: Int
    /// Blocks the forward product's inner dimension (`rows`) is cut into.
    let rowBlocks: Int
    /// Blocks the input-gradient product's inner dimension (`columns`) is cut into.
    let columnBlocks: Int
    /// Forward order: for column `n` and row block `b`, entries
    /// `columnStarts[n·rowBlocks + b] ..< columnStarts[n·rowBlocks + b + 1]`, rows ascending.
    let columnStarts: [Int32]
    /// The row of each forward-order entry.
    let columnEntryRows: [Int32]
    /// The position (`row · columns + column`) of each forward-order entry in the kernel.
    let columnEntryPositions: [Int32]
    /// Input-gradient order: for row `k` and column block `b`, entries
    /// `rowStarts[k·columnBlocks + b] ..< rowStarts[k·columnBlocks + b + 1]`, columns ascending.
    /// The entries in this order are also the kept positions, row-major.
    let rowStarts: [Int32]
    /// The row of each input-gradient-order entry.
    let rowEntryRows: [Int32]
    /// The column of each input-gradient-order entry.
    let rowEntryColumns: [Int32]
    /// The position of each input-gradient-order entry in the kernel.
    let rowEntryPositions: [Int32]
    /// The weights in forward order, when frozen at construction (inference); else `nil`, and
    /// ``columnWeights(_:)`` gathers the current ones.
    let frozenColumnWeights: [Float]?
    /// The weights in input-gradient order, when frozen.
    let frozenRowWeights: [Float]?

    /// The number of kept positions.
    var count: Int { rowEntryPositions.count }
    /// The fraction of positions kept.
    var density: Double { rows * columns == 0 ? 0 : Double(count) / Double(rows * columns) }

    /// The weights of `kernel` in forward order.
    func columnWeights(_ kernel: UnsafePointer<Float>) -> [Float] {
        frozenColumnWeights ?? gathered(kernel, at: columnEntryPositions)
    }

    /// The weights of `kernel` in input-gradient order.
    func rowWeights(_ kernel: UnsafePointer<Float>) -> [Float] {
        frozenRowWeights ?? gathered(kernel, at: rowEntryPositions)
    }

    /// Compresses the positions where `kept` is non-zero (a mask, or the kernel itself), and
    /// keeps a copy of `frozenWeights` in both orders when given (for a model that will not
    /// change while it is used, as in inference).
    init(kept: UnsafeBufferPointer<Float>, rows: Int, columns: Int, frozenWeights: UnsafeBufferPointer<Float>? = nil) {
        precondition(kept.count == rows * columns, "SparseKernel: \(kept.count) values for a \(rows)×\(columns) kernel")
        self.rows = rows
        self.columns = columns
        let block = pk_sgemm_k_block()
        let rowBlocks = max(1, (rows + block - 1) / block), columnBlocks = max(1, (columns + block - 1) / block)
        self.rowBlocks = rowBlocks
        self.columnBlocks = columnBlocks
        let rowBlockOf = Self.blockIndex(size: rows, blocks: rowBlocks)
        let columnBlockOf = Self.blockIndex(size: columns, blocks: columnBlocks)

        // Unsafe buffers throughout: this runs once per `predict` call over every kernel weight.
        let count = kept.count - (kept.baseAddress.map { pk_count_zeros($0, kept.count) } ?? 0)
        var rowStarts = [Int32](repeating: 0, count: rows * columnBlocks + 1)
        var columnStarts = [Int32](repeating: 0, count: columns * rowBlocks + 1)
        var rowEntryRows = [Int32](repeating: 0, count: count), rowEntryColumns = rowEntryRows, rowEntryPositions = rowEntryRows
        var columnEntryRows = rowEntryRows, columnEntryPositions = rowEntryRows
        rowStarts.withUnsafeMutableBufferPointer { rowStarts in
            columnStarts.withUnsafeMutableBufferPointer { columnStarts in
                rowEntryRows.withUnsafeMutableBufferPointer { entryRows in
                    rowEntryColumns.withUnsafeMutableBufferPointer { entryColumns in
                        rowEntryPositions.withUnsafeMutableBufferPointer { entryPositions in
                            if count > 0 {
                                pk_nonzero_positions(kept.baseAddress!, rows, columns, entryRows.baseAddress!,
                                                     entryColumns.baseAddress!, entryPositions.baseAddress!)
                            }
                            for e in 0 ..< count {
                                let k = Int(entryRows[e]), n = Int(entryColumns[e])
                                rowStarts[k * columnBlocks + columnBlockOf[n] + 1] += 1
                                columnStarts[n * rowBlocks + rowBlockOf[k] + 1] += 1
                            }
                            for i in 1 ..< rowStarts.count { rowStarts[i] += rowStarts[i - 1] }
                            for i in 1 ..< columnStarts.count { columnStarts[i] += columnStarts[i - 1] }
                            // Scatter the row-major entries into column order; rows stay ascending within a column.
                            var next = Array(columnStarts.dropLast())
                            columnEntryRows.withUnsafeMutableBufferPointer { columnRows in
                                columnEntryPositions.withUnsafeMutableBufferPointer { columnPositions in
                                    next.withUnsafeMutableBufferPointer { next in
                                        for e in 0 ..< count {
                                            let k = Int(entryRows[e]), n = Int(entryColumns[e])
                                            let slot = n * rowBlocks + rowBlockOf[k]
                                            columnRows[Int(next[slot])] = Int32(k)
                                            columnPositions[Int(next[slot])] = entryPositions[e]
                                            next[slot] += 1
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        self.rowStarts = rowStarts
        self.rowEntryRows = rowEntryRows
        self.rowEntryColumns = rowEntryColumns
        self.rowEntryPositions = rowEntryPositions
        self.columnStarts = columnStarts
        self.columnEntryRows = columnEntryRows
        self.columnEntryPositions = columnEntryPositions
        frozenColumnWeights = frozenWeights.map { gathered($0.baseAddress!, at: columnEntryPositions) }
        frozenRowWeights = frozenWeights.map { gathered($0.baseAddress!, at: rowEntryPositions) }
    }

    /// The block of each index when `size` is cut as pk_sgemm cuts K: `blocks` near-equal blocks,
    /// the first `size % blocks` one longer.
    private static func blockIndex(size: Int, blocks: Int) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(size)
        for block in 0 ..< blocks {
            result += repeatElement(block, count: size / blocks + (block < size % blocks ? 1 : 0))
        }
        return result
    }
}

/// `source[index[e]]` for every entry (``pk_gather``).
func gathered(_ source: UnsafePointer<Float>, at index: [Int32]) -> [Float] {
    [Float](unsafeUninitializedCapacity: index.count) { buffer, count in
        index.withUnsafeBufferPointer { if let base = $0.baseAddress { pk_gather(index.count, base, source, buffer.baseAddress!) } }
        count = index.count
    }
}

/// `source[index[e]]` for every entry (``pk_gather_i32``).
func gathered(_ source: [Int32], at index: [Int32]) -> [Int32] {
    [Int32](unsafeUninitializedCapacity: index.count) { buffer, count in
        index.withUnsafeBufferPointer { index in
            source.withUnsafeBufferPointer { source in
                if let base = index.baseAddress { pk_gather_i32(index.count, base, source.baseAddress!, buffer.baseAddress!) }
            }
        }
        count = index.count
    }
}

/// Rounds `value` up to a multiple of 16 floats, the sparse kernels' vector of rows.
func roundUpToVector(_ value: Int) -> Int { (value + 15) / 16 * 16 }

/// Zeroes the floats past the first `written` of each of the rows `rows` (`stride` floats apart) of
/// `buffer`: the padding of rows whose first `written` floats something else fills.
func zeroPadding(_ buffer: UnsafeMutablePointer<Float>, rows: Range<Int>, stride: Int, written: Int) {
    for row in rows { pk_fill(buffer + row * stride + written, stride - written, 0) }
}

/// `count` uninitialised elements (floats unless `type` says otherwise) from a 64-byte boundary,
/// freed by the caller with `deallocate()`:
/// whole cache lines for the 16-lane vectors the kernels load. Where `malloc` puts a large
/// buffer depends on what was freed before, and a lane group that starts mid-line splits every
/// vector load in two: the stripped 87.5% CNN's sparse inference ran 15% slower after a training
/// run that freed other buffers.
func vectorBuffer<Element>(_ count: Int, of type: Element.Type = Float.self) -> UnsafeMutablePointer<Element> {
    UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Element>.stride, alignment: 64)
        .bindMemory(to: Element.self, capacity: max(count, 1))
}

/// A zero-filled ``vectorBuffer(_:)`` of `count` floats, freed by the caller.
func zeroedBuffer(_ count: Int) -> UnsafeMutablePointer<Float> {
    let memory = vectorBuffer(count)
    pk_fill(memory, max(count, 1), 0)
    return memory
}

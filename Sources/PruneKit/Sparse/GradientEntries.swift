import _PruneKitKernels

/// The non-zeros of an output gradient (`rows × columns`: pixels or samples × filters or units),
/// listed both ways for ``pk_spmm``, so that a backward pass on dense GEMM kernels can skip the
/// gradient's zeros. Behind max pooling most of a convolution's gradient is zero — one position
/// of each window gets the pooled gradient, and ReLU drops more — so its two backward products
/// cost a fraction of the dense ones.
///
/// Each list is cut where the dense GEMM cuts the product's inner dimension
/// (``pk_sgemm_k_block()``) and runs in ascending order, so the products have the dense GEMM's
/// bits: a skipped zero changes no sum (see ``KernelPolicy``).
struct GradientEntries {
    /// Gradients with more non-zeros than this fraction run on dense GEMM, where it is faster
    /// (`swift run -c release bench --sparse`, the conv2 rows).
    static let maximumDensity = 0.5

    let rows: Int, columns: Int
    /// Blocks the rows (the kernel gradient's inner dimension) are cut into.
    let rowBlocks: Int
    /// Blocks the columns (the input gradient's inner dimension) are cut into.
    let columnBlocks: Int
    /// By row: for row `r` and column block `b`, entries `rowStarts[r·columnBlocks + b] ..<
    /// rowStarts[r·columnBlocks + b + 1]`, columns ascending.
    let rowStarts: [Int32], rowColumns: [Int32], rowValues: [Float]
    /// By column: for column `n` and row block `b`, entries `columnStarts[n·rowBlocks + b] ..<
    /// columnStarts[n·rowBlocks + b + 1]`, rows ascending.
    let columnStarts: [Int32], columnRows: [Int32], columnValues: [Float]

    /// The entries of the row-major `gradient`, or `nil` when more than `maximumDensity` of it is non-zero.
    init?(_ gradient: UnsafePointer<Float>, rows: Int, columns: Int, maximumDensity: Double = Self.maximumDensity) {
        let count = rows * columns - Elementwise.countZeros(gradient, count: rows * columns)
        guard rows > 0, columns > 0, Double(count) <= maximumDensity * Double(rows * columns) else { return nil }
        let block = pk_sgemm_k_block()
        (self.rows, self.columns) = (rows, columns)
        rowBlocks = (rows + block - 1) / block
        columnBlocks = (columns + block - 1) / block
        var rowStarts = [Int32](repeating: 0, count: rows * columnBlocks + 1)
        var columnStarts = [Int32](repeating: 0, count: columns * rowBlocks + 1)
        var rowColumns = [Int32](repeating: 0, count: count), columnRows = rowColumns
        var rowValues = [Float](repeating: 0, count: count), columnValues = rowValues
        pk_nonzero_entries(gradient, rows, columns, columnBlocks, &rowStarts, &rowColumns, &rowValues, rowBlocks,
                           &columnStarts, &columnRows, &columnValues)
        (self.rowStarts, self.rowColumns, self.rowValues) = (rowStarts, rowColumns, rowValues)
        (self.columnStarts, self.columnRows, self.columnValues) = (columnStarts, columnRows, columnValues)
    }

    /// `kernelGradient[k, n] = Σ_r input[r, k] · gradient[r, n]` for the `width` columns `k` of
    /// `input` (rows `width` apart; `width` a multiple of 16), as the dense GEMM of `inputᵀ` and the
    /// gradient computes it; `kernelGradient` is `width × columns`, row-major.
    func kernelGradient(input: UnsafePointer<Float>, width: Int, into kernelGradient: UnsafeMutablePointer<Float>) {
        precondition(width % 16 == 0, "GradientEntries: width \(width) is not a multiple of 16")
        let transposed = UnsafeMutablePointer<Float>.allocate(capacity: columns * width)
        defer { transposed.deallocate() }
        pk_spmm(columns, rowBlocks, columnStarts, columnRows, width, columnValues, input, 0, transposed, width, 0, 1, width)
        pk_transpose(columns, width, transposed, width, kernelGradient, columns)
    }

    /// `product[r, k] = Σ_n gradient[r, n] · kernelT[n, k]` for `k < width` (`kernelT` the
    /// `columns × width` kernel transposed, `width` a multiple of 16), as the dense GEMM of the
    /// gradient and the kernel's transpose computes it; `product` is `rows × width`, row-major.
    func inputProducts(kernelTransposed kernelT: UnsafePointer<Float>, width: Int, into product: UnsafeMutablePointer<Float>) {
        precondition(width % 16 == 0, "GradientEntries: width \(width) is not a multiple of 16")
        pk_spmm(rows, columnBlocks, rowStarts, rowColumns, width, rowValues, kernelT, 0, product, width, 0, 1, width)
    }
}

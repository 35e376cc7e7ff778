import _PruneKitKernels

/// The non-zeros of an output gradient (`rows × columns`: pixels or samples × filters or units),
/// listed row by row (``pk_nonzero_entries``), so that a backward pass on dense GEMM kernels can
/// skip the gradient's zeros. Behind max pooling most of a convolution's gradient is zero — one position
/// of each window gets the pooled gradient, and ReLU drops more — so its two backward products
/// cost a fraction of the dense ones.
///
/// Each list is cut where the dense GEMM cuts the product's inner dimension
/// (``pk_sgemm_k_block()``) and runs in ascending order, so the products have the dense GEMM's
/// bits: a skipped zero changes no sum (see ``KernelPolicy``).
struct GradientEntries {
    /// Gradients with more non-zeros than this fraction run on dense GEMM: `swift run -c release
    /// bench --sparse` times conv2's two backward products on one chunk both ways, and the products
    /// over the non-zeros were 1.05–1.23× as fast as GEMM at 20% and 0.93–0.99× at 30% (Intel
    /// Xeon, avx512). Behind 2 × 2 max pooling, ReLU and dropout, the article CNN's conv2 gradient
    /// is about 14% non-zero.
    static let maximumDensity = 0.25

    let rows: Int, columns: Int
    /// Blocks the rows (the kernel gradient's inner dimension) are cut into.
    let rowBlocks: Int
    /// Blocks the columns (the input gradient's inner dimension) are cut into.
    let columnBlocks: Int
    /// For row `r` and column block `b`, entries `starts[r·columnBlocks + b] ..<
    /// starts[r·columnBlocks + b + 1]`, columns ascending.
    let starts: [Int32], entryColumns: [Int32], values: [Float]

    /// The entries of the row-major `gradient`, or `nil` when more than `maximumDensity` of it is non-zero.
    init?(_ gradient: UnsafePointer<Float>, rows: Int, columns: Int, maximumDensity: Double = Self.maximumDensity) {
        guard rows > 0, columns > 0 else { return nil }
        let block = pk_sgemm_k_block()
        (self.rows, self.columns) = (rows, columns)
        let columnBlocks = (columns + block - 1) / block
        rowBlocks = (rows + block - 1) / block
        self.columnBlocks = columnBlocks
        let capacity = Int(maximumDensity * Double(rows * columns))
        var starts = [Int32](repeating: 0, count: rows * columnBlocks + 1)
        // Filled in place, up to the bound; the arrays keep the entries found.
        var count = 0, values: [Float] = []
        let entryColumns = [Int32](unsafeUninitializedCapacity: max(capacity, 1)) { columnBuffer, columnCount in
            values = [Float](unsafeUninitializedCapacity: max(capacity, 1)) { valueBuffer, valueCount in
                count = pk_nonzero_entries(gradient, rows, columns, columnBlocks, capacity, &starts, columnBuffer.baseAddress!,
                                           valueBuffer.baseAddress!)
                valueCount = max(count, 0)
            }
            columnCount = max(count, 0)
        }
        guard count >= 0 else { return nil }
        (self.starts, self.entryColumns, self.values) = (starts, entryColumns, values)
    }

    /// `kernelGradient[k, n] = Σ_r input[r, k] · gradient[r, n]` for the `width` columns `k` of
    /// `input` (rows `width` apart; `width` a multiple of 16), as the dense GEMM of `inputᵀ` and the
    /// gradient computes it (``pk_spmm_rows``); `kernelGradient` is `width × columns`, row-major.
    func kernelGradient(input: UnsafePointer<Float>, width: Int, into kernelGradient: UnsafeMutablePointer<Float>) {
        precondition(width % 16 == 0, "GradientEntries: width \(width) is not a multiple of 16")
        let transposed = UnsafeMutablePointer<Float>.allocate(capacity: columns * width)
        let scratch = rowBlocks > 1 ? UnsafeMutablePointer<Float>.allocate(capacity: columns * width) : nil
        defer { transposed.deallocate(); scratch?.deallocate() }
        pk_spmm_rows(rows, rowBlocks, starts, columnBlocks, entryColumns, values, input, width, columns, width, scratch,
                     transposed, width)
        pk_transpose(columns, width, transposed, width, kernelGradient, columns)
    }

    /// `product[r, k] = Σ_n gradient[r, n] · kernelT[n, k]` for `k < width` (`kernelT` the
    /// `columns × width` kernel transposed, `width` a multiple of 16), as the dense GEMM of the
    /// gradient and the kernel's transpose computes it (``pk_spmm``); `product` is `rows × width`, row-major.
    func inputProducts(kernelTransposed kernelT: UnsafePointer<Float>, width: Int, into product: UnsafeMutablePointer<Float>) {
        precondition(width % 16 == 0, "GradientEntries: width \(width) is not a multiple of 16")
        pk_spmm(rows, columnBlocks, starts, entryColumns, width, values, kernelT, 0, product, width, 0, 1, width)
    }
}

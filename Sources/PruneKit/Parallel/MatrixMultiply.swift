import _PruneKitKernels

/// A row-major matrix view over raw memory, for the GEMM kernel.
struct MatrixView {
    var base: UnsafePointer<Float>
    var rows: Int
    var columns: Int
    /// Distance in elements between the starts of two rows.
    var stride: Int

    init(_ base: UnsafePointer<Float>, rows: Int, columns: Int, stride: Int? = nil) {
        self.base = base
        self.rows = rows
        self.columns = columns
        self.stride = stride ?? columns
    }
}

/// `C = op(A) · op(B)` (or `C += …` when `accumulate`) on row-major memory, single-threaded,
/// through the dispatched C kernel. `transposeA` reads `a` as the transpose of what it stores.
@inline(__always)
func matrixMultiply(_ a: MatrixView, transposeA: Bool = false,
                    _ b: MatrixView, transposeB: Bool = false,
                    into c: UnsafeMutablePointer<Float>, ldc: Int? = nil, accumulate: Bool = false) {
    let m = transposeA ? a.columns : a.rows
    let k = transposeA ? a.rows : a.columns
    let n = transposeB ? b.rows : b.columns
    precondition(k == (transposeB ? b.columns : b.rows), "matrixMultiply: inner dimensions differ")
    pk_sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k,
             a.base, a.stride, b.base, b.stride, accumulate ? 1 : 0, c, ldc ?? n)
}

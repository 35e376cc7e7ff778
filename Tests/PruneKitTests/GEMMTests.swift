import Dispatch
import Foundation
import Synchronization
import Testing
import _PruneKitKernels
@testable import PruneKit

/// Tests for `pk_sgemm` (Sources/_PruneKitKernels): accuracy against a double-precision
/// reference for every transpose combination, the K = 0 contract, and bit-identical results
/// when a caller splits the rows or columns of C into separate calls. Each test runs on every
/// implementation this CPU can run (`pk_sgemm_select`); the per-path contract tests of paths the
/// CPU lacks are reported as skipped. The selection belongs to the thread that makes it, so the
/// tests run in parallel with others.
struct GEMMTests {
    @Test func implementationNames() {
        #expect(gemmPaths.contains(String(cString: pk_sgemm_implementation())))
        #expect(pk_sgemm_supports("portable") == 1)
        #expect(pk_sgemm_select("no-such-path") == -1)
        for path in gemmPaths {
            withPath(path) {
                #expect(String(cString: pk_sgemm_implementation()) == path)
            }
        }
        for path in gemmPaths where pk_sgemm_supports(path) == 0 {
            let before = String(cString: pk_sgemm_implementation())
            #expect(pk_sgemm_select(path) == -2)
            #expect(String(cString: pk_sgemm_implementation()) == before)
        }
        // Dispatch picks the first path of the list the CPU runs.
        #expect(String(cString: pk_sgemm_implementation()) == gemmPaths.first { pk_sgemm_supports($0) == 1 })
    }

    /// A path chosen on one thread is that thread's: a thread started elsewhere keeps CPU
    /// dispatch, and every piece of a parallel loop started from the choosing thread runs on the
    /// chosen path, whichever thread runs it.
    @Test func selectionBelongsToTheThread() {
        let detected = String(cString: pk_sgemm_implementation())
        // "portable" is always built and never what dispatch picks on a SIMD CPU.
        guard detected != "portable" else { return }
        withPath("portable") {
            #expect(String(cString: pk_sgemm_selection()) == "portable")
            let elsewhere = Mutex<String?>(nil)
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                elsewhere.withLock { $0 = String(cString: pk_sgemm_implementation()) }
                done.signal()
            }
            thread.start()
            done.wait()
            #expect(elsewhere.withLock { $0 } == detected)
            let pieces = Mutex<[Int: String]>([:])
            Parallel.forEach(16) { index in
                let path = String(cString: pk_sgemm_implementation())
                pieces.withLock { $0[index] = path }
            }
            #expect(pieces.withLock { $0 } == Dictionary(uniqueKeysWithValues: (0 ..< 16).map { ($0, "portable") }))
        }
        #expect(pk_sgemm_selection() == nil)
        #expect(String(cString: pk_sgemm_implementation()) == detected)
    }

    @Test func exhaustiveSmallSizes() {
        let sizes = Array(0...9) + [13, 17, 33]
        var rng = LCG(seed: 1)
        forEachPath {
            for (transA, transB) in transposeCombinations {
                for m in sizes {
                    for n in sizes {
                        for k in sizes {
                            let p = Problem(transA, transB, m, n, k, padding: (m + n + k) % 3, rng: &rng)
                            let reference = p.reference()
                            for accumulate in [false, true] {
                                let bad = p.mismatches(p.product(accumulate: accumulate),
                                                       accumulate: accumulate, reference: reference)
                                #expect(bad == 0, "\(p) accumulate=\(accumulate)")
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func largerOddSizes() {
        // 67×131×301 spans two K blocks; 250 rows span two MC blocks; N = 2100 spans two NC blocks.
        let shapes = [(67, 131, 301), (1, 10, 9), (250, 19, 37), (5, 2100, 3), (30, 3, 600)]
        var rng = LCG(seed: 2)
        forEachPath {
            for (transA, transB) in transposeCombinations {
                for (m, n, k) in shapes {
                    let p = Problem(transA, transB, m, n, k, padding: 3, rng: &rng)
                    let reference = p.reference()
                    for accumulate in [false, true] {
                        let bad = p.mismatches(p.product(accumulate: accumulate),
                                               accumulate: accumulate, reference: reference)
                        #expect(bad == 0, "\(p) accumulate=\(accumulate)")
                    }
                }
            }
        }
    }

    @Test func zeroKZeroesOrKeepsC() {
        var rng = LCG(seed: 3)
        forEachPath {
            for (transA, transB) in transposeCombinations {
                let p = Problem(transA, transB, 5, 7, 0, padding: 2, rng: &rng)
                let zeroed = p.product(accumulate: false)
                let kept = p.product(accumulate: true)
                #expect(zeroed.elements(rows: 5, cols: 7).allSatisfy { $0 == 0 })
                #expect(bitDifferences(kept, p.c) == 0)
            }
        }
    }

    @Test func splittingRowsIsBitIdentical() {
        var rng = LCG(seed: 4)
        forEachPath {
            for (transA, transB) in transposeCombinations {
                let p = Problem(transA, transB, 250, 37, 301, padding: 1, rng: &rng)
                for accumulate in [false, true] {
                    let whole = p.product(accumulate: accumulate)
                    for split in [1, 5, 6, 7, 121, 249] {
                        var parts = p.c
                        p.run(into: &parts, accumulate: accumulate, rows: 0..<split, cols: 0..<37)
                        p.run(into: &parts, accumulate: accumulate, rows: split..<250, cols: 0..<37)
                        #expect(bitDifferences(parts, whole) == 0,
                                "\(p) rows split at \(split), accumulate=\(accumulate)")
                    }
                }
            }
        }
    }

    @Test func splittingColumnsIsBitIdentical() {
        var rng = LCG(seed: 5)
        forEachPath {
            for (transA, transB) in transposeCombinations {
                let p = Problem(transA, transB, 29, 131, 301, padding: 2, rng: &rng)
                for accumulate in [false, true] {
                    let whole = p.product(accumulate: accumulate)
                    for split in [1, 8, 16, 17, 65, 130] {
                        var parts = p.c
                        p.run(into: &parts, accumulate: accumulate, rows: 0..<29, cols: 0..<split)
                        p.run(into: &parts, accumulate: accumulate, rows: 0..<29, cols: split..<131)
                        #expect(bitDifferences(parts, whole) == 0,
                                "\(p) columns split at \(split), accumulate=\(accumulate)")
                    }
                }
            }
        }
    }

    /// The SIMD kernels (AVX-512, AVX2+FMA and NEON, all with KC = 320; the x86 ones are inline
    /// assembly) compute each element as fused multiply-adds in ascending k within each K block,
    /// the blocks added to C in order: checked bit for bit against that contract written out in
    /// Swift (`addingProduct` is a fused multiply-add), which makes the paths agree bit for bit.
    /// The portable kernel leaves contraction to the compiler, so it is only checked against the
    /// tolerance above.
    @Test(.enabled(if: pk_sgemm_supports("avx512") == 1, "this CPU has no AVX-512F"))
    func avx512FollowsTheSummationContractExactly() { checkSummationContract(path: "avx512") }

    @Test(.enabled(if: pk_sgemm_supports("avx2+fma") == 1, "this CPU has no AVX2 with FMA"))
    func avx2FollowsTheSummationContractExactly() { checkSummationContract(path: "avx2+fma") }

    @Test(.enabled(if: pk_sgemm_supports("neon") == 1, "not an AArch64 build"))
    func neonFollowsTheSummationContractExactly() { checkSummationContract(path: "neon") }

    private func checkSummationContract(path: String) {
        var rng = LCG(seed: 7)
        let shapes = [(1, 1, 1), (7, 9, 8), (6, 16, 9), (8, 32, 10), (13, 33, 321), (9, 17, 1001), (25, 40, 7),
                      (8, 12, 640), (17, 65, 333), (250, 19, 37)]
        withPath(path) {
            for (transA, transB) in transposeCombinations {
                for (m, n, k) in shapes {
                    let p = Problem(transA, transB, m, n, k, padding: 1, rng: &rng)
                    for accumulate in [false, true] {
                        #expect(bitDifferences(p.product(accumulate: accumulate),
                                               p.fusedReference(accumulate: accumulate, kc: 320)) == 0,
                                "\(path) \(p) accumulate=\(accumulate)")
                    }
                }
            }
        }
    }

    /// Implicit im2col (`pk_sgemm_patches`) gives `pk_im2col` + `pk_sgemm`'s bits on every path:
    /// one and many channels, kernels whose rows are shorter or longer than a vector, K cut into
    /// two blocks (5 × 5 × 16 = 400), row counts that leave partial panels, outputs cropped to a
    /// region, and C's padding untouched.
    @Test func patchRowsMatchIm2colAndGEMM() {
        var rng = LCG(seed: 8)
        // (height, width, channels, kernel height, kernel width, filters, samples, cropped rows, cropped columns)
        let cases = [(13, 13, 32, 3, 3, 64, 3, 1, 1), (28, 28, 1, 3, 3, 32, 2, 0, 0), (9, 7, 3, 2, 3, 5, 4, 1, 0),
                     (12, 11, 16, 5, 5, 33, 2, 0, 1), (4, 4, 1, 4, 4, 2, 5, 0, 0), (6, 9, 10, 1, 2, 17, 1, 2, 3)]
        forEachPath {
            for (height, width, channels, kernelHeight, kernelWidth, filters, samples, cropRows, cropColumns) in cases {
                let outputHeight = height - kernelHeight + 1, outputWidth = width - kernelWidth + 1
                let region = (height: outputHeight - cropRows, width: outputWidth - cropColumns)
                let inputSize = height * width * channels, patch = kernelHeight * kernelWidth * channels
                let input = (0 ..< samples * inputSize).map { _ in rng.next() }
                let kernel = (0 ..< patch * filters).map { _ in rng.next() }
                let rows = samples * region.height * region.width
                var patches = [Float](repeating: .nan, count: rows * patch)
                var expected = [Float](repeating: .nan, count: rows * filters)
                var actual = [Float](repeating: 7, count: rows * filters + 3)  // 3 sentinels past the end
                let offsets = Conv2D.Geometry(inputShape: [height, width, channels], kernelSize: (kernelHeight, kernelWidth))
                    .patchRowOffsets(samples: 0 ..< samples, region: region)
                pk_im2col(input, samples, height, width, channels, kernelHeight, kernelWidth, region.height, region.width, &patches)
                pk_sgemm(0, 0, rows, filters, patch, patches, patch, kernel, filters, 0, &expected, filters)
                pk_sgemm_patches(rows, filters, patch, input, offsets, kernelWidth * channels, width * channels, kernel, filters,
                                 &actual, filters)
                let label = "\(String(cString: pk_sgemm_implementation())) \(height)×\(width)×\(channels) kernel \(kernelHeight)×\(kernelWidth)"
                #expect(zip(expected, actual).allSatisfy { $0.bitPattern == $1.bitPattern }, "\(label)")
                #expect(actual.suffix(3) == [7, 7, 7], "\(label): wrote past C")
            }
        }
    }

    /// Two threads computing the two row halves at once (each with its own packing workspace)
    /// must reproduce a single call exactly.
    @Test func concurrentRowBlocksAreBitIdentical() {
        var rng = LCG(seed: 6)
        forEachPath {
            for (transA, transB) in transposeCombinations {
                let p = Problem(transA, transB, 301, 40, 333, padding: 1, rng: &rng)
                let whole = p.product(accumulate: false)
                for _ in 0..<2 {
                    let halves = [0..<151, 151..<301]
                    var parts = p.c
                    let ldc = parts.ld
                    parts.scalars.withUnsafeMutableBufferPointer { cp in
                        // Each piece writes only its own rows of C, on this thread's path (Parallel hands it on).
                        let base = cp.baseAddress!
                        Parallel.forEach(2) { half in
                            p.run(into: base, ldc: ldc, accumulate: false, rows: halves[half], cols: 0..<40)
                        }
                    }
                    #expect(bitDifferences(parts, whole) == 0, "\(p) on two threads")
                }
            }
        }
    }
}

// MARK: - Helpers

private let transposeCombinations = [(false, false), (true, false), (false, true), (true, true)]

/// Every implementation name `pk_sgemm_select` knows, in dispatch order.
private let gemmPaths = ["avx512", "avx2+fma", "neon", "portable"]

/// Runs `body` with implementation `path` selected, restoring CPU dispatch afterwards.
private func withPath(_ path: String, _ body: () -> Void) {
    guard pk_sgemm_select(path) == 0 else { return }
    defer { _ = pk_sgemm_select(nil) }
    body()
}

/// Runs `body` on every implementation this CPU can run.
private func forEachPath(_ body: () -> Void) {
    for path in gemmPaths where pk_sgemm_supports(path) == 1 { withPath(path, body) }
}

/// Number of positions (padding included) whose bit patterns differ.
private func bitDifferences(_ x: StoredMatrix, _ y: StoredMatrix) -> Int {
    zip(x.scalars, y.scalars).filter { $0.bitPattern != $1.bitPattern }.count
}

/// Deterministic uniform values in [-1, 1).
private struct LCG {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> Float {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(state >> 40) / Float(1 << 23) - 1
    }
}

/// A row-major matrix with leading dimension `ld` ≥ `cols`. The padding columns hold a
/// sentinel: NaN in inputs (so a stray read poisons the result) and a fixed value in C (so a
/// stray write is detected).
private struct StoredMatrix {
    let rows: Int, cols: Int, ld: Int
    var scalars: [Float]

    init(rows: Int, cols: Int, padding: Int, sentinel: Float, rng: inout LCG) {
        self.rows = rows
        self.cols = cols
        ld = cols + padding
        scalars = [Float](repeating: sentinel, count: max(rows * ld, 1))
        for r in 0..<rows {
            for c in 0..<cols { scalars[r * ld + c] = rng.next() }
        }
    }

    subscript(r: Int, c: Int) -> Float { scalars[r * ld + c] }

    func elements(rows: Int, cols: Int) -> [Float] {
        (0..<rows).flatMap { r in (0..<cols).map { self[r, $0] } }
    }
}

/// One GEMM problem: stored A and B (transposed as requested) and an initial C.
private struct Problem: CustomStringConvertible {
    static let cSentinel: Float = 1234.5
    let transA: Bool, transB: Bool, m: Int, n: Int, k: Int
    let a: StoredMatrix, b: StoredMatrix, c: StoredMatrix

    init(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, padding: Int, rng: inout LCG) {
        (self.transA, self.transB, self.m, self.n, self.k) = (transA, transB, m, n, k)
        a = transA ? StoredMatrix(rows: k, cols: m, padding: padding, sentinel: .nan, rng: &rng)
                   : StoredMatrix(rows: m, cols: k, padding: padding, sentinel: .nan, rng: &rng)
        b = transB ? StoredMatrix(rows: n, cols: k, padding: padding + 1, sentinel: .nan, rng: &rng)
                   : StoredMatrix(rows: k, cols: n, padding: padding + 1, sentinel: .nan, rng: &rng)
        c = StoredMatrix(rows: m, cols: n, padding: padding + 2, sentinel: Self.cSentinel, rng: &rng)
    }

    var description: String { "M=\(m) N=\(n) K=\(k) transA=\(transA) transB=\(transB)" }

    /// C after one pk_sgemm call over the whole matrix.
    func product(accumulate: Bool) -> StoredMatrix {
        var out = c
        run(into: &out, accumulate: accumulate, rows: 0..<m, cols: 0..<n)
        return out
    }

    /// Calls pk_sgemm for the sub-block `rows` × `cols` of C, offsetting A, B and C like a
    /// caller that splits the work.
    func run(into out: inout StoredMatrix, accumulate: Bool, rows: Range<Int>, cols: Range<Int>) {
        let ldc = out.ld
        out.scalars.withUnsafeMutableBufferPointer { cp in
            run(into: cp.baseAddress!, ldc: ldc, accumulate: accumulate, rows: rows, cols: cols)
        }
    }

    /// The same on a raw C buffer, for callers that share it between threads.
    func run(into c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
             rows: Range<Int>, cols: Range<Int>) {
        let aOffset = transA ? rows.lowerBound : rows.lowerBound * a.ld
        let bOffset = transB ? cols.lowerBound * b.ld : cols.lowerBound
        a.scalars.withUnsafeBufferPointer { ap in
            b.scalars.withUnsafeBufferPointer { bp in
                pk_sgemm(transA ? 1 : 0, transB ? 1 : 0, rows.count, cols.count, k,
                         ap.baseAddress! + aOffset, a.ld, bp.baseAddress! + bOffset, b.ld,
                         accumulate ? 1 : 0, c + rows.lowerBound * ldc + cols.lowerBound, ldc)
            }
        }
    }

    /// op(A)·op(B) in double precision and Σ|a||b| per entry, both row-major m×n.
    func reference() -> (exact: [Double], magnitude: [Double]) {
        let opA = (0..<m).flatMap { i in (0..<k).map { Double(transA ? a[$0, i] : a[i, $0]) } }
        let opB = (0..<k).flatMap { p in (0..<n).map { Double(transB ? b[$0, p] : b[p, $0]) } }
        var exact = [Double](repeating: 0, count: m * n), magnitude = exact
        opA.withUnsafeBufferPointer { ap in
            opB.withUnsafeBufferPointer { bp in
                for i in 0..<m {
                    for p in 0..<k {
                        let x = ap[i * k + p]
                        for j in 0..<n {
                            exact[i * n + j] += x * bp[p * n + j]
                            magnitude[i * n + j] += abs(x * bp[p * n + j])
                        }
                    }
                }
            }
        }
        return (exact, magnitude)
    }

    /// Number of entries of `result` that differ from the reference by more than 1e-5 relative
    /// to Σ|a||b| (+|C₀| when accumulating), plus any changed C padding.
    func mismatches(_ result: StoredMatrix, accumulate: Bool,
                    reference: (exact: [Double], magnitude: [Double])) -> Int {
        var bad = 0
        for i in 0..<m {
            for j in 0..<n {
                var exact = reference.exact[i * n + j], magnitude = reference.magnitude[i * n + j]
                if accumulate {
                    exact += Double(c[i, j])
                    magnitude += abs(Double(c[i, j]))
                }
                let error = abs(Double(result[i, j]) - exact)
                if !(error <= 1e-5 * magnitude) { bad += 1 }
            }
            for j in n..<result.ld where result[i, j] != Self.cSentinel { bad += 1 }
        }
        return bad
    }
}

extension Problem {
    /// op(A)[i][k] and op(B)[k][j].
    func opA(_ i: Int, _ k: Int) -> Float { transA ? a[k, i] : a[i, k] }
    func opB(_ k: Int, _ j: Int) -> Float { transB ? b[j, k] : b[k, j] }

    /// pk_sgemm's summation contract for a kernel with largest K block `kc`: K is cut into
    /// ⌈K / kc⌉ near-equal blocks, each summed from +0 by fused multiply-adds in ascending k, and
    /// C = ((C₀ + s₀) + s₁) + … (C₀ left out when not accumulating).
    func fusedReference(accumulate: Bool, kc: Int) -> StoredMatrix {
        var out = c
        let blocks = (k + kc - 1) / kc
        for i in 0..<m {
            for j in 0..<n {
                var value = c[i, j], start = 0
                for block in 0..<blocks {
                    let size = k / blocks + (block < k % blocks ? 1 : 0)
                    var sum: Float = 0
                    for p in start..<start + size { sum = sum.addingProduct(opA(i, p), opB(p, j)) }
                    value = block == 0 && !accumulate ? sum : value + sum
                    start += size
                }
                out.scalars[i * out.ld + j] = value
            }
        }
        return out
    }
}

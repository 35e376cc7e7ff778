import _PruneKitKernels
import Dispatch

/// Runs independent pieces of work on all cores.
///
/// Work is always cut into the same pieces whatever the number of cores (callers choose piece sizes
/// from the data, never from the thread count), and each piece writes only its own outputs, so
/// results are bit-identical on any number of threads. The pieces run on the caller's kernel path
/// (``pk_sgemm_select``, a per-thread choice), whichever thread runs them.
enum Parallel {
    /// Calls `body(i)` for every `i` in `0..<count`, concurrently, and returns when all are done.
    ///
    /// The caller guarantees that the pieces touch disjoint memory (or only read shared memory);
    /// that is what makes handing the non-`Sendable` closure to several threads sound.
    static func forEach(_ count: Int, _ body: (Int) -> Void) {
        switch count {
        case ..<1: return
        case 1: body(0)
        default:
            withoutActuallyEscaping(body) { body in
                let work = DisjointWork(body: body, path: pk_sgemm_selection())
                DispatchQueue.concurrentPerform(iterations: count) { work.run($0) }
            }
        }
    }

    /// A closure whose concurrent calls write disjoint memory (see ``forEach(_:_:)``), and the
    /// kernel path its caller chose.
    private struct DisjointWork: @unchecked Sendable {
        let body: (Int) -> Void
        /// The caller's ``pk_sgemm_select`` choice (a static C string), or `nil` for CPU dispatch.
        let path: UnsafePointer<CChar>?

        /// `body(index)` on the caller's kernel path, the running thread's own restored afterwards.
        func run(_ index: Int) {
            let own = pk_sgemm_selection()
            guard own != path else { return body(index) }
            _ = pk_sgemm_select(path)
            body(index)
            _ = pk_sgemm_select(own)
        }
    }

    /// Splits `0..<total` into ranges of at most `size` elements.
    static func ranges(_ total: Int, size: Int) -> [Range<Int>] {
        precondition(size > 0)
        return stride(from: 0, to: total, by: size).map { $0 ..< min($0 + size, total) }
    }
}

import Dispatch

/// Runs independent pieces of work on all cores.
///
/// Work is always cut into the same pieces whatever the number of cores (callers choose piece sizes
/// from the data, never from the thread count), and each piece writes only its own outputs, so
/// results are bit-identical on any number of threads.
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
                let work = DisjointWork(body: body)
                DispatchQueue.concurrentPerform(iterations: count) { work.body($0) }
            }
        }
    }

    /// A closure whose concurrent calls write disjoint memory (see ``forEach(_:_:)``).
    private struct DisjointWork: @unchecked Sendable {
        let body: (Int) -> Void
    }

    /// Splits `0..<total` into ranges of at most `size` elements.
    static func ranges(_ total: Int, size: Int) -> [Range<Int>] {
        precondition(size > 0)
        return stride(from: 0, to: total, by: size).map { $0 ..< min($0 + size, total) }
    }
}

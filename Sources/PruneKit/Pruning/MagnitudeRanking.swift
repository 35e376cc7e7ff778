/// Ranking of weights by magnitude on integer keys.
///
/// For a float `w`, the bit pattern of `|w|` read as `UInt32` orders exactly as `|w|` does
/// (IEEE-754 non-negative values are ordered like their bits), with `−0 == +0` and NaN above `+∞`.
/// Ranking on these keys is a total order, so selection cannot be upset by NaN, and it needs only
/// integer comparisons.
enum MagnitudeRanking {
    /// The key of `|value|`.
    @inline(__always)
    static func key(_ value: Float) -> UInt32 { value.bitPattern & 0x7FFF_FFFF }

    /// tfmot's number of weights kept at `sparsity` out of `size`:
    /// `k = int32(max(round_half_even(float32(size) · (1 − sparsity)), 1))`, all in float32, capped
    /// at `size` (only reachable above 2²⁴ weights, where `float32(size)` can round up and tfmot's
    /// `gather` fails).
    static func keptCount(size: Int, sparsity: Float) -> Int {
        min(Int(max((Float(size) * (1 - sparsity)).rounded(.toNearestOrEven), 1)), size)
    }

    /// The `k`-th largest key (`k` counted from 1), by radix selection: one pass per byte, most
    /// significant first, each keeping only the bucket that holds the `k`-th largest. O(n), no
    /// worst case, and ties need no order because only the value is returned.
    ///
    /// - Precondition: `1 <= k <= keys.count`.
    static func kthLargest(_ keys: [UInt32], k: Int) -> UInt32 {
        precondition(k >= 1 && k <= keys.count, "kthLargest: k = \(k) outside 1...\(keys.count)")
        var candidates = keys
        var remaining = k
        for shift in stride(from: 24, through: 0, by: -8) {
            var histogram = [Int](repeating: 0, count: 256)
            for key in candidates { histogram[Int((key >> UInt32(shift)) & 0xFF)] += 1 }
            var bucket = 255
            while histogram[bucket] < remaining {
                remaining -= histogram[bucket]
                bucket -= 1
            }
            if histogram[bucket] == candidates.count { continue }
            let chosen = UInt32(bucket)
            candidates = candidates.filter { ($0 >> UInt32(shift)) & 0xFF == chosen }
        }
        return candidates[0]  // every candidate now has the same four bytes
    }

    /// tfmot's `_update_mask` on keys: `threshold = values[k − 1]` of the descending sort,
    /// `mask = |w| >= threshold` (every weight tied with the threshold is kept).
    /// Returns the threshold key; an empty input gives key 0.
    static func thresholdKey(_ keys: [UInt32], sparsity: Float) -> UInt32 {
        guard !keys.isEmpty else { return 0 }
        return kthLargest(keys, k: keptCount(size: keys.count, sparsity: sparsity))
    }
}

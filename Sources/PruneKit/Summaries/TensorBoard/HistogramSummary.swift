import Foundation

/// The bucketed summary of a set of values that TensorBoard's histogram and distribution
/// dashboards show, encoded as TensorFlow's `HistogramProto`.
///
/// Bucketing matches TensorFlow's C++ `histogram::Histogram` (used by the `HistogramSummary` op):
/// the default bucket limits grow by 10% from 1e-12 to 1e20, mirrored for negative values, with 0
/// and ±`Double.greatestFiniteMagnitude` at the centre and ends. Bucket `i` counts the values in
/// `[limit[i-1], limit[i])`. When encoded, each run of consecutive empty buckets is merged into a
/// single empty bucket at the run's last limit, as `EncodeToProto(preserve_zero_buckets: false)` does.
struct HistogramSummary {
    /// TensorFlow's default bucket limits (`InitDefaultBuckets` in
    /// `tensorflow/core/lib/histogram/histogram.cc`), built with the same double arithmetic so the
    /// limits are bit-identical.
    static let defaultBucketLimits: [Double] = {
        var positive: [Double] = []
        var value = 1.0e-12
        while value < 1.0e20 {
            positive.append(value)
            value *= 1.1
        }
        positive.append(.greatestFiniteMagnitude)
        return positive.reversed().map { -$0 } + [0] + positive
    }()

    /// The smallest value added, or `Double.greatestFiniteMagnitude` when there are none.
    private(set) var min = Double.greatestFiniteMagnitude
    /// The largest value added, or `-Double.greatestFiniteMagnitude` when there are none.
    private(set) var max = -Double.greatestFiniteMagnitude
    /// How many values were added.
    private(set) var count = 0.0
    /// The sum of the values.
    private(set) var sum = 0.0
    /// The sum of the squared values.
    private(set) var sumOfSquares = 0.0
    /// How many values fell in each bucket of ``defaultBucketLimits``.
    private(set) var bucketCounts = [Double](repeating: 0, count: defaultBucketLimits.count)

    /// The summary of `values`, each widened to `Double`.
    ///
    /// - Precondition: Every value is finite.
    init(_ values: some Sequence<Float>) {
        let limits = Self.defaultBucketLimits
        for value in values {
            let value = Double(value)
            precondition(value.isFinite, "histogram values must be finite, got \(value)")
            bucketCounts[Self.bucket(of: value, limits: limits)] += 1
            min = Swift.min(min, value)
            max = Swift.max(max, value)
            count += 1
            sum += value
            sumOfSquares += value * value
        }
    }

    /// The index of the first limit above `value` (the bucket TensorFlow counts it in). The limits
    /// grow by 1.1 from 1e-12, so a logarithm guesses the index; a short walk makes it exact.
    private static func bucket(of value: Double, limits: [Double]) -> Int {
        let positives = (limits.count - 1) / 2
        let steps = value == 0 ? 0 : Foundation.log(Swift.abs(value) / 1.0e-12) / Foundation.log(1.1)
        var index: Int
        if value > 0 {
            index = positives + 1 + Swift.min(Swift.max(Int(steps.rounded(.down)) + 1, 0), positives - 1)
        } else if value < 0 {
            index = positives - 1 - Swift.min(Swift.max(Int(steps.rounded(.up)) - 1, 0), positives - 1)
        } else {
            index = positives + 1
        }
        while index > 0, limits[index - 1] > value { index -= 1 }
        while limits[index] <= value { index += 1 }
        return index
    }

    /// The bucket limits and counts to store: non-empty buckets as they are, and each run of
    /// empty buckets merged into one at the run's last limit.
    var encodedBuckets: (limits: [Double], counts: [Double]) {
        var limits: [Double] = []
        var counts: [Double] = []
        var index = 0
        while index < bucketCounts.count {
            if bucketCounts[index] == 0 {
                while index + 1 < bucketCounts.count, bucketCounts[index + 1] == 0 { index += 1 }
            }
            limits.append(Self.defaultBucketLimits[index])
            counts.append(bucketCounts[index])
            index += 1
        }
        return (limits, counts)
    }

    /// The summary as TensorFlow's `HistogramProto` (generated from TensorBoard's `histogram.proto`):
    ///
    ///     message HistogramProto {
    ///       double min = 1; double max = 2; double num = 3; double sum = 4; double sum_squares = 5;
    ///       repeated double bucket_limit = 6 [packed = true];
    ///       repeated double bucket = 7 [packed = true];
    ///     }
    var message: Tensorboard_HistogramProto {
        let buckets = encodedBuckets
        return Tensorboard_HistogramProto.with {
            $0.min = min
            $0.max = max
            $0.num = count
            $0.sum = sum
            $0.sumSquares = sumOfSquares
            $0.bucketLimit = buckets.limits
            $0.bucket = buckets.counts
        }
    }
}

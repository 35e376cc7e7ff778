import Foundation
import Testing
@testable import PruneKit

@Suite struct TensorBoardTests {
    // MARK: - Event files

    @Test func fileNameFollowsTensorFlow() throws {
        let directory = try TemporaryDirectory()
        let writer = try EventFileWriter(directory: directory.path("logs"))
        let name = (writer.path as NSString).lastPathComponent
        #expect((writer.path as NSString).deletingLastPathComponent == directory.path("logs"))
        #expect(name.hasPrefix("events.out.tfevents."))
        #expect(name.hasSuffix(".\(ProcessInfo.processInfo.processIdentifier).0"))
        try writer.close()
    }

    /// Two writers opened in the same second get different counters instead of sharing a file.
    @Test func writersInOneDirectoryUseSeparateFiles() throws {
        let directory = try TemporaryDirectory()
        let first = try EventFileWriter(directory: directory.url.path)
        let second = try EventFileWriter(directory: directory.url.path)
        #expect(first.path != second.path)
        try first.close()
        try second.close()
    }

    /// Every record's framing and both checksums are right, the first event is the file version,
    /// and each scalar is visible in the file as soon as it is added (before `close`).
    @Test func recordsAreFramedAndChecksummed() throws {
        let directory = try TemporaryDirectory()
        let writer = try EventFileWriter(directory: directory.path("run/nested"))
        for step in 0..<3 {
            try writer.addScalar(tag: "loss", value: 1 / Double(step + 1), step: step, wallTime: 1_700_000_000)
            #expect(try readRecords(writer.path).count == step + 2)
        }
        try writer.close()

        let records = try readRecords(writer.path)
        #expect(records.count == 4)
        // Event{wall_time (field 1, fixed64, key 0x09), file_version (field 3, string, key 0x1A)}.
        let header = records[0]
        #expect(header.first == 0x09)
        #expect(Array(header.suffix(15)) == [0x1A, 13] + Array("brain.Event:2".utf8))
        // Event{wall_time, step = 2 (key 0x10, varint 2), summary (key 0x2A) …}.
        let third = records[3]
        #expect(Array(third.prefix(9)) == [0x09] + bytes(of: Double(1_700_000_000).bitPattern))
        #expect(Array(third[9..<12]) == [0x10, 2, 0x2A])
        // … ending in simple_value (field 2, fixed32, key 0x15) = Float(1/3).
        #expect(Array(third.suffix(5)) == [0x15] + bytes(of: Float(1.0 / 3).bitPattern))
    }

    @Test func writingAfterCloseThrows() throws {
        let directory = try TemporaryDirectory()
        let writer = try EventFileWriter(directory: directory.url.path)
        try writer.close()
        try writer.close()
        #expect(throws: SummaryError.writerClosed(path: writer.path)) {
            try writer.addScalar(tag: "loss", value: 1, step: 0)
        }
        #expect(throws: SummaryError.writerClosed(path: writer.path)) { try writer.flush() }
    }

    @Test func flushSyncsAnOpenFile() throws {
        let directory = try TemporaryDirectory()
        let writer = try EventFileWriter(directory: directory.url.path)
        try writer.addScalar(tag: "loss", value: 1, step: 0)
        try writer.flush()
        #expect(try readRecords(writer.path).count == 2)
    }

    /// A directory path that is, or runs through, a regular file cannot be created; the error names
    /// the directory and the file in the way.
    @Test(arguments: ["file", "file/logs"]) func directoryBlockedByAFileIsReported(relative: String) throws {
        let directory = try TemporaryDirectory()
        try directory.write([1, 2, 3], to: "file")
        let logs = directory.path(relative)
        let file = directory.path("file")
        #expect(throws: SummaryError.cannotCreateDirectory(path: logs, detail: "\(file) is a file, not a directory")) {
            try EventFileWriter(directory: logs)
        }
        #expect(SummaryError.cannotCreateDirectory(path: logs, detail: "").description.hasPrefix(logs))
    }

    @Test func nonFiniteHistogramValuesAreRejected() throws {
        let directory = try TemporaryDirectory()
        let writer = try EventFileWriter(directory: directory.url.path)
        for bad in [Float.nan, .infinity, -.infinity] {
            #expect(throws: SummaryError.nonFiniteValue(path: writer.path, tag: "w")) {
                try writer.addHistogram(tag: "w", values: [1, bad], step: 0)
            }
        }
        try writer.close()
        #expect(try readRecords(writer.path).count == 1)
    }

    // MARK: - Histogram bucketing

    /// TensorFlow's default limits: 774 limits from 1e-12 growing by 10% below 1e20, then
    /// `DBL_MAX`, mirrored, with 0 between: 2 × 775 + 1 = 1551, strictly increasing.
    @Test func defaultBucketLimitsMatchTensorFlow() {
        let limits = HistogramSummary.defaultBucketLimits
        #expect(limits.count == 1551)
        #expect(limits[775] == 0)
        #expect(limits[776] == 1e-12)
        #expect(limits[774] == -1e-12)
        #expect(limits.first == -.greatestFiniteMagnitude)
        #expect(limits.last == .greatestFiniteMagnitude)
        #expect(limits[1549] < 1e20 && limits[1549] * 1.1 >= 1e20)
        #expect(zip(limits, limits.dropFirst()).allSatisfy { $0 < $1 })
        #expect(zip(limits, limits.reversed()).allSatisfy { $0 == -$1 })
    }

    /// Each value lands in the bucket `[limit[i-1], limit[i])`; runs of empty buckets are merged
    /// into one at the run's last limit, so no two empty buckets are adjacent.
    @Test func histogramBucketsValuesAndMergesEmptyRuns() {
        let values: [Float] = [-2, 0, 0, 0.5, 1, 1]
        let histogram = HistogramSummary(values)
        #expect(histogram.count == 6)
        #expect(histogram.sum == 0.5)
        #expect(histogram.sumOfSquares == 6.25)  // 4 + 0 + 0 + 0.25 + 1 + 1
        #expect(histogram.min == -2)
        #expect(histogram.max == 1)

        let limits = HistogramSummary.defaultBucketLimits
        let (encodedLimits, counts) = histogram.encodedBuckets
        #expect(counts.reduce(0, +) == 6)
        #expect(counts.filter { $0 > 0 } == [1, 2, 1, 2])
        #expect(!zip(counts, counts.dropFirst()).contains { $0 == 0 && $1 == 0 })
        #expect(encodedLimits.last == .greatestFiniteMagnitude)
        // Zeros fall in [0, 1e-12).
        #expect(zip(encodedLimits, counts).contains { $0 == 1e-12 && $1 == 2 })
        for (limit, count) in zip(encodedLimits, counts) where count > 0 {
            let index = limits.firstIndex(of: limit)!
            let inBucket = values.filter { Double($0) >= limits[index - 1] && Double($0) < limit }
            #expect(Double(inBucket.count) == count, "bucket ending at \(limit)")
        }
    }

    /// With no values, TensorFlow stores one empty bucket ending at `DBL_MAX`.
    @Test func bucketsAgreeWithASearchOfTheLimits() {
        // Every limit itself, its neighbours, and values across all magnitudes of both signs.
        let limits = HistogramSummary.defaultBucketLimits
        var values: [Float] = [0, -0.0, 1e-30, -1e-30, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        for limit in limits where abs(limit) < Double(Float.greatestFiniteMagnitude) {
            let float = Float(limit)
            values += [float, float.nextUp, float.nextDown]
        }
        var generator = SplitMix64(seed: 5)
        for _ in 0 ..< 2000 {
            let magnitude = Float(pow(10, Double(generator.next() % 40) - 20)) * SplitMix64.unitFloat(generator.next())
            values.append(generator.next() % 2 == 0 ? magnitude : -magnitude)
        }
        var expected = [Double](repeating: 0, count: limits.count)
        for value in values { expected[limits.firstIndex { $0 > Double(value) }!] += 1 }
        #expect(HistogramSummary(values).bucketCounts == expected)
    }

    @Test func emptyHistogramHasOneEmptyBucket() {
        let histogram = HistogramSummary([Float]())
        #expect(histogram.encodedBuckets.limits == [.greatestFiniteMagnitude])
        #expect(histogram.encodedBuckets.counts == [0])
        #expect(histogram.count == 0)
    }

    // MARK: - TensorBoard's own reader

    /// TensorBoard's `EventAccumulator` reads back the tags, steps and values written here.
    @Test(.enabled(if: TensorBoardPython.isAvailable || TensorBoardPython.isRequired,
                   "python3 cannot import tensorboard; set PRUNEKIT_REQUIRE_TENSORBOARD=1 to fail instead"))
    func tensorBoardReadsTheFile() throws {
        guard TensorBoardPython.isAvailable else {
            Issue.record("PRUNEKIT_REQUIRE_TENSORBOARD=1 but python3 cannot import tensorboard (pip install tensorboard)")
            return
        }
        let directory = try TemporaryDirectory()
        let logs = directory.path("logs")
        let writer = try EventFileWriter(directory: logs)
        let losses = [2.302585, 0.6931472, 0.1053605, 0.01]
        let accuracies = [0.1, 0.75, 0.9, 0.99]
        for (step, (loss, accuracy)) in zip(losses, accuracies).enumerated() {
            try writer.addScalar(tag: "loss", value: loss, step: step * 10)
            try writer.addScalar(tag: "val/accuracy", value: accuracy, step: step * 10)
        }
        let weights: [Float] = [-1.5, -0.25, 0, 0, 0.1, 0.5, 2, 3, 1000]
        try writer.addHistogram(tag: "dense/kernel", values: weights, step: 30)
        try writer.close()

        let read = try TensorBoardPython.read(directory: logs, json: directory.path("read.json"))
        #expect(read.scalarTags == ["loss", "val/accuracy"])
        #expect(read.histogramTags == ["dense/kernel"])
        for (tag, expected) in [("loss", losses), ("val/accuracy", accuracies)] {
            let events = read.scalars[tag] ?? []
            #expect(events.map(\.step) == [0, 10, 20, 30], "\(tag) steps")
            #expect(events.map { Float($0.value) } == expected.map { Float($0) }, "\(tag) values")
        }

        let histogram = try #require(read.histograms["dense/kernel"]?.first)
        let expected = HistogramSummary(weights)
        #expect(histogram.step == 30)
        #expect(histogram.num == 9)
        #expect(histogram.sum == weights.reduce(0) { $0 + Double($1) })
        #expect(histogram.min == -1.5)
        #expect(histogram.max == 1000)
        #expect(histogram.bucket.reduce(0, +) == histogram.num)
        #expect(histogram.bucketLimit == expected.encodedBuckets.limits)
        #expect(histogram.bucket == expected.encodedBuckets.counts)
    }
}

// MARK: - Helpers

/// The data of every TFRecord in the file at `path`, after checking the length and data checksums.
private func readRecords(_ path: String) throws -> [[UInt8]] {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    func littleEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        bytes[offset..<offset + MemoryLayout<T>.size].reversed().reduce(0) { $0 << 8 | T($1) }
    }
    var records: [[UInt8]] = []
    var offset = 0
    while offset < bytes.count {
        try #require(bytes.count - offset >= 12, "truncated header at \(offset)")
        let length = Int(littleEndian(UInt64.self, at: offset))
        #expect(littleEndian(UInt32.self, at: offset + 8) == CRC32C.masked(CRC32C.checksum(bytes[offset..<offset + 8])))
        let dataStart = offset + 12
        try #require(bytes.count - dataStart >= length + 4, "truncated record at \(offset)")
        let data = Array(bytes[dataStart..<dataStart + length])
        #expect(littleEndian(UInt32.self, at: dataStart + length) == CRC32C.masked(CRC32C.checksum(data)))
        records.append(data)
        offset = dataStart + length + 4
    }
    return records
}

/// The little-endian bytes of `value`.
private func bytes(of value: some FixedWidthInteger) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

/// Runs TensorBoard's `EventAccumulator` in `python3` over a log directory.
enum TensorBoardPython {
    /// Whether CI demands this check (`PRUNEKIT_REQUIRE_TENSORBOARD=1`), making a missing module a failure.
    static let isRequired = ProcessInfo.processInfo.environment["PRUNEKIT_REQUIRE_TENSORBOARD"] == "1"

    /// Whether `python3` is on the `PATH` and can import TensorBoard's event reader.
    static let isAvailable: Bool = {
        Python.canImport("tensorboard.backend.event_processing.event_accumulator")
    }()

    /// Loads the log directory `argv[1]` and writes its scalars and histograms as JSON to `argv[2]`.
    /// `size_guidance` 0 keeps every event (the default keeps one histogram per tag).
    private static let script = """
        import json, sys
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
        accumulator = EventAccumulator(sys.argv[1], size_guidance={"scalars": 0, "histograms": 0})
        accumulator.Reload()
        tags = accumulator.Tags()
        contents = {
            "scalarTags": sorted(tags["scalars"]),
            "histogramTags": sorted(tags["histograms"]),
            "scalars": {tag: [{"step": e.step, "value": e.value} for e in accumulator.Scalars(tag)]
                        for tag in tags["scalars"]},
            "histograms": {tag: [{"step": e.step, "min": e.histogram_value.min, "max": e.histogram_value.max,
                                  "num": e.histogram_value.num, "sum": e.histogram_value.sum,
                                  "bucketLimit": list(e.histogram_value.bucket_limit),
                                  "bucket": list(e.histogram_value.bucket)}
                                 for e in accumulator.Histograms(tag)]
                           for tag in tags["histograms"]},
        }
        with open(sys.argv[2], "w") as output:
            json.dump(contents, output)
        """

    /// What the script writes.
    struct Contents: Decodable {
        struct Scalar: Decodable { let step: Int; let value: Double }
        struct Histogram: Decodable {
            let step: Int
            let min, max, num, sum: Double
            let bucketLimit, bucket: [Double]
        }
        let scalarTags, histogramTags: [String]
        let scalars: [String: [Scalar]]
        let histograms: [String: [Histogram]]
    }

    /// The events TensorBoard reads from `directory`; paths reach python as arguments, not as code.
    static func read(directory: String, json: String) throws -> Contents {
        let result = try Python.run(["-c", script, directory, json])
        try #require(result.status == 0, "python3 failed: \(result.messages)")
        return try JSONDecoder().decode(Contents.self, from: Data(contentsOf: URL(fileURLWithPath: json)))
    }
}

import Testing
@testable import PruneKit

@Suite struct GzipTests {
    /// Compressible bytes: a repeating ramp with some noise.
    let sample = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 % 251) } + randomBytes(count: 5_000, seed: 1)

    @Test func roundTrip() throws {
        let compressed = Gzip.compress(sample)
        #expect(Array(compressed.prefix(2)) == [0x1F, 0x8B])
        #expect(compressed.count < sample.count / 4)
        #expect(try gunzip(compressed, file: "sample.gz") == sample)
    }

    @Test func emptyInputRoundTrips() throws {
        let compressed = Gzip.compress([])
        #expect(Gzip.hasMagic(compressed))
        #expect(try gunzip(compressed, file: "empty.gz") == [])
    }

    @Test func higherLevelsCompressMore() {
        #expect(Gzip.compress(sample, level: 9).count <= Gzip.compress(sample, level: 1).count)
        #expect(Gzip.compress(sample, level: 0).count > sample.count)
    }

    @Test func concatenatedMembersAreAllRead() throws {
        let second = randomBytes(count: 3_000, seed: 2)
        let joined = Gzip.compress(sample) + Gzip.compress(second) + Gzip.compress([])
        #expect(try gunzip(joined, file: "joined.gz") == sample + second)
    }

    @Test func flippedBytesAreReported() throws {
        var damaged = Gzip.compress(sample)
        for offset in damaged.count / 2 ..< damaged.count / 2 + 8 { damaged[offset] ^= 0xA5 }
        expectCorrupt(damaged, file: "flipped.gz")
    }

    @Test func streamCutInHalfIsReported() throws {
        let half = Array(Gzip.compress(sample).prefix(1_000))
        let error = expectCorrupt(half, file: "half.gz")
        #expect(error?.description.contains("ends early") == true)
    }

    @Test func trailingGarbageIsReported() throws {
        expectCorrupt(Gzip.compress(sample) + [1, 2, 3, 4], file: "trailing.gz")
    }

    @Test func corruptGzipIDXFileNamesTheFile() throws {
        let dir = try TemporaryDirectory()
        let compressed = Gzip.compress(idxBytes(dimensions: [1000], payload: randomBytes(count: 1000, seed: 3)))
        let cut = try dir.write(Array(compressed.prefix(compressed.count / 2)), to: "labels-idx1-ubyte.gz")
        let error = #expect(throws: DataError.self) { try IDXFile(contentsOf: cut, dimensionCount: 1) }
        guard case .corruptGzip(let file, _)? = error else {
            Issue.record("expected .corruptGzip, got \(String(describing: error))")
            return
        }
        #expect(file == cut)
        #expect(error?.description.contains("labels-idx1-ubyte.gz") == true)
    }

    @discardableResult
    private func expectCorrupt(_ bytes: [UInt8], file: String,
                               sourceLocation: SourceLocation = #_sourceLocation) -> DataError? {
        let error = #expect(throws: DataError.self, sourceLocation: sourceLocation) {
            try gunzip(bytes, file: file)
        }
        guard case .corruptGzip(file, _)? = error else {
            Issue.record("expected .corruptGzip naming \(file), got \(String(describing: error))",
                         sourceLocation: sourceLocation)
            return error
        }
        #expect(error?.description.contains(file) == true, sourceLocation: sourceLocation)
        return error
    }
}

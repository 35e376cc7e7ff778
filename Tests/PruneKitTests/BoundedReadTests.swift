import Foundation
import Testing
import ZIPFoundation
@testable import PruneKit

/// Hostile dataset files: memory stays bounded by what a header announces.
@Suite struct BoundedReadTests {
    /// Three 2×3 images: 18 payload bytes after a 16-byte header.
    let pixels = (0..<18).map { UInt8($0 * 14) }
    /// Far more bytes than the header announces: a small decompression bomb.
    let bomb = [UInt8](repeating: 0, count: 8 << 20)

    @Test func gzipBombStopsAtTheFirstBytePastTheAnnouncedSize() throws {
        let compressed = Gzip.compress(idxBytes(dimensions: [3, 2, 3], payload: pixels + bomb))
        #expect(compressed.count < bomb.count / 500)
        var inflater = try GzipInflater(MemoryBytes(compressed, reportsSize: true), file: "bomb-idx3-ubyte.gz")
        let error = #expect(throws: DataError.self) {
            try IDXFile(reading: &inflater, dimensionCount: 3, compressedBytes: compressed.count, file: "bomb-idx3-ubyte.gz")
        }
        #expect(error == .oversizedStream(file: "bomb-idx3-ubyte.gz", expectedBytes: 16 + 18))
        #expect(inflater.producedBytes == 16 + 18 + 1)
    }

    @Test func gzipBombFileIsRefusedNamingIt() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(Gzip.compress(idxBytes(dimensions: [3], payload: [1, 2, 3] + bomb)),
                                 to: "train-labels-idx1-ubyte.gz")
        expectDataError(.oversizedStream(file: path, expectedBytes: 8 + 3), naming: "train-labels-idx1-ubyte.gz") {
            _ = try IDXFile(contentsOf: path, dimensionCount: 1)
        }
        #expect(DataError.oversizedStream(file: path, expectedBytes: 11).description.contains("header announces 11 bytes"))
    }

    @Test func streamReadsNoMoreThanTheAnnouncedSizePlusOne() throws {
        var stream = MemoryBytes(idxBytes(dimensions: [3, 2, 3], payload: pixels + bomb))
        #expect(throws: DataError.oversizedStream(file: "stream", expectedBytes: 34)) {
            try IDXFile(reading: &stream, dimensionCount: 3, compressedBytes: nil, file: "stream")
        }
        #expect(stream.position == 16 + 18 + 1)
    }

    @Test func exactStreamIsReadWhole() throws {
        var stream = MemoryBytes(idxBytes(dimensions: [3, 2, 3], payload: pixels))
        let idx = try IDXFile(reading: &stream, dimensionCount: 3, compressedBytes: nil, file: "stream")
        #expect(idx.payload == pixels)
        #expect(idx.dimensions == [3, 2, 3])
    }

    @Test func rawFileLargerThanItsHeaderIsRefusedBeforeItsPayloadIsRead() throws {
        var raw = MemoryBytes(idxBytes(dimensions: [3, 2, 3], payload: pixels + bomb), reportsSize: true)
        #expect(throws: DataError.oversized(file: "raw", expectedBytes: 34, actualBytes: 34 + bomb.count)) {
            try IDXFile(reading: &raw, dimensionCount: 3, compressedBytes: nil, file: "raw")
        }
        #expect(raw.position == 16)
    }

    @Test func sizeTheCompressedFileCannotHoldIsRefusedUpFront() throws {
        let dir = try TemporaryDirectory()
        // 10,000 images of 28×28 announced; a few hundred compressed bytes inflate to far less.
        let compressed = Gzip.compress(idxBytes(dimensions: [10_000, 28, 28], payload: Array(pixels)))
        let path = try dir.write(compressed, to: "t10k-images-idx3-ubyte.gz")
        let announced = 16 + 10_000 * 28 * 28
        expectDataError(.implausibleSize(file: path, announcedBytes: announced,
                                         detail: "\(compressed.count) compressed bytes inflate to at most "
                                            + "\(compressed.count * Gzip.maxExpansion)"),
                        naming: "t10k-images-idx3-ubyte.gz") {
            _ = try IDXFile(contentsOf: path, dimensionCount: 3)
        }
        var inflater = try GzipInflater(MemoryBytes(compressed, reportsSize: true), file: "t10k")
        #expect(throws: DataError.self) {
            try IDXFile(reading: &inflater, dimensionCount: 3, compressedBytes: compressed.count, file: "t10k")
        }
        #expect(inflater.producedBytes == 16)
    }

    @Test func sizeMemoryCannotHoldIsRefusedUpFront() throws {
        var stream = MemoryBytes(idxBytes(dimensions: [60_000, 60_000, 60_000], payload: pixels))
        let error = #expect(throws: DataError.self) {
            try IDXFile(reading: &stream, dimensionCount: 3, compressedBytes: nil, file: "huge-idx3-ubyte")
        }
        guard case .implausibleSize("huge-idx3-ubyte", 16 + 216_000_000_000_000, let detail)? = error else {
            Issue.record("expected .implausibleSize, got \(String(describing: error))")
            return
        }
        #expect(detail == "more than this machine's memory (\(AnnouncedSize.memoryBytes) bytes)")
        #expect(stream.position == 16)
    }

    // MARK: - npz

    @Test(arguments: [false, true]) func npzMemberPastItsHeaderStopsExtraction(deflate: Bool) throws {
        let dir = try TemporaryDirectory()
        let labels = npyBytes(shape: [3], payload: [1, 2, 3] + bomb)
        let path = try writeNPZ([("y_train.npy", labels)], to: "mnist.npz", in: dir, deflate: deflate)
        let archive = try NPZFile(path: path)
        expectDataError(.corruptArchive(file: path, detail: "member y_train.npy: payload holds more than the 3 bytes "
                                        + "its header announces (extraction stopped there)"),
                        naming: "mnist.npz") {
            _ = try archive.array(named: "y_train.npy", dimensionCount: 1)
        }
    }

    @Test func npyReaderRefusesTheFirstChunkPastTheAnnouncedPayload() throws {
        let header = npyBytes(shape: [3, 28, 28], payload: [])
        var reader = NPYArray.Reader(archive: "a.npz", member: "x.npy", maximumBytes: .max, compressedBytes: nil)
        try reader.consume(header)
        for _ in 0..<2 { try reader.consume([UInt8](repeating: 7, count: 1_000)) }
        #expect(throws: DataError.self) { try reader.consume([UInt8](repeating: 7, count: 1_000)) }
        try reader.consume([UInt8](repeating: 7, count: 3 * 28 * 28 - 2_000))
        #expect(try reader.finish().bytes == [UInt8](repeating: 7, count: 3 * 28 * 28))
    }

    @Test func npzMemberAnnouncingMoreThanItsStoredBytesIsRefused() throws {
        let dir = try TemporaryDirectory()
        let images = npyBytes(shape: [1_000_000, 28, 28], payload: Array(pixels))
        let path = try writeNPZ([("x_train.npy", images)], to: "mnist.npz", in: dir)
        let archive = try NPZFile(path: path)
        let error = #expect(throws: DataError.self) { try archive.array(named: "x_train.npy", dimensionCount: 3) }
        guard case .implausibleSize(let file, _, let detail)? = error else {
            Issue.record("expected .implausibleSize, got \(String(describing: error))")
            return
        }
        #expect(file == "\(path) (x_train.npy)")
        #expect(detail.contains("compressed bytes inflate to at most"))
    }

    @Test func npyHeaderNestedTooDeeplyIsMalformedNotACrash() throws {
        var header = "{'descr': '|u1', 'fortran_order': False, 'shape': "
            + String(repeating: "(", count: 5_000) + String(repeating: ")", count: 5_000) + "}"
        header += "\n"
        let length = header.utf8.count
        let bytes = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8)
        var reader = NPYArray.Reader(archive: "a.npz", member: "x.npy", maximumBytes: .max, compressedBytes: nil)
        #expect(throws: DataError.corruptArchive(file: "a.npz", detail: "member x.npy: npy header is not a Python dict literal")) {
            try reader.consume(bytes)
        }
    }

    @Test func overlongNPYHeaderIsUnsupported() throws {
        let bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [2, 0, 0, 0, 0, 0x10]
        var reader = NPYArray.Reader(archive: "a.npz", member: "x.npy", maximumBytes: .max, compressedBytes: nil)
        let error = #expect(throws: DataError.self) { try reader.consume(bytes) }
        guard case .unsupported("a.npz", let detail)? = error else {
            Issue.record("expected .unsupported, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("longer than"))
    }
}

/// Shapes whose pixel count overflows `Int` are refused, not trapped on.
@Suite struct ImageShapeOverflowTests {
    @Test func emptyIDXFileOfHugeImagesIsUnsupported() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write(idxBytes(dimensions: [0, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: []), to: "images-idx3-ubyte")
        let labels = try dir.write(idxBytes(dimensions: [0], payload: []), to: "labels-idx1-ubyte")
        expectDataError(.unsupported(file: images, detail: "images of 4294967295×4294967295 pixels"),
                        naming: "images-idx3-ubyte") {
            _ = try Dataset(imagesFile: images, labelsFile: labels)
        }
    }

    @Test func emptyNPZArrayOfHugeImagesIsUnsupported() throws {
        let dir = try TemporaryDirectory()
        let path = try writeNPZ([
            ("x_train.npy", npyBytes(shape: [0, 1 << 40, 1 << 40], payload: [])),
            ("y_train.npy", npyBytes(shape: [0], payload: [])),
            ("x_test.npy", npyBytes(shape: [0, 28, 28], payload: [])),
            ("y_test.npy", npyBytes(shape: [0], payload: [])),
        ], to: "mnist.npz", in: dir)
        let error = #expect(throws: DataError.self) { try MNIST.load(npz: path) }
        guard case .unsupported(let file, _)? = error else {
            Issue.record("expected .unsupported, got \(String(describing: error))")
            return
        }
        #expect(file == "\(path) (x_train.npy)")
    }

    @Test(arguments: [[1 << 40, 1 << 40, 1], [4, -1, -1], [0, 4, 1]])
    func datasetShapeMustBePositiveAndAddressable(shape: [Int]) throws {
        let error = #expect(throws: DataError.self) {
            try Dataset(pixels: [], labels: [], imageShape: shape, source: "shape")
        }
        guard case .unsupported("shape", _)? = error else {
            Issue.record("expected .unsupported, got \(String(describing: error))")
            return
        }
    }
}

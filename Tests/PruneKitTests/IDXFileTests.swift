import Testing
@testable import PruneKit

@Suite struct IDXFileTests {
    /// Three 2×3 images and their labels.
    let pixels = (0..<18).map { UInt8($0 * 14) }
    let labels: [UInt8] = [7, 0, 9]

    @Test func rawRoundTrip() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write(idxBytes(dimensions: [3, 2, 3], payload: pixels), to: "images-idx3-ubyte")
        let labelFile = try dir.write(idxBytes(dimensions: [3], payload: labels), to: "labels-idx1-ubyte")
        let dataset = try Dataset(imagesFile: images, labelsFile: labelFile)
        #expect(dataset.pixels == pixels)
        #expect(dataset.labels == labels)
        #expect(dataset.imageShape == [2, 3, 1])
        #expect(dataset.count == 3)
    }

    @Test func gzipRoundTripIsRecognisedByMagicNotName() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write(Gzip.compress(idxBytes(dimensions: [3, 2, 3], payload: pixels)),
                                   to: "images-idx3-ubyte.gz")
        let labelFile = try dir.write(Gzip.compress(idxBytes(dimensions: [3], payload: labels)), to: "labels.bin")
        let dataset = try Dataset(imagesFile: images, labelsFile: labelFile)
        #expect(dataset.pixels == pixels)
        #expect(dataset.labels == labels)
        #expect(dataset.imageShape == [2, 3, 1])
    }

    @Test func missingFile() throws {
        let dir = try TemporaryDirectory()
        let labelFile = try dir.write(idxBytes(dimensions: [3], payload: labels), to: "labels-idx1-ubyte")
        let images = dir.path("absent-idx3-ubyte")
        expectDataError(.missingFile(path: images), naming: "absent-idx3-ubyte") {
            _ = try Dataset(imagesFile: images, labelsFile: labelFile)
        }
    }

    @Test func directoryIsNotAFile() throws {
        let dir = try TemporaryDirectory()
        let labelFile = try dir.write(idxBytes(dimensions: [3], payload: labels), to: "labels-idx1-ubyte")
        expectDataError(.missingFile(path: dir.url.path), naming: dir.url.lastPathComponent) {
            _ = try Dataset(imagesFile: dir.url.path, labelsFile: labelFile)
        }
    }

    @Test func wrongMagic() throws {
        let dir = try TemporaryDirectory()
        let labelFile = try dir.write(idxBytes(dimensions: [3], payload: labels), to: "labels-idx1-ubyte")
        expectDataError(.badMagic(file: labelFile, expected: 2051, found: 2049), naming: "labels-idx1-ubyte") {
            _ = try Dataset(imagesFile: labelFile, labelsFile: labelFile)
        }
        let text = try dir.write(Array("hello, world".utf8), to: "notes.txt")
        expectDataError(.badMagic(file: text, expected: 2049, found: 0x6865_6C6C), naming: "notes.txt") {
            _ = try IDXFile(contentsOf: text, dimensionCount: 1)
        }
    }

    @Test func nonByteElementsAreUnsupported() throws {
        let dir = try TemporaryDirectory()
        let floats = try dir.write(idxBytes(dimensions: [1, 1, 1], payload: [0, 0, 0, 0], magic: 0x0D03),
                                   to: "floats-idx3")
        let error = #expect(throws: DataError.self) { try IDXFile(contentsOf: floats, dimensionCount: 3) }
        guard case .unsupported(let file, let detail)? = error else {
            Issue.record("expected .unsupported, got \(String(describing: error))")
            return
        }
        #expect(file == floats)
        #expect(detail.contains("32-bit float"))
    }

    @Test func truncatedPayload() throws {
        let dir = try TemporaryDirectory()
        let bytes = idxBytes(dimensions: [3, 2, 3], payload: pixels)
        let path = try dir.write(Array(bytes.dropLast(5)), to: "short-idx3-ubyte")
        expectDataError(.truncated(file: path, expectedBytes: 16 + 18, actualBytes: 16 + 13), naming: "short-idx3-ubyte") {
            _ = try IDXFile(contentsOf: path, dimensionCount: 3)
        }
    }

    @Test func oversizedPayload() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(idxBytes(dimensions: [3], payload: labels + [1]), to: "long-idx1-ubyte")
        expectDataError(.oversized(file: path, expectedBytes: 8 + 3, actualBytes: 8 + 4), naming: "long-idx1-ubyte") {
            _ = try IDXFile(contentsOf: path, dimensionCount: 1)
        }
    }

    @Test func truncatedHeader() throws {
        let dir = try TemporaryDirectory()
        let header = idxBytes(dimensions: [3, 2, 3], payload: [])
        let cut = try dir.write(Array(header.prefix(10)), to: "cut-idx3-ubyte")
        expectDataError(.truncated(file: cut, expectedBytes: 16, actualBytes: 10), naming: "cut-idx3-ubyte") {
            _ = try IDXFile(contentsOf: cut, dimensionCount: 3)
        }
        let tiny = try dir.write([0, 0], to: "tiny-idx1-ubyte")
        expectDataError(.truncated(file: tiny, expectedBytes: 4, actualBytes: 2), naming: "tiny-idx1-ubyte") {
            _ = try IDXFile(contentsOf: tiny, dimensionCount: 1)
        }
        let empty = try dir.write([], to: "empty-idx1-ubyte")
        expectDataError(.truncated(file: empty, expectedBytes: 4, actualBytes: 0), naming: "empty-idx1-ubyte") {
            _ = try IDXFile(contentsOf: empty, dimensionCount: 1)
        }
    }

    @Test func absurdDimensionsThrowInsteadOfOverflowing() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(idxBytes(dimensions: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: [1, 2]),
                                 to: "huge-idx3-ubyte")
        let error = #expect(throws: DataError.self) { try IDXFile(contentsOf: path, dimensionCount: 3) }
        guard case .unsupported(let file, _)? = error else {
            Issue.record("expected .unsupported, got \(String(describing: error))")
            return
        }
        #expect(file == path)
    }

    @Test func imageLabelCountMismatch() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write(idxBytes(dimensions: [3, 2, 3], payload: pixels), to: "images-idx3-ubyte")
        let labelFile = try dir.write(idxBytes(dimensions: [2], payload: [1, 2]), to: "labels-idx1-ubyte")
        expectDataError(.countMismatch(images: images, imageCount: 3, labels: labelFile, labelCount: 2),
                        naming: "labels-idx1-ubyte") {
            _ = try Dataset(imagesFile: images, labelsFile: labelFile)
        }
    }

    @Test func labelOutOfRange() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write(idxBytes(dimensions: [3, 2, 3], payload: pixels), to: "images-idx3-ubyte")
        let labelFile = try dir.write(idxBytes(dimensions: [3], payload: [4, 10, 2]), to: "labels-idx1-ubyte")
        expectDataError(.labelOutOfRange(file: labelFile, index: 1, label: 10, classCount: 10),
                        naming: "labels-idx1-ubyte") {
            _ = try Dataset(imagesFile: images, labelsFile: labelFile)
        }
    }

    @Test func emptyImagesAreUnsupported() throws {
        let dir = try TemporaryDirectory()
        let images = try dir.write(idxBytes(dimensions: [3, 0, 3], payload: []), to: "flat-idx3-ubyte")
        let labelFile = try dir.write(idxBytes(dimensions: [3], payload: labels), to: "labels-idx1-ubyte")
        let error = #expect(throws: DataError.self) { try Dataset(imagesFile: images, labelsFile: labelFile) }
        guard case .unsupported(let file, _)? = error else {
            Issue.record("expected .unsupported, got \(String(describing: error))")
            return
        }
        #expect(file == images)
    }
}

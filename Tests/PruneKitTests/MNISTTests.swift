import Foundation
import Testing
@testable import PruneKit

@Suite struct MNISTTests {
    @Test func bundledSampleSplitsFourThousandAndOneThousand() throws {
        let mnist = try MNIST.load()
        #expect(mnist.train.count == 4_000)
        #expect(mnist.test.count == 1_000)
        #expect(mnist.train.imageShape == [28, 28, 1])
        #expect(mnist.test.imageShape == [28, 28, 1])
        #expect(mnist.train.classCounts.allSatisfy { $0 > 0 })
        #expect(mnist.test.classCounts.allSatisfy { $0 > 0 })
        #expect(zip(mnist.train.classCounts, mnist.test.classCounts).map { $0 + $1 } == Array(repeating: 500, count: 10))
        #expect(mnist.source == "bundled MNIST sample (mnist-5k): 4,000 train + 1,000 test images")
        #expect(mnist.train.pixels.contains { $0 > 0 })
    }

    @Test func bundledSampleIsDeterministic() throws {
        let first = try MNIST.load()
        let second = try MNIST.load()
        #expect(first.train == second.train)
        #expect(first.test == second.test)
    }

    /// Writes the four standard files into `dir`, some raw and some gzip-compressed.
    func writeStandardFiles(in dir: TemporaryDirectory, trainCount: Int = 5, testCount: Int = 3) throws {
        let trainPixels = randomBytes(count: trainCount * 28 * 28, seed: 20)
        let testPixels = randomBytes(count: testCount * 28 * 28, seed: 21)
        try dir.write(idxBytes(dimensions: [trainCount, 28, 28], payload: trainPixels), to: "train-images-idx3-ubyte")
        try dir.write(Gzip.compress(idxBytes(dimensions: [trainCount], payload: (0..<trainCount).map { UInt8($0 % 10) })),
                      to: "train-labels-idx1-ubyte.gz")
        try dir.write(Gzip.compress(idxBytes(dimensions: [testCount, 28, 28], payload: testPixels)),
                      to: "t10k-images-idx3-ubyte.gz")
        try dir.write(idxBytes(dimensions: [testCount], payload: (0..<testCount).map { UInt8(9 - $0) }),
                      to: "t10k-labels-idx1-ubyte")
    }

    @Test func directoryOfRawAndCompressedFiles() throws {
        let dir = try TemporaryDirectory()
        try writeStandardFiles(in: dir, trainCount: 1_234, testCount: 3)
        let mnist = try MNIST.load(from: dir.url.path)
        #expect(mnist.train.count == 1_234)
        #expect(mnist.train.labels.prefix(3) == [0, 1, 2])
        #expect(mnist.test.labels == [9, 8, 7])
        #expect(mnist.test.pixels == randomBytes(count: 3 * 28 * 28, seed: 21))
        #expect(mnist.source == "IDX files in \(dir.url.path): 1,234 train + 3 test images")
    }

    @Test func rawFileIsPreferredOverCompressed() throws {
        let dir = try TemporaryDirectory()
        try writeStandardFiles(in: dir)
        try dir.write([0x1F, 0x8B, 0, 0], to: "train-images-idx3-ubyte.gz")
        #expect(try MNIST.load(from: dir.url.path).train.count == 5)
    }

    @Test func missingStandardFileNamesTheExpectedPath() throws {
        let dir = try TemporaryDirectory()
        try writeStandardFiles(in: dir)
        try FileManager.default.removeItem(atPath: dir.path("t10k-labels-idx1-ubyte"))
        expectDataError(.missingFile(path: dir.path("t10k-labels-idx1-ubyte")), naming: "t10k-labels-idx1-ubyte") {
            _ = try MNIST.load(from: dir.url.path)
        }
    }

    @Test func missingDirectory() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("nowhere")
        expectDataError(.missingFile(path: path), naming: "nowhere") { _ = try MNIST.load(from: path) }
    }

    @Test func damagedFileInDirectoryIsReported() throws {
        let dir = try TemporaryDirectory()
        try writeStandardFiles(in: dir)
        let path = try dir.write(idxBytes(dimensions: [3], payload: [1, 2, 3, 4]), to: "t10k-labels-idx1-ubyte")
        expectDataError(.oversized(file: path, expectedBytes: 11, actualBytes: 12), naming: "t10k-labels-idx1-ubyte") {
            _ = try MNIST.load(from: dir.url.path)
        }
    }

    static let fashionMNIST = "/usr/share/datasets/fashion-mnist"

    @Test(.enabled(if: FileManager.default.fileExists(atPath: MNISTTests.fashionMNIST), "needs Fashion-MNIST installed"))
    func installedFashionMNIST() throws {
        let mnist = try MNIST.load(from: Self.fashionMNIST)
        #expect(mnist.train.count == 60_000)
        #expect(mnist.test.count == 10_000)
        #expect(mnist.train.classCounts == Array(repeating: 6_000, count: 10))
        #expect(mnist.test.classCounts == Array(repeating: 1_000, count: 10))
        #expect(mnist.source == "IDX files in \(Self.fashionMNIST): 60,000 train + 10,000 test images")
    }
}

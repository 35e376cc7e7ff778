import Foundation
import Testing
import ZIPFoundation
@testable import PruneKit

/// The bytes of a `.npy` array, header written by hand as NumPy writes it.
func npyBytes(descr: String = "|u1", shape: [Int], payload: [UInt8], version: UInt8 = 1,
              fortranOrder: Bool = false) -> [UInt8] {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(\(shape.map(String.init).joined(separator: ", ")))"
    var header = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shapeText), }"
    let lengthSize = version == 1 ? 2 : 4
    let prefixSize = 8 + lengthSize
    while (prefixSize + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    let length = header.utf8.count
    let lengthBytes = (0..<lengthSize).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
    return [0x93] + Array("NUMPY".utf8) + [version, 0] + lengthBytes + Array(header.utf8) + payload
}

/// Writes a zip archive holding `members` and returns its path.
@discardableResult
func writeNPZ(_ members: [(name: String, bytes: [UInt8])], to name: String, in dir: TemporaryDirectory,
              deflate: Bool = true) throws -> String {
    let path = dir.path(name)
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    for (member, bytes) in members {
        try archive.addEntry(with: member, type: .file, uncompressedSize: Int64(bytes.count),
                             compressionMethod: deflate ? .deflate : .none) { position, size in
            Data(bytes[Int(position) ..< Int(position) + size])
        }
    }
    return path
}

@Suite struct NPZFileTests {
    let trainPixels = randomBytes(count: 3 * 28 * 28, seed: 10)
    let testPixels = randomBytes(count: 2 * 28 * 28, seed: 11)
    let trainLabels: [UInt8] = [5, 0, 4]
    let testLabels: [UInt8] = [7, 2]

    /// The four Keras members, with any replaced by `overrides` and any in `omitting` left out.
    func members(overrides: [String: [UInt8]] = [:], omitting: Set<String> = []) -> [(name: String, bytes: [UInt8])] {
        let standard = [
            ("x_train.npy", npyBytes(shape: [3, 28, 28], payload: trainPixels)),
            ("y_train.npy", npyBytes(shape: [3], payload: trainLabels)),
            ("x_test.npy", npyBytes(shape: [2, 28, 28], payload: testPixels)),
            ("y_test.npy", npyBytes(shape: [2], payload: testLabels)),
        ]
        return standard.filter { !omitting.contains($0.0) }.map { (name: $0.0, bytes: overrides[$0.0] ?? $0.1) }
    }

    @Test(arguments: [false, true]) func loadsStoredAndDeflatedArchives(deflate: Bool) throws {
        let dir = try TemporaryDirectory()
        let path = try writeNPZ(members(), to: "mnist.npz", in: dir, deflate: deflate)
        for mnist in [try MNIST.load(npz: path), try MNIST.load(from: path)] {
            #expect(mnist.train.pixels == trainPixels)
            #expect(mnist.train.labels == trainLabels)
            #expect(mnist.test.pixels == testPixels)
            #expect(mnist.test.labels == testLabels)
            #expect(mnist.train.imageShape == [28, 28, 1])
            #expect(mnist.source == "Keras npz archive \(path): 3 train + 2 test images")
        }
    }

    @Test func widerLabelTypesAndLaterVersionsAreConverted() throws {
        let dir = try TemporaryDirectory()
        let wide = trainLabels.flatMap { [$0, 0, 0, 0, 0, 0, 0, 0] as [UInt8] }
        let bigEndian = testLabels.flatMap { [0, 0, 0, $0] as [UInt8] }
        let path = try writeNPZ(members(overrides: [
            "y_train.npy": npyBytes(descr: "<i8", shape: [3], payload: wide, version: 2),
            "y_test.npy": npyBytes(descr: ">u4", shape: [2], payload: bigEndian, version: 3),
        ]), to: "mnist.npz", in: dir)
        let mnist = try MNIST.load(npz: path)
        #expect(mnist.train.labels == trainLabels)
        #expect(mnist.test.labels == testLabels)
    }

    @Test func missingMemberIsNamed() throws {
        let dir = try TemporaryDirectory()
        let path = try writeNPZ(members(omitting: ["x_test.npy"]), to: "mnist.npz", in: dir)
        expectDataError(.corruptArchive(file: path, detail: "missing member x_test.npy"), naming: "mnist.npz") {
            _ = try MNIST.load(npz: path)
        }
        #expect(throws: DataError.self) { try MNIST.load(npz: path) }
    }

    @Test func badNPYMagicNamesTheMember() throws {
        let dir = try TemporaryDirectory()
        var damaged = npyBytes(shape: [3, 28, 28], payload: trainPixels)
        damaged[1] = UInt8(ascii: "X")
        let path = try writeNPZ(members(overrides: ["x_train.npy": damaged]), to: "mnist.npz", in: dir)
        expectDataError(.corruptArchive(file: path, detail: "member x_train.npy: not a .npy array (bad magic)"),
                        naming: "mnist.npz") {
            _ = try MNIST.load(npz: path)
        }
    }

    @Test func payloadSizeMismatch() throws {
        let dir = try TemporaryDirectory()
        let short = npyBytes(shape: [2], payload: [7])
        let path = try writeNPZ(members(overrides: ["y_test.npy": short]), to: "mnist.npz", in: dir)
        expectDataError(.corruptArchive(file: path, detail: "member y_test.npy: payload holds 1 bytes, header announces 2"),
                        naming: "y_test.npy") {
            _ = try MNIST.load(npz: path)
        }
    }

    @Test func malformedHeader() throws {
        let dir = try TemporaryDirectory()
        var bytes = npyBytes(shape: [3], payload: trainLabels)
        let brace = bytes.firstIndex(of: UInt8(ascii: "{"))!
        bytes[brace] = UInt8(ascii: "<")
        let path = try writeNPZ(members(overrides: ["y_train.npy": bytes]), to: "mnist.npz", in: dir)
        expectDataError(.corruptArchive(file: path, detail: "member y_train.npy: npy header is not a Python dict literal"),
                        naming: "y_train.npy") {
            _ = try MNIST.load(npz: path)
        }
    }

    @Test func wrongDimensionCount() throws {
        let dir = try TemporaryDirectory()
        let flat = npyBytes(shape: [3, 784], payload: trainPixels)
        let path = try writeNPZ(members(overrides: ["x_train.npy": flat]), to: "mnist.npz", in: dir)
        let error = #expect(throws: DataError.self) { try MNIST.load(npz: path) }
        guard case .corruptArchive(path, let detail)? = error else {
            Issue.record("expected .corruptArchive, got \(String(describing: error))")
            return
        }
        #expect(detail.hasPrefix("member x_train.npy: shape [3, 784] has 2 dimensions"))
    }

    @Test(arguments: [
        ("x_train.npy", npyBytes(descr: "<f4", shape: [1], payload: [0, 0, 0, 0])),
        ("x_train.npy", npyBytes(shape: [3, 28, 28], payload: randomBytes(count: 3 * 28 * 28, seed: 10), fortranOrder: true)),
        ("y_train.npy", npyBytes(descr: "<i2", shape: [3], payload: [5, 0, 0x2C, 1, 4, 0])),
        ("y_test.npy", npyBytes(descr: "|i1", shape: [2], payload: [7, 0xFF])),
        ("y_test.npy", npyBytes(shape: [2], payload: [7, 2], version: 4)),
    ])
    func unreadableArraysAreUnsupported(member: String, bytes: [UInt8]) throws {
        let dir = try TemporaryDirectory()
        let path = try writeNPZ(members(overrides: [member: bytes]), to: "mnist.npz", in: dir)
        let error = #expect(throws: DataError.self) { try MNIST.load(npz: path) }
        guard case .unsupported(path, let detail)? = error else {
            Issue.record("expected .unsupported, got \(String(describing: error))")
            return
        }
        #expect(detail.hasPrefix("member \(member): "))
    }

    @Test func labelOutOfRangeNamesTheMember() throws {
        let dir = try TemporaryDirectory()
        let path = try writeNPZ(members(overrides: ["y_test.npy": npyBytes(shape: [2], payload: [3, 10])]),
                                to: "mnist.npz", in: dir)
        expectDataError(.labelOutOfRange(file: "\(path) (y_test.npy)", index: 1, label: 10, classCount: 10),
                        naming: "y_test.npy") {
            _ = try MNIST.load(npz: path)
        }
    }

    @Test func notAZipFile() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(randomBytes(count: 4096, seed: 12), to: "noise.npz")
        let error = #expect(throws: DataError.self) { try MNIST.load(npz: path) }
        guard case .corruptArchive(path, _)? = error else {
            Issue.record("expected .corruptArchive, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("noise.npz") == true)
    }

    @Test func missingArchive() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("absent.npz")
        expectDataError(.missingFile(path: path), naming: "absent.npz") { _ = try MNIST.load(npz: path) }
    }

    @Test(.enabled(if: NPZFileTests.pythonHasNumPy, "needs python3 with NumPy"))
    func readsArchiveWrittenByNumPy() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("mnist.npz")
        let script = """
            import numpy as np, sys
            rng = np.random.default_rng(0)
            np.savez_compressed(sys.argv[1],
                x_train=(np.arange(4 * 28 * 28) % 256).astype(np.uint8).reshape(4, 28, 28),
                y_train=np.array([1, 9, 0, 4], dtype=np.uint8),
                x_test=np.full((2, 28, 28), 255, dtype=np.uint8),
                y_test=np.array([3, 8], dtype=np.int64))
            """
        try #require(Self.runPython(["-c", script, path]))

        let mnist = try MNIST.load(npz: path)
        #expect(mnist.train.pixels == (0..<4 * 28 * 28).map { UInt8(truncatingIfNeeded: $0) })
        #expect(mnist.train.labels == [1, 9, 0, 4])
        #expect(mnist.test.pixels == [UInt8](repeating: 255, count: 2 * 28 * 28))
        #expect(mnist.test.labels == [3, 8])
        #expect(mnist.test.imageShape == [28, 28, 1])
    }

    /// Whether `python3` on the `PATH` can import NumPy.
    static let pythonHasNumPy = runPython(["-c", "import numpy"])

    /// Runs `python3` from the `PATH` with `arguments`; whether it started and exited with status 0.
    static func runPython(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}

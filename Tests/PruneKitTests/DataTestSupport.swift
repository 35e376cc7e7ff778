import Foundation
import Testing
@testable import PruneKit

/// A fresh directory under the system's temporary directory, removed when the value is released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("PruneKitTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` inside the directory.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `bytes` to `name` and returns its path.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let path = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// The bytes of an unsigned-byte IDX file with the given dimensions and payload.
func idxBytes(dimensions: [Int], payload: [UInt8], magic: UInt32? = nil) -> [UInt8] {
    func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
    return bigEndian(magic ?? (0x0800 | UInt32(dimensions.count)))
        + dimensions.flatMap { bigEndian(UInt32($0)) } + payload
}

/// Deterministic pseudo-random bytes.
func randomBytes(count: Int, seed: UInt64) -> [UInt8] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
}

/// Expects `body` to throw exactly `expected`, and its description to name `file`.
func expectDataError(_ expected: DataError, naming file: String,
                     sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    let error = #expect(throws: DataError.self, sourceLocation: sourceLocation, performing: body)
    #expect(error == expected, sourceLocation: sourceLocation)
    #expect(error?.description.contains(file) == true, "\(String(describing: error)) should name \(file)",
            sourceLocation: sourceLocation)
}

/// Bytes in memory read as a ``ByteSource``, counting how far they were read.
struct MemoryBytes: ByteSource {
    let bytes: [UInt8]
    /// Whether the source tells its size up front, as a raw file does; a stream does not.
    var reportsSize = false
    /// How many bytes have been read.
    private(set) var position = 0

    init(_ bytes: [UInt8], reportsSize: Bool = false) {
        self.bytes = bytes
        self.reportsSize = reportsSize
    }

    var exactSize: Int? { reportsSize ? bytes.count : nil }
    var maximumSize: Int { reportsSize ? bytes.count : .max }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataError) -> Int {
        let count = min(buffer.count, bytes.count - position)
        bytes[position ..< position + count].withUnsafeBytes { buffer.copyMemory(from: $0) }
        position += count
        return count
    }
}

/// The whole decompressed contents of a gzip stream held in memory.
func gunzip(_ bytes: [UInt8], file: String) throws(DataError) -> [UInt8] {
    var inflater = try GzipInflater(MemoryBytes(bytes, reportsSize: true), file: file)
    var output: [UInt8] = []
    while true {
        let chunk = try inflater.read(count: 1 << 16)
        output += chunk
        if chunk.count < 1 << 16 { return output }
    }
}

import Foundation

/// A forward-only source of bytes that a parser pulls exactly as much from as it needs.
///
/// Dataset files are read through one, never whole, so memory stays bounded by what a header
/// announces however large the file is or however far its compressed stream inflates.
protocol ByteSource {
    /// The total number of bytes, when known without reading them (a raw file's size).
    var exactSize: Int? { get }
    /// The most bytes the source can produce in all: a file's size, or what its compressed bytes
    /// can inflate to at most.
    var maximumSize: Int { get }
    /// Fills `buffer` from the current position and returns how many bytes it wrote, fewer than
    /// `buffer.count` only at the end of the source.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataError) -> Int
}

extension ByteSource {
    /// The next `count` bytes, or fewer at the end of the source.
    ///
    /// Pages of the result are touched only as bytes arrive, so a large `count` that the source
    /// cannot fill costs only what it delivers.
    mutating func read(count: Int) throws(DataError) -> [UInt8] {
        var failure: DataError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            do throws(DataError) {
                initializedCount = try read(into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error
                initializedCount = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Whether the source holds more bytes; reads at most one.
    mutating func hasMoreBytes() throws(DataError) -> Bool {
        var byte: UInt8 = 0
        return try withUnsafeMutableBytes(of: &byte) { (buffer) throws(DataError) in try read(into: buffer) } > 0
    }
}

/// Refuses, before any payload is read, a size announced by a header that the input cannot hold
/// or that memory cannot take.
enum AnnouncedSize {
    /// The machine's physical memory in bytes: no dataset larger than this is read.
    static var memoryBytes: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }

    /// Throws unless `announcedBytes` can come from an input producing at most `maximumBytes` and fits in memory.
    ///
    /// - Parameters:
    ///   - announcedBytes: The total size the header announces, header included.
    ///   - maximumBytes: The most bytes the input can produce (for compressed input, what it can inflate to).
    ///   - compressedBytes: The size of the compressed input, or `nil` when it is not compressed.
    ///   - file: The name to report in errors.
    /// - Throws: ``DataError/implausibleSize(file:announcedBytes:detail:)``.
    static func check(_ announcedBytes: Int, maximumBytes: Int, compressedBytes: Int?,
                      file: String) throws(DataError) {
        if announcedBytes > maximumBytes {
            let detail = compressedBytes.map { "\($0) compressed bytes inflate to at most \(maximumBytes)" }
                ?? "the input holds only \(maximumBytes)"
            throw .implausibleSize(file: file, announcedBytes: announcedBytes, detail: detail)
        }
        let memory = memoryBytes
        if announcedBytes > memory {
            throw .implausibleSize(file: file, announcedBytes: announcedBytes,
                                   detail: "more than this machine's memory (\(memory) bytes)")
        }
    }
}

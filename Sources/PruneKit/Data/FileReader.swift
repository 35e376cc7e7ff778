import Foundation

/// A file read forward in pieces, never whole.
final class FileReader: ByteSource {
    /// The file's path, reported in errors.
    let path: String
    /// The file's size in bytes when it was opened.
    let size: Int
    private let handle: FileHandle
    /// The most bytes asked of the file at once.
    private static let readChunk = 1 << 20

    /// Opens the regular file at `path`.
    ///
    /// - Throws: ``DataError/missingFile(path:)`` when `path` is not a readable regular file.
    init(path: String) throws(DataError) {
        guard FileAccess.isFile(path), let handle = FileHandle(forReadingAtPath: path) else {
            throw .missingFile(path: path)
        }
        do {
            size = Int(clamping: try handle.seekToEnd())
            try handle.seek(toOffset: 0)
        } catch {
            try? handle.close()
            throw .missingFile(path: path)
        }
        self.path = path
        self.handle = handle
    }

    deinit { try? handle.close() }

    var exactSize: Int? { size }
    var maximumSize: Int { size }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let data: Data?
            do {
                data = try handle.read(upToCount: min(buffer.count - filled, Self.readChunk))
            } catch {
                throw .missingFile(path: path)
            }
            guard let data, !data.isEmpty else { break }
            data.copyBytes(to: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            filled += data.count
        }
        return filled
    }

    /// Whether the file starts with the gzip magic number; leaves the reading position at the start.
    func startsWithGzipMagic() throws(DataError) -> Bool {
        do {
            let start = try handle.read(upToCount: 2) ?? Data()
            try handle.seek(toOffset: 0)
            return Gzip.hasMagic(start)
        } catch {
            throw .missingFile(path: path)
        }
    }
}

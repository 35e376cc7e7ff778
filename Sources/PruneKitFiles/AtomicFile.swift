import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file all at once: the bytes go to a new file in the same directory, which is synced
/// and then renamed over the destination (`rename(2)` is atomic within a file system), and the
/// directory is synced so the rename survives a crash. Readers see the old file or the new one,
/// never a mix, and a failure leaves the old file as it was. PruneKit's one way to write a file
/// whole (models, reports, charts, notebook pages).
public enum AtomicFile {
    /// Why a file could not be written.
    public struct WriteError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The file that was to be written.
        public let path: String
        /// The system's reason.
        public let detail: String

        public var description: String { "\(path): cannot write: \(detail)" }
    }

    /// Writes `bytes` to `path`, creating or replacing it.
    ///
    /// - Throws: ``WriteError`` naming `path`, with the system's reason (a missing directory, a
    ///   parent that is a file, no permission, a full disk…). The temporary file is removed.
    public static func write(_ bytes: [UInt8], to path: String) throws(WriteError) {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        // A hidden sibling, its name kept well under NAME_MAX (255 bytes) however long `name` is.
        let stem = String(decoding: name.utf8.prefix(200), as: UTF8.self)
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(stem).\(getpid()).\(UInt32.random(in: 0 ... .max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw WriteError(path: path, detail: "cannot create a file in \(directory.isEmpty ? "." : directory): \(lastError())") }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, failure == nil {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno != EINTR { failure = "write failed: \(lastError())" }
                } else {
                    offset += written
                }
            }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = "fsync failed: \(lastError())" }
        if close(descriptor) != 0, failure == nil { failure = "close failed: \(lastError())" }
        if failure == nil, rename(temporary, path) != 0 { failure = "cannot replace the file: \(lastError())" }
        if let failure {
            unlink(temporary)
            throw WriteError(path: path, detail: failure)
        }
        syncDirectory(directory.isEmpty ? "." : directory)
    }

    /// Flushes a directory's entries (the rename) to disk; where the system cannot open a directory
    /// for that, the rename is still atomic, only not yet durable.
    private static func syncDirectory(_ directory: String) {
        let descriptor = open(directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// The system's description of the last `errno`.
    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// `write(2)`, which ``AtomicFile/write(_:to:)`` hides.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

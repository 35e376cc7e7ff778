import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A log file written only at its end, each append handed to the operating system at once with
/// `write(2)` (no buffering in the process), so a run that is killed leaves every record it wrote.
final class AppendOnlyFile {
    /// The file's path.
    let path: String
    /// The open file, or `nil` once closed.
    private var descriptor: Int32?

    /// Opens the file at `path` for appending, creating it and its directory if needed; an existing
    /// file is emptied first unless `keepingContents`.
    init(path: String, keepingContents: Bool = false) throws(SummaryError) {
        try Self.createDirectory((path as NSString).deletingLastPathComponent)
        let opened = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (keepingContents ? O_APPEND : O_TRUNC), 0o644)
        guard opened >= 0 else { throw .cannotCreateFile(path: path, detail: Self.lastError()) }
        self.path = path
        descriptor = opened
    }

    /// Creates a new file `<stem>.<n>` in `directory` (created if missing) with the first `n` not
    /// yet taken, so writers started in the same second never share a file.
    init(uniqueIn directory: String, stem: String) throws(SummaryError) {
        try Self.createDirectory(directory)
        var counter = 0
        while true {
            let candidate = (directory as NSString).appendingPathComponent("\(stem).\(counter)")
            let opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if opened >= 0 {
                path = candidate
                descriptor = opened
                return
            }
            guard errno == EEXIST else { throw .cannotCreateFile(path: candidate, detail: Self.lastError()) }
            counter += 1
        }
    }

    deinit {
        if let descriptor { _ = closeDescriptor(descriptor) }
    }

    /// Writes `bytes` at the end of the file with `write(2)`, retrying after partial writes.
    func append(_ bytes: [UInt8]) throws(SummaryError) {
        guard let descriptor else { throw .writerClosed(path: path) }
        try bytes.withUnsafeBufferPointer { (buffer) throws(SummaryError) in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw .writeFailed(path: path, detail: Self.lastError())
                }
                offset += written
            }
        }
    }

    /// Asks the operating system to commit the file to storage (`fsync`).
    func sync() throws(SummaryError) {
        guard let descriptor else { throw .writerClosed(path: path) }
        guard fsync(descriptor) == 0 else { throw .writeFailed(path: path, detail: Self.lastError()) }
    }

    /// Closes the file; closing again does nothing.
    func close() throws(SummaryError) {
        guard let descriptor else { return }
        self.descriptor = nil
        guard closeDescriptor(descriptor) == 0 else { throw .writeFailed(path: path, detail: Self.lastError()) }
    }

    /// Cuts the file at `path` to its first `length` bytes.
    static func truncate(_ path: String, toLength length: Int) throws(SummaryError) {
        guard truncateFile(path, off_t(length)) == 0 else { throw .writeFailed(path: path, detail: "cannot truncate: \(lastError())") }
    }

    /// Removes the file at `path`.
    static func remove(_ path: String) throws(SummaryError) {
        guard unlink(path) == 0 else { throw .writeFailed(path: path, detail: "cannot remove: \(lastError())") }
    }

    /// Creates `directory` and its missing parents with `mkdir(2)`, like `mkdir -p`; an existing
    /// directory is fine.
    ///
    /// - Throws: ``SummaryError/cannotCreateDirectory(path:detail:)`` naming `directory`, with the
    ///   detail naming the component at fault (a file in the way, or the one `mkdir` refused).
    static func createDirectory(_ directory: String) throws(SummaryError) {
        var missing: [String] = []
        var existing = directory
        var isDirectory: ObjCBool = false
        while !existing.isEmpty, !FileManager.default.fileExists(atPath: existing, isDirectory: &isDirectory) {
            missing.append(existing)
            existing = (existing as NSString).deletingLastPathComponent
        }
        if !existing.isEmpty, !isDirectory.boolValue {
            throw .cannotCreateDirectory(path: directory, detail: "\(existing) is a file, not a directory")
        }
        for path in missing.reversed() where mkdir(path, 0o777) != 0 && errno != EEXIST {
            throw .cannotCreateDirectory(path: directory, detail: "\(path): \(lastError())")
        }
    }

    /// The system's description of the last `errno`.
    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// Closes a file descriptor with the system call, which the file's own `close()` hides.
private func closeDescriptor(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}

/// Cuts a file with the system call, which the file's own `truncate` hides.
private func truncateFile(_ path: String, _ length: off_t) -> Int32 {
    truncate(path, length)
}

/// Why a summary could not be written. Every case names the file or directory at fault.
public enum SummaryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The log directory does not exist and could not be created, or is not a directory.
    case cannotCreateDirectory(path: String, detail: String)
    /// The event file could not be created.
    case cannotCreateFile(path: String, detail: String)
    /// Writing to or syncing the event file failed.
    case writeFailed(path: String, detail: String)
    /// The writer was used after ``EventFileWriter/close()``.
    case writerClosed(path: String)
    /// A histogram was given a NaN or infinite value, which has no bucket.
    case nonFiniteValue(path: String, tag: String)
    /// A summaries log could not be read back.
    case unreadableLog(path: String, detail: String)

    /// The error in one sentence that names the file, parameter or layer at fault.
    public var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let detail):
            return "\(path): cannot create log directory: \(detail)"
        case .cannotCreateFile(let path, let detail):
            return "\(path): cannot create event file: \(detail)"
        case .writeFailed(let path, let detail):
            return "\(path): write failed: \(detail)"
        case .writerClosed(let path):
            return "\(path): event file writer is already closed"
        case .unreadableLog(let path, let detail):
            return "\(path): cannot read summaries: \(detail)"
        case .nonFiniteValue(let path, let tag):
            return "\(path): histogram '\(tag)' holds NaN or infinity, which no bucket can count"
        }
    }
}

/// Why a report could not be made. Every case says what is at fault.
public enum ReportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter of the experiment is out of range.
    case invalidParameter(String)
    /// A log directory lacks a file the report needs, or holds one that cannot be read.
    case unreadableLog(path: String, detail: String)
    /// A report file could not be written.
    case cannotWrite(path: String, detail: String)
    /// Training finished but the report could not be written; the logs are kept for `report render`.
    case reportFailed(logDirectory: String, detail: String)

    public var description: String {
        switch self {
        case .invalidParameter(let detail): return "invalid parameter: \(detail)"
        case .unreadableLog(let path, let detail): return "\(path): cannot read log: \(detail)"
        case .cannotWrite(let path, let detail): return "\(path): cannot write: \(detail)"
        case .reportFailed(let logDirectory, let detail):
            return "\(detail)\nThe training logs are kept in \(logDirectory): `swift run report render \(logDirectory) --out <dir>` writes the report without training again."
        }
    }
}

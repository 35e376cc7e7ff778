/// Why notebooks could not be woven into pages.
public enum NotebookError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `swift build` of the notebook executables failed.
    case buildFailed(status: Int32)
    /// A notebook's source cannot be read.
    case unreadableSource(path: String)
    /// A page cannot be written.
    case cannotWritePage(path: String, detail: String)

    public var description: String {
        switch self {
        case .buildFailed(let status): return "swift build failed (status \(status))"
        case .unreadableSource(let path): return "\(path): cannot read the notebook source"
        case .cannotWritePage(let path, let detail): return "\(path): cannot write the page: \(detail)"
        }
    }
}

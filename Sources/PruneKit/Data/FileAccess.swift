import Foundation

/// Checks dataset paths, reporting absent or unreadable files as ``DataError/missingFile(path:)``; ``FileReader`` reads them.
enum FileAccess {
    /// Whether `path` names an existing regular file (not a directory).
    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Whether `path` names an existing directory.
    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Throws unless `path` names an existing regular file.
    ///
    /// - Throws: ``DataError/missingFile(path:)``.
    static func requireFile(_ path: String) throws(DataError) {
        guard isFile(path) else { throw .missingFile(path: path) }
    }
}

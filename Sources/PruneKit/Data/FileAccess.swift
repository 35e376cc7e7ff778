import Foundation

/// Checks and reads dataset files, reporting absent or unreadable ones as ``DataError/missingFile(path:)``.
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

    /// The whole contents of the file at `path`.
    ///
    /// - Throws: ``DataError/missingFile(path:)`` when `path` is not a readable file.
    static func contents(of path: String) throws(DataError) -> [UInt8] {
        guard isFile(path), let data = FileManager.default.contents(atPath: path) else {
            throw .missingFile(path: path)
        }
        return [UInt8](data)
    }
}

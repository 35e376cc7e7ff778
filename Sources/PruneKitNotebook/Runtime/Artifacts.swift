import Foundation

/// A directory for files one notebook leaves for the next (a trained model, its logs), named by
/// `key`, which should spell out every parameter the files depend on so that a later notebook
/// never picks up files made with other settings.
///
/// The directory is `<root>/<key>` under `$PRUNEKIT_NOTEBOOK_ARTIFACTS`, or under
/// `<temporary directory>/prunekit-notebooks/artifacts` by default; it is created if needed.
///
/// - Throws: The file system's error when the directory cannot be created.
public func artifactsDirectory(key: String) throws -> String {
    let root = ProcessInfo.processInfo.environment["PRUNEKIT_NOTEBOOK_ARTIFACTS"]
        ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("prunekit-notebooks/artifacts")
    let safe = String(key.map { $0.isLetter || $0.isNumber || "-_.=".contains($0) ? $0 : "_" })
    let path = (root as NSString).appendingPathComponent(safe)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

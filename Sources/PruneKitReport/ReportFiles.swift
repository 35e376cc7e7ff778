import Foundation
import PruneKit

/// File helpers of the report: atomic JSON files and replacing a report directory only once the
/// new one is complete.
public enum ReportFiles {
    /// Writes `value` as pretty, key-sorted JSON, atomically.
    static func writeJSON(_ value: some Encodable, to path: String) throws(ReportError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let bytes: [UInt8]
        do { bytes = Array(try encoder.encode(value)) + [UInt8(ascii: "\n")] } catch {
            throw .cannotWrite(path: path, detail: "\(error)")
        }
        try write(bytes, to: path)
    }

    /// Writes `bytes` to `path` atomically.
    static func write(_ bytes: [UInt8], to path: String) throws(ReportError) {
        do { try AtomicFile.write(bytes, to: path) } catch { throw .cannotWrite(path: error.path, detail: error.detail) }
    }

    /// Creates `directory` and its parents.
    static func createDirectory(_ directory: String) throws(ReportError) {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .cannotWrite(path: directory, detail: "cannot create the directory: \(error.localizedDescription)")
        }
    }

    /// Checks that files can be created in `directory` (creating it and its parents if needed),
    /// by creating and removing a probe file.
    ///
    /// - Throws: ``ReportError/cannotWrite(path:detail:)`` naming `directory`.
    public static func checkWritable(directory: String) throws(ReportError) {
        try createDirectory(directory)
        let probe = (directory as NSString).appendingPathComponent(".prunekit-write-check-\(getpid())")
        try write([], to: probe)
        try? FileManager.default.removeItem(atPath: probe)
    }

    /// Where `report` trains when no `--logdir` is given: a sibling of the report directory, so that
    /// the logs survive a report that fails to render; they move into `<directory>/logs` once the
    /// report is complete.
    public static func pendingLogDirectory(for directory: String) -> String {
        let parent = (directory as NSString).deletingLastPathComponent
        let name = (directory as NSString).lastPathComponent
        return ((parent.isEmpty ? "." : parent) as NSString).appendingPathComponent(".\(name).logs-\(getpid())")
    }

    /// Whether `logs` is a log directory ``pendingLogDirectory(for:)`` named for `directory` (by
    /// any process), which moves into the report once it is complete.
    public static func isPendingLogDirectory(_ logs: String, for directory: String) -> Bool {
        let standardized = (logs as NSString).standardizingPath, report = (directory as NSString).standardizingPath
        let name = (standardized as NSString).lastPathComponent
        return (standardized as NSString).deletingLastPathComponent == (report as NSString).deletingLastPathComponent
            && name.hasPrefix(".\((report as NSString).lastPathComponent).logs-")
    }

    /// Fills a new sibling of `directory` through `fill`, then puts it in `directory`'s place, so
    /// an existing directory is only replaced by a complete one; if `fill` fails, the new one is
    /// removed and the old one stays. Entries of the old directory that `keep` names (the training
    /// logs) are moved into the new one first. Once `fill` has succeeded, each `adopting` path
    /// (key) is moved into the new directory under its name (value), so what it holds is never
    /// removed with a failed report.
    ///
    /// - Throws: what `fill` throws, or ``ReportError/cannotWrite(path:detail:)`` naming `directory`.
    public static func replace(directory: String, keeping keep: Set<String> = [], adopting: [String: String] = [:],
                               fill: (String) throws -> Void) throws {
        let manager = FileManager.default
        let parent = (directory as NSString).deletingLastPathComponent
        let name = (directory as NSString).lastPathComponent
        let staging = ((parent.isEmpty ? "." : parent) as NSString).appendingPathComponent(".\(name).new-\(getpid())")
        try? manager.removeItem(atPath: staging)
        try createDirectory(staging)
        do {
            try fill(staging)
        } catch {
            try? manager.removeItem(atPath: staging)
            throw error
        }
        let retired = ((parent.isEmpty ? "." : parent) as NSString).appendingPathComponent(".\(name).old-\(getpid())")
        do {
            for (source, name) in adopting {
                try manager.moveItem(atPath: source, toPath: (staging as NSString).appendingPathComponent(name))
            }
            if manager.fileExists(atPath: directory) {
                for entry in keep where manager.fileExists(atPath: (directory as NSString).appendingPathComponent(entry))
                    && !manager.fileExists(atPath: (staging as NSString).appendingPathComponent(entry)) {
                    try manager.moveItem(atPath: (directory as NSString).appendingPathComponent(entry),
                                         toPath: (staging as NSString).appendingPathComponent(entry))
                }
                try manager.moveItem(atPath: directory, toPath: retired)
            }
            try manager.moveItem(atPath: staging, toPath: directory)
            try? manager.removeItem(atPath: retired)
        } catch {
            throw ReportError.cannotWrite(path: directory, detail: "cannot put the new report in place: \(error.localizedDescription)")
        }
    }
}

import Foundation
import PruneKitFiles

/// Runs built notebook executables and writes their pages: what `swift run notebook` does after
/// building, as a library so tests reach it. Each notebook becomes `<output>/<name>.md` with its
/// images in `<output>/<name>_files/` (removed when empty); a failed notebook still gets its page.
public struct NotebookWeaver: Sendable {
    /// The package root, where `Notebooks/` is and where notebooks run.
    public var packagePath: String
    /// The directory holding the notebook executables (``NotebookBuild/binPath``).
    public var executableDirectory: String
    /// Where pages go.
    public var outputDirectory: String
    /// Parameter overrides, applied to every notebook.
    public var overrides: [(name: String, value: String)]
    /// Whether parameters take their quick values.
    public var quick: Bool

    public init(packagePath: String, executableDirectory: String, outputDirectory: String,
                overrides: [(name: String, value: String)] = [], quick: Bool = false) {
        self.packagePath = packagePath
        self.executableDirectory = executableDirectory
        self.outputDirectory = outputDirectory
        self.overrides = overrides
        self.quick = quick
    }

    /// The committed pages' directory, `Reports/notebooks` under `packagePath`.
    public static func committedPages(packagePath: String) -> String {
        (packagePath as NSString).appendingPathComponent("Reports/notebooks")
    }

    /// Where pages go when no directory is given: the committed pages for a full run, a temporary
    /// directory for a quick or overridden run (whose pages must not replace the committed ones).
    public static func defaultOutputDirectory(packagePath: String, quick: Bool, overridden: Bool) -> String {
        quick || overridden ? (NSTemporaryDirectory() as NSString).appendingPathComponent("prunekit-notebooks/pages")
                            : committedPages(packagePath: packagePath)
    }

    /// One notebook's result.
    public struct Outcome: Sendable {
        /// The notebook.
        public var entry: NotebookCatalog.Entry
        /// Its page.
        public var pagePath: String
        /// What the run printed and how it ended.
        public var run: NotebookRun
        /// Whether it failed.
        public var failed: Bool { run.failed }
        /// A one-line account: `✓ 03-pruning: 4.2 s → …/03-pruning.md`, or `✗ …` with the failing
        /// cell and problems.
        public var summary: String {
            let seconds = String(format: "%.1f", run.seconds)
            guard failed else { return "✓ \(entry.name): \(seconds) s → \(pagePath)" }
            let cell = run.failedCell.map { "the notebook \(run.terminationDescription) in cell “\(run.source.cells[$0].title)”" }
            return "✗ \(entry.name): \(([cell].compactMap { $0 } + run.problems).joined(separator: "; ")) (\(seconds) s) → \(pagePath)"
        }
    }

    /// Runs `entry`'s executable and writes its page atomically.
    ///
    /// - Parameters:
    ///   - entry: The notebook, as ``NotebookCatalog`` lists it.
    ///   - onCell: Called with each cell's title as the notebook reaches it.
    /// - Throws: ``NotebookError/unreadableSource(path:)`` or ``NotebookError/cannotWritePage(path:detail:)``;
    ///   a notebook that fails is not an error (see ``Outcome/failed``).
    public func weave(_ entry: NotebookCatalog.Entry, onCell: @escaping @Sendable (String) -> Void = { _ in }) throws(NotebookError) -> Outcome {
        let sourcePath = (packagePath as NSString).appendingPathComponent(entry.sourcePath)
        guard let text = try? String(contentsOfFile: sourcePath, encoding: .utf8) else { throw .unreadableSource(path: sourcePath) }
        let runner = NotebookRunner(executable: (executableDirectory as NSString).appendingPathComponent(entry.product),
                                    workingDirectory: packagePath,
                                    filesDirectory: (outputDirectory as NSString).appendingPathComponent("\(entry.name)_files"),
                                    overrides: overrides, quick: quick)
        let run = runner.run(source: NotebookSource(text: text)) { event in
            if case .cell(_, let title) = event { onCell(title) }
        }
        let pagePath = (outputDirectory as NSString).appendingPathComponent("\(entry.name).md")
        let page = NotebookPage.render(name: entry.name, sourcePath: entry.sourcePath,
                                       sourceLink: Self.relativePath(from: outputDirectory, to: sourcePath),
                                       sourceText: text, run: run)
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
            try AtomicFile.write(Array(page.utf8), to: pagePath)
        } catch let error as AtomicFile.WriteError {
            throw .cannotWritePage(path: pagePath, detail: error.detail)
        } catch {
            throw .cannotWritePage(path: pagePath, detail: "cannot create \(outputDirectory): \(error.localizedDescription)")
        }
        Self.removeEmptyDirectory(runner.filesDirectory)
        return Outcome(entry: entry, pagePath: pagePath, run: run)
    }

    /// Why each notebook's page in `directory` is out of date, or `nil` for an up-to-date one
    /// (see ``NotebookPage/staleness(page:sourceText:)``), without running anything.
    public static func stalePages(_ entries: [NotebookCatalog.Entry], packagePath: String,
                                  in directory: String) -> [(entry: NotebookCatalog.Entry, problem: String?)] {
        entries.map { entry in
            let sourcePath = (packagePath as NSString).appendingPathComponent(entry.sourcePath)
            guard let text = try? String(contentsOfFile: sourcePath, encoding: .utf8) else {
                return (entry, "cannot read \(sourcePath)")
            }
            let page = try? String(contentsOfFile: (directory as NSString).appendingPathComponent("\(entry.name).md"), encoding: .utf8)
            return (entry, NotebookPage.staleness(page: page, sourceText: text))
        }
    }

    /// `file` relative to `directory` (both absolute, or both relative to the same root).
    static func relativePath(from directory: String, to file: String) -> String {
        let base = URL(fileURLWithPath: directory).standardizedFileURL.pathComponents
        let target = URL(fileURLWithPath: file).standardizedFileURL.pathComponents
        let common = zip(base, target).prefix { $0 == $1 }.count
        return (Array(repeating: "..", count: base.count - common) + target[common...]).joined(separator: "/")
    }

    /// Removes `path` when it is an empty directory.
    static func removeEmptyDirectory(_ path: String) {
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: path), contents.isEmpty {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}

import ArgumentParser
import Foundation
import PruneKitFiles
import PruneKitNotebook

/// `swift run notebook`: runs notebooks and writes their Markdown pages.
@main
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Run PruneKit's notebooks and write their Markdown pages (Notebooks/README.md explains them).",
        discussion: """
            Each notebook is built (swift build), run with the control-line protocol on, and woven into \
            <output>/<name>.md with its images in <output>/<name>_files/. A failing cell shows its error \
            on the page, and the command exits non-zero. Without --quick or --set, pages go to \
            Reports/notebooks; with them, to a temporary directory unless --output is given.
            """)

    @Argument(help: "Notebooks: a source path (Notebooks/03-pruning/main.swift), a folder, a name (03-pruning), a product (nb03-pruning) or a number (3).")
    var notebooks: [String] = []

    @Flag(help: "Every notebook under Notebooks/, in order.")
    var all = false

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a parameter (repeatable).", valueName: "name=value"))
    var assignments: [String] = []

    @Flag(help: "Use each notebook's quick values (small data, one epoch), as CI does.")
    var quick = false

    @Flag(help: "Run nothing: fail if a page in the output directory is missing, stale (its notebook changed), not full mode, or failed.")
    var check = false

    @Option(help: "The directory pages are written to.")
    var output: String?

    @Option(help: "Build configuration of the notebook executables (debug or release); defaults to this command's own.")
    var configuration: String?

    @Option(help: "SwiftPM's scratch path; defaults to the one this command was built in.")
    var scratchPath: String?

    @Flag(help: "Do not run swift build first (use the executables already built).")
    var noBuild = false

    @Option(help: "The package root.")
    var packagePath = FileManager.default.currentDirectoryPath

    func validate() throws {
        guard all != !notebooks.isEmpty else { throw ValidationError("Name notebooks or pass --all (not both).") }
        for assignment in assignments where Self.split(assignment) == nil {
            throw ValidationError("--set expects name=value, got '\(assignment)'.")
        }
        if let configuration, !["debug", "release"].contains(configuration) {
            throw ValidationError("--configuration is debug or release.")
        }
    }

    static func split(_ assignment: String) -> (name: String, value: String)? {
        guard let equals = assignment.firstIndex(of: "="), equals > assignment.startIndex else { return nil }
        return (String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...]))
    }

    func run() throws {
        let catalog = NotebookCatalog(packagePath: packagePath)
        let chosen = try all ? catalog.entries : notebooks.map { reference in
            guard let entry = catalog.entry(for: reference) else {
                throw ValidationError("No notebook '\(reference)'; there are: \(catalog.entries.map(\.name).joined(separator: ", ")).")
            }
            return entry
        }
        guard !chosen.isEmpty else { throw ValidationError("No notebooks under \(packagePath)/Notebooks.") }
        let overrides = assignments.compactMap(Self.split)
        let outputDirectory = output ?? (quick || !overrides.isEmpty
            ? (NSTemporaryDirectory() as NSString).appendingPathComponent("prunekit-notebooks/pages")
            : (packagePath as NSString).appendingPathComponent("Reports/notebooks"))

        if check { return try checkPages(chosen, in: output ?? (packagePath as NSString).appendingPathComponent("Reports/notebooks")) }

        let build = BuildLocation(scratchPath: scratchPath, configuration: configuration)
        if !noBuild { try build.build(products: chosen.count == 1 ? [chosen[0].product] : [], packagePath: packagePath) }
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)

        var failures: [String] = []
        let started = Date()
        for entry in chosen {
            let sourceURL = URL(fileURLWithPath: packagePath).appendingPathComponent(entry.sourcePath)
            let text = try String(contentsOf: sourceURL, encoding: .utf8)
            let source = NotebookSource(text: text)
            let runner = NotebookRunner(
                executable: build.binPath + "/" + entry.product, workingDirectory: packagePath,
                filesDirectory: (outputDirectory as NSString).appendingPathComponent("\(entry.name)_files"),
                overrides: overrides, quick: quick)
            log("▶ \(entry.name)")
            let run = runner.run(source: source) { event in
                if case .cell(_, let title) = event { log("  · \(title)") }
            }
            let pagePath = (outputDirectory as NSString).appendingPathComponent("\(entry.name).md")
            let page = NotebookPage.render(name: entry.name, sourcePath: entry.sourcePath,
                                           sourceLink: Self.relativePath(from: outputDirectory, to: sourceURL.path),
                                           sourceText: text, run: run)
            try AtomicFile.write(Array(page.utf8), to: pagePath)
            Self.removeEmptyDirectory(runner.filesDirectory)
            if run.failed {
                failures.append(entry.name)
                let detail = ([run.failedCell.map { "the notebook \(run.terminationDescription) in cell “\(source.cells[$0].title)”" }].compactMap { $0 } + run.problems)
                log("✗ \(entry.name): \(detail.joined(separator: "; ")) (\(String(format: "%.1f", run.seconds)) s) → \(pagePath)")
            } else {
                log("✓ \(entry.name): \(String(format: "%.1f", run.seconds)) s → \(pagePath)")
            }
        }
        log(String(format: "%d notebook(s) in %.1f s, %d failed", chosen.count, Date().timeIntervalSince(started), failures.count))
        if !failures.isEmpty { throw ExitCode(1) }
    }

    private func checkPages(_ entries: [NotebookCatalog.Entry], in directory: String) throws {
        var stale = 0
        for entry in entries {
            let text = try String(contentsOfFile: (packagePath as NSString).appendingPathComponent(entry.sourcePath), encoding: .utf8)
            let page = try? String(contentsOfFile: (directory as NSString).appendingPathComponent("\(entry.name).md"), encoding: .utf8)
            if let reason = NotebookPage.staleness(page: page, sourceText: text) {
                stale += 1
                log("✗ \(entry.name): \(reason)")
            } else {
                log("✓ \(entry.name): up to date")
            }
        }
        if stale > 0 {
            log("\(stale) page(s) out of date: run `swift run -c release notebook --all` and commit Reports/notebooks.")
            throw ExitCode(1)
        }
    }

    /// `to` relative to directory `from` (both absolute or both relative to the same root).
    static func relativePath(from directory: String, to file: String) -> String {
        let base = URL(fileURLWithPath: directory).standardizedFileURL.pathComponents
        let target = URL(fileURLWithPath: file).standardizedFileURL.pathComponents
        let common = zip(base, target).prefix { $0 == $1 }.count
        return (Array(repeating: "..", count: base.count - common) + target[common...]).joined(separator: "/")
    }

    static func removeEmptyDirectory(_ path: String) {
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: path), contents.isEmpty {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}

/// Progress on standard error, so standard output stays free.
func log(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

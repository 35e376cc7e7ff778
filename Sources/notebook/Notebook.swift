import ArgumentParser
import Foundation
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
        for assignment in assignments where ParameterAssignment.parse(assignment) == nil {
            throw ValidationError("--set expects name=value, got '\(assignment)'.")
        }
        if let configuration, !["debug", "release"].contains(configuration) {
            throw ValidationError("--configuration is debug or release.")
        }
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
        if check { return try checkPages(chosen, in: output ?? NotebookWeaver.committedPages(packagePath: packagePath)) }

        let overrides = assignments.compactMap(ParameterAssignment.parse)
        let build = NotebookBuild(executablePath: Bundle.main.executablePath ?? CommandLine.arguments[0],
                                  scratchPath: scratchPath, configuration: configuration)
        if !noBuild {
            do { try build.build(products: chosen.map(\.product), packagePath: packagePath, log: log) } catch {
                log("\(error)")
                throw ExitCode(1)
            }
        }
        let weaver = NotebookWeaver(
            packagePath: packagePath, executableDirectory: build.binPath,
            outputDirectory: output ?? NotebookWeaver.defaultOutputDirectory(packagePath: packagePath, quick: quick,
                                                                             overridden: !overrides.isEmpty),
            overrides: overrides, quick: quick)
        var failures = 0
        let started = Date()
        for entry in chosen {
            log("▶ \(entry.name)")
            let outcome = try weaver.weave(entry) { log("  · \($0)") }
            log(outcome.summary)
            if outcome.failed { failures += 1 }
        }
        log(String(format: "%d notebook(s) in %.1f s, %d failed", chosen.count, Date().timeIntervalSince(started), failures))
        if failures > 0 { throw ExitCode(1) }
    }

    private func checkPages(_ entries: [NotebookCatalog.Entry], in directory: String) throws {
        let pages = NotebookWeaver.stalePages(entries, packagePath: packagePath, in: directory)
        for (entry, problem) in pages { log(problem.map { "✗ \(entry.name): \($0)" } ?? "✓ \(entry.name): up to date") }
        let stale = pages.filter { $0.problem != nil }.count
        if stale > 0 {
            log("\(stale) page(s) out of date: run `swift run -c release notebook --all` and commit Reports/notebooks.")
            throw ExitCode(1)
        }
    }
}

/// Progress on standard error, so standard output stays free.
@Sendable func log(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

import Foundation
import Testing
@testable import PruneKitNotebook

/// Weaving: outputs under the right cell, failures on the page, overrides, stale pages, and a real
/// process run through the runner.
struct NotebookWeavingTests {
    static let text = """
        //: # Demo
        import PruneKitNotebook
        let epochs = parameter("epochs", default: 30, quick: 1)
        //: ## One
        cell("One")
        print("one")
        //: ## Two
        cell("Two")
        print("two")
        //: ## Three
        cell("Three")
        print("three")
        """
    static let source = NotebookSource(text: text)

    static func control(_ event: NotebookEvent) -> Substring { event.controlLine[...] }

    static func render(_ run: NotebookRun) -> String {
        NotebookPage.render(name: "demo", sourcePath: "Notebooks/demo/main.swift", sourceLink: "../../Notebooks/demo/main.swift",
                            sourceText: text, run: run)
    }

    @Test func outputsLandUnderTheirCells() {
        var run = NotebookRun(source: Self.source)
        run.receive(Self.control(.parameter(name: "epochs", value: "30", origin: .default)), from: .stdout)
        run.receive("setup text", from: .stdout)
        run.receive(Self.control(.cell(line: 5, title: "One")), from: .stdout)
        run.receive("one", from: .stdout)
        run.receive("one again", from: .stdout)
        run.receive(Self.control(.cell(line: 8, title: "Two")), from: .stdout)
        run.receive(Self.control(.table(NotebookTable(headers: ["k", "v"], rows: [["a", "1"]]))), from: .stdout)
        run.receive(Self.control(.image(file: "plot.png", alt: "a plot")), from: .stdout)
        run.receive(Self.control(.cell(line: 11, title: "Three")), from: .stdout)
        run.receive("warning", from: .stderr)
        run.finish(.exited(0))
        #expect(!run.failed && run.mode == "full")
        #expect(run.outputs[1] == [.text("one\none again", stream: .stdout)])
        let page = Self.render(run)
        #expect(page.hasPrefix("<!-- prunekit-notebook source=Notebooks/demo/main.swift hash=\(sourceHash(Self.text.utf8)) mode=full status=ok -->"))
        // Order: code of a cell, then its output, then the next prose.
        let order = ["```swift\nimport PruneKitNotebook", "```text\nsetup text\n```", "## One", "print(\"one\")", "```text\none\none again\n```",
                     "## Two", "print(\"two\")", "| k | v |", "![a plot](demo_files/plot.png)", "## Three", "print(\"three\")", "```text\nwarning\n```"]
        var position = page.startIndex
        for piece in order {
            let found = page.range(of: piece, range: position ..< page.endIndex)
            #expect(found != nil, "missing or out of order: \(piece)")
            if let found { position = found.upperBound }
        }
        #expect(!page.contains("cell(\""))
        #expect(!page.contains("Not run"))
    }

    @Test func failingCellShowsItsErrorAndLaterCellsAreNotRun() {
        var run = NotebookRun(source: Self.source)
        run.receive(Self.control(.cell(line: 5, title: "One")), from: .stdout)
        run.receive(Self.control(.cell(line: 8, title: "Two")), from: .stdout)
        run.receive("Fatal error: Error raised at top level: boom", from: .stderr)
        run.finish(.exited(1))
        #expect(run.failed && run.failedCell == 2)
        let page = Self.render(run)
        #expect(page.hasPrefix("<!-- prunekit-notebook") && page.contains("status=failed"))
        let error = page.range(of: "> **Error:** the notebook exited with status 1 in cell “Two” (line 8).")
        let stderr = page.range(of: "```text\nFatal error: Error raised at top level: boom\n```")
        let notRun = page.range(of: "*Not run: an earlier cell failed.*")
        let three = page.range(of: "## Three")
        #expect(error != nil && stderr != nil && notRun != nil && three != nil)
        if let error, let stderr, let notRun, let three {
            #expect(stderr.upperBound < error.lowerBound && error.upperBound < three.lowerBound && three.upperBound < notRun.lowerBound)
        }
    }

    @Test func crashBySignal() {
        var run = NotebookRun(source: Self.source)
        run.receive(Self.control(.cell(line: 11, title: "Three")), from: .stdout)
        run.finish(.signalled(4))
        #expect(run.failed && run.failedCell == 3)
        #expect(Self.render(run).contains("was killed by signal 4 (SIGILL, a Swift runtime trap) in cell “Three” (line 11)"))
    }

    @Test func parameterOverridesAndUnknownNames() {
        var run = NotebookRun(source: Self.source)
        run.apply(.parameter(name: "epochs", value: "2", origin: .override))
        run.finish(.exited(0), overrides: ["epochs", "epoch"])
        #expect(run.mode == "custom")
        #expect(run.failed)
        #expect(run.problems == ["unknown parameter 'epoch' (the notebook declares: epochs)"])
        let page = Self.render(run)
        #expect(page.contains("with `epochs=2` (override)"))
        #expect(page.contains("mode=custom status=failed"))
        var quick = NotebookRun(source: Self.source)
        quick.apply(.parameter(name: "epochs", value: "1", origin: .quick))
        quick.finish(.exited(0))
        #expect(quick.mode == "quick" && !quick.failed)
    }

    @Test func longTextIsFolded() {
        let long = (1 ... 50).map(String.init).joined(separator: "\n")
        #expect(NotebookPage.textBlock(long, label: "output").hasPrefix("<details><summary>output, 50 lines</summary>"))
        #expect(NotebookPage.textBlock("a ``` b", label: "output") == "````text\na ``` b\n````")
    }

    @Test func stalePages() {
        var run = NotebookRun(source: Self.source)
        run.finish(.exited(0))
        let page = Self.render(run)
        #expect(NotebookPage.staleness(page: page, sourceText: Self.text) == nil)
        #expect(NotebookPage.staleness(page: page, sourceText: Self.text + "\n// edited")?.contains("changed") == true)
        #expect(NotebookPage.staleness(page: nil, sourceText: Self.text) != nil)
        #expect(NotebookPage.staleness(page: "# no header", sourceText: Self.text)?.contains("header") == true)
        var quick = NotebookRun(source: Self.source)
        quick.apply(.parameter(name: "epochs", value: "1", origin: .quick))
        quick.finish(.exited(0))
        #expect(NotebookPage.staleness(page: Self.render(quick), sourceText: Self.text)?.contains("quick") == true)
        var failed = NotebookRun(source: Self.source)
        failed.finish(.exited(1))
        #expect(NotebookPage.staleness(page: Self.render(failed), sourceText: Self.text)?.contains("failed") == true)
        #expect(NotebookPage.Header(page: page) == NotebookPage.Header(source: "Notebooks/demo/main.swift", hash: sourceHash(Self.text.utf8), mode: "full", status: "ok"))
    }

    /// A shell script stands in for a notebook executable: control lines and text on both streams, then a failure.
    @Test func runnerCollectsAProcess() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notebook-runner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("fake-notebook.sh")
        let lines = [
            NotebookEvent.parameter(name: "epochs", value: "1", origin: .quick).controlLine,
            NotebookEvent.cell(line: 5, title: "One").controlLine,
        ]
        try """
            #!/bin/sh
            echo '\(lines[0])'
            echo '\(lines[1])'
            echo "one"
            [ "$PRUNEKIT_NOTEBOOK_QUICK" = 1 ] && echo "quick is on"
            echo "$PRUNEKIT_NOTEBOOK_PARAMETERS"
            echo "to stderr" >&2
            exit 3
            """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let runner = NotebookRunner(executable: script.path, workingDirectory: directory.path,
                                    filesDirectory: directory.appendingPathComponent("demo_files").path,
                                    overrides: [("epochs", "1")], quick: true)
        let run = runner.run(source: Self.source)
        #expect(run.termination == .exited(3) && run.failed && run.failedCell == 1)
        #expect(run.parameters == [.init(name: "epochs", value: "1", origin: .quick)])
        // Standard error shares the pipe, so it stays in order under the running cell.
        #expect(run.outputs[1] == [.text("one\nquick is on\nepochs=1\nto stderr", stream: .stdout)])
        let missing = NotebookRunner(executable: directory.appendingPathComponent("missing").path, workingDirectory: directory.path,
                                     filesDirectory: directory.appendingPathComponent("x_files").path).run(source: Self.source)
        #expect(missing.failed)
        if case .notStarted = missing.termination {} else { Issue.record("expected notStarted, got \(String(describing: missing.termination))") }
    }

    @Test func catalogResolvesReferences() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("notebook-catalog-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["01-data", "03-pruning", "notes"] {
            let folder = root.appendingPathComponent("Notebooks/\(name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            if name != "notes" { try "".write(to: folder.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8) }
        }
        let catalog = NotebookCatalog(packagePath: root.path)
        #expect(catalog.entries.map(\.name) == ["01-data", "03-pruning"])
        for reference in ["Notebooks/03-pruning/main.swift", "Notebooks/03-pruning/", "03-pruning", "nb03-pruning", "3", "03"] {
            #expect(catalog.entry(for: reference)?.product == "nb03-pruning", "\(reference)")
        }
        #expect(catalog.entry(for: "04") == nil)
    }
}

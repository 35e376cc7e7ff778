import Foundation
import Testing
@testable import PruneKitNotebook

/// What `swift run notebook` does, reached from the library: parsing overrides, locating the
/// build, weaving pages and checking them.
@Suite struct NotebookWeaverTests {
    @Test func assignmentsSplitAtTheFirstEquals() {
        #expect(ParameterAssignment.parse("epochs=2")! == ("epochs", "2"))
        #expect(ParameterAssignment.parse(" label =a=b")! == ("label", "a=b"))
        #expect(ParameterAssignment.parse("empty=")! == ("empty", ""))
        #expect(ParameterAssignment.parse("=2") == nil)
        #expect(ParameterAssignment.parse("  =2") == nil)
        #expect(ParameterAssignment.parse("epochs") == nil)
        // The notebook side reads the same syntax.
        let session = NotebookSession(environment: ["PRUNEKIT_NOTEBOOK_PARAMETERS": " epochs =3\nlabel=a=b"], arguments: [],
                                      executableName: "nbdemo")
        #expect(session.overrides == ["epochs": "3", "label": "a=b"])
    }

    @Test func theBuildIsFoundBesideTheCommand() {
        let beside = NotebookBuild(executablePath: "/p/.build/x86_64-unknown-linux-gnu/release/notebook", scratchPath: nil, configuration: nil)
        #expect(beside == NotebookBuild(executablePath: "/p/.build/x86_64-unknown-linux-gnu/release/notebook", scratchPath: nil,
                                        configuration: "release"))
        #expect(beside.scratchPath == "/p/.build" && beside.binPath == "/p/.build/x86_64-unknown-linux-gnu/release")
        let debug = NotebookBuild(executablePath: "/p/.build/x86_64-unknown-linux-gnu/release/notebook", scratchPath: nil, configuration: "debug")
        #expect(debug.binPath == "/p/.build/x86_64-unknown-linux-gnu/debug")
        let elsewhere = NotebookBuild(executablePath: "/usr/local/bin/notebook", scratchPath: "/s", configuration: nil)
        #expect(elsewhere.configuration == "debug" && elsewhere.binPath == "/s/debug")
        #expect(elsewhere.buildArguments(product: "nb01-data", packagePath: "/p")
                == ["swift", "build", "--package-path", "/p", "--scratch-path", "/s", "-c", "debug", "--product", "nb01-data"])
    }

    @Test func pagesGoToTheCommittedDirectoryOnlyForFullRuns() {
        #expect(NotebookWeaver.defaultOutputDirectory(packagePath: "/p", quick: false, overridden: false) == "/p/Reports/notebooks")
        #expect(NotebookWeaver.defaultOutputDirectory(packagePath: "/p", quick: true, overridden: false) != "/p/Reports/notebooks")
        #expect(NotebookWeaver.defaultOutputDirectory(packagePath: "/p", quick: false, overridden: true) != "/p/Reports/notebooks")
        #expect(NotebookWeaver.relativePath(from: "/p/Reports/notebooks", to: "/p/Notebooks/01-data/main.swift")
                == "../../Notebooks/01-data/main.swift")
    }

    /// A package with one notebook whose "executable" is a shell script printing control lines.
    private func package(exitStatus: Int) throws -> (root: URL, entry: NotebookCatalog.Entry) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("notebook-weaver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Notebooks/demo"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try NotebookWeavingTests.text.write(to: root.appendingPathComponent("Notebooks/demo/main.swift"), atomically: true, encoding: .utf8)
        let script = root.appendingPathComponent("bin/nbdemo")
        try """
            #!/bin/sh
            echo '\(NotebookEvent.parameter(name: "epochs", value: "30", origin: .default).controlLine)'
            echo '\(NotebookEvent.cell(line: 5, title: "One").controlLine)'
            echo "one"
            exit \(exitStatus)
            """.write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        let entry = try #require(NotebookCatalog(packagePath: root.path).entry(for: "demo"))
        return (root, entry)
    }

    @Test func weavingWritesAPageThatThenChecksUpToDate() throws {
        let (root, entry) = try package(exitStatus: 0)
        defer { try? FileManager.default.removeItem(at: root) }
        let pages = root.appendingPathComponent("Reports/notebooks").path
        #expect(NotebookWeaver.stalePages([entry], packagePath: root.path, in: pages).map(\.problem) == ["no page (run the notebook)"])
        let weaver = NotebookWeaver(packagePath: root.path, executableDirectory: root.appendingPathComponent("bin").path,
                                    outputDirectory: pages)
        let outcome = try weaver.weave(entry)
        #expect(!outcome.failed)
        #expect(outcome.summary.hasPrefix("✓ demo: ") && outcome.summary.hasSuffix("s → \(pages)/demo.md"))
        let page = try String(contentsOfFile: pages + "/demo.md", encoding: .utf8)
        #expect(page.contains("one"))
        #expect(page.contains("../../Notebooks/demo/main.swift"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: pages) == ["demo.md"], "the empty demo_files/ is removed")
        #expect(NotebookWeaver.stalePages([entry], packagePath: root.path, in: pages).map(\.problem) == [nil])
    }

    @Test func aFailingNotebookStillGetsItsPageAndIsNamed() throws {
        let (root, entry) = try package(exitStatus: 3)
        defer { try? FileManager.default.removeItem(at: root) }
        let pages = root.appendingPathComponent("out").path
        let outcome = try NotebookWeaver(packagePath: root.path, executableDirectory: root.appendingPathComponent("bin").path,
                                         outputDirectory: pages).weave(entry)
        #expect(outcome.failed)
        #expect(outcome.summary.hasPrefix("✗ demo: the notebook exited with status 3 in cell “One” ("))
        #expect(NotebookWeaver.stalePages([entry], packagePath: root.path, in: pages).map(\.problem) == ["the page records a failed run"])

        let missing = NotebookCatalog.Entry(name: "gone", sourcePath: "Notebooks/gone/main.swift")
        #expect(throws: NotebookError.unreadableSource(path: root.path + "/Notebooks/gone/main.swift")) {
            try NotebookWeaver(packagePath: root.path, executableDirectory: root.path, outputDirectory: pages).weave(missing)
        }
        let blocked = root.appendingPathComponent("Notebooks/demo/main.swift").path
        let unwritable = #expect(throws: NotebookError.self) {
            try NotebookWeaver(packagePath: root.path, executableDirectory: root.appendingPathComponent("bin").path,
                               outputDirectory: blocked).weave(entry)
        }
        guard case .cannotWritePage(let path, _)? = unwritable else {
            Issue.record("a page under a file: \(String(describing: unwritable))")
            return
        }
        #expect(path == blocked + "/demo.md")
    }
}

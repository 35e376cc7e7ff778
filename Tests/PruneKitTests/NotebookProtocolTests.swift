import Foundation
import Testing
@testable import PruneKitNotebook

/// The control-line protocol and the run-time settings (parameters, quick mode, overrides).
struct NotebookProtocolTests {
    @Test func controlLinesRoundTrip() {
        let events: [NotebookEvent] = [
            .cell(line: 42, title: "Configure \"the\" schedule"),
            .parameter(name: "epochs", value: "1", origin: .quick),
            .table(NotebookTable(headers: ["a", "b"], rows: [["x|y", "1.5%"]])),
            .image(file: "chart.png", alt: "a chart"),
            .markdown("line one\nline two"),
        ]
        for event in events {
            let line = event.controlLine
            #expect(line.hasPrefix(NotebookEvent.prefix))
            #expect(!line.contains("\n"))
            #expect(NotebookEvent(controlLine: line) == event)
        }
    }

    @Test func ordinaryAndMalformedLinesAreText() {
        #expect(NotebookEvent(controlLine: "epoch 1 loss 0.3") == nil)
        #expect(NotebookEvent(controlLine: "@@notebook {not json") == nil)
        #expect(NotebookEvent(controlLine: "@@notebook {\"nothing\":{}}") == nil)
    }

    @Test func tableMarkdownAndAlignment() {
        let table = NotebookTable(headers: ["Layer", "Weights", "Sparsity"], rows: [["conv2d", "288", "87.50%"], ["a|b", "-1,024", "0%"]])
        #expect(table.alignments == [.left, .right, .right])
        #expect(table.markdown == "| Layer | Weights | Sparsity |\n|---|---:|---:|\n| conv2d | 288 | 87.50% |\n| a\\|b | -1,024 | 0% |")
        #expect(table.plainText == "Layer   Weights  Sparsity\n------  -------  --------\nconv2d      288    87.50%\na|b      -1,024        0%")
    }

    @Test func settingsFromEnvironmentAndArguments() {
        let woven = NotebookSession(environment: ["PRUNEKIT_NOTEBOOK_PROTOCOL": "1", "PRUNEKIT_NOTEBOOK_QUICK": "1",
                                                  "PRUNEKIT_NOTEBOOK_PARAMETERS": "epochs=2\ndata=/a=b",
                                                  "PRUNEKIT_NOTEBOOK_FILES": "/tmp/x_files"],
                                    arguments: [], executableName: "nb03-pruning")
        #expect(woven.usesProtocol && woven.isQuick)
        #expect(woven.overrides == ["epochs": "2", "data": "/a=b"])
        #expect(woven.filesDirectory == "/tmp/x_files")
        #expect(woven.settingsErrors.isEmpty)

        let standalone = NotebookSession(environment: [:], arguments: ["--quick", "--set", "epochs=3", "seed=7", "--bogus"],
                                         executableName: "nb03-pruning")
        #expect(!standalone.usesProtocol && standalone.isQuick)
        #expect(standalone.overrides == ["epochs": "3", "seed": "7"])
        #expect(standalone.filesDirectory.hasSuffix("prunekit-notebooks/03-pruning_files"))
        #expect(standalone.settingsErrors.count == 1)
    }

    @Test func runnerEnvironment() {
        let runner = NotebookRunner(executable: "/bin/true", workingDirectory: "/", filesDirectory: "/tmp/f",
                                    overrides: [("epochs", "2"), ("seed", "3")], quick: true)
        let environment = runner.environment(base: ["PATH": "/bin", "PRUNEKIT_NOTEBOOK_QUICK": "1"])
        #expect(environment["PRUNEKIT_NOTEBOOK_PROTOCOL"] == "1")
        #expect(environment["PRUNEKIT_NOTEBOOK_PARAMETERS"] == "epochs=2\nseed=3")
        #expect(environment["PRUNEKIT_NOTEBOOK_QUICK"] == "1")
        #expect(environment["PATH"] == "/bin")
        let full = NotebookRunner(executable: "/bin/true", workingDirectory: "/", filesDirectory: "/tmp/f")
        #expect(full.environment(base: ["PRUNEKIT_NOTEBOOK_QUICK": "1"])["PRUNEKIT_NOTEBOOK_QUICK"] == nil)
    }

    @Test func sourceHashIsFNV1a() {
        // FNV-1a 64 test vectors: "" and "a".
        #expect(sourceHash([UInt8]()) == "cbf29ce484222325")
        #expect(sourceHash("a".utf8) == "af63dc4c8601ec8c")
    }
}

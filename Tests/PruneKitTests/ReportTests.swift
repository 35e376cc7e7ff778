import Foundation
import Testing
@testable import PruneKit
@testable import PruneKitCharts
@testable import PruneKitReport

/// Runs the experiment once on a slice of the bundled sample and checks the report against its logs.
@Suite(.serialized) struct ReportTests {
    /// 250 training digits (200 trained, 4 steps of 50 per epoch) and 50 test digits, 3 epochs:
    /// PolynomialDecay 0 → 0.5 from step 2 to 10 every 4 steps (updates at 2, 6, 10).
    nonisolated(unsafe) static let run: (directory: TemporaryDirectory, logs: ReportLogs, report: String) = {
        let directory = try! TemporaryDirectory()
        let configuration = try! tinyConfiguration(in: directory)
        let logDirectory = directory.path("logs")
        try! ArticleExperiment(configuration: configuration).run(logDirectory: logDirectory, verbose: false)
        let logs = try! ReportLogs(directory: logDirectory)
        let report = directory.path("report")
        try! ReportFiles.replace(directory: report) { staging in
            try ReportWriter(logs: logs, logDirectory: logDirectory).write(into: staging)
        }
        return (directory, logs, report)
    }()

    /// 250 training and 50 test digits of the bundled sample written as IDX files into
    /// `directory`, and the configuration above on them.
    static func tinyConfiguration(in directory: TemporaryDirectory, train: Int = 250, test: Int = 50) throws -> ExperimentConfiguration {
        let mnist = try MNIST.load()
        for (prefix, data) in [("train", mnist.train.slice(0 ..< train)), ("t10k", mnist.test.slice(0 ..< test))] {
            try directory.write(idxBytes(dimensions: [data.count, 28, 28], payload: data.pixels), to: "\(prefix)-images-idx3-ubyte")
            try directory.write(idxBytes(dimensions: [data.count], payload: data.labels), to: "\(prefix)-labels-idx1-ubyte")
        }
        var configuration = ExperimentConfiguration()
        configuration.dataPath = directory.url.path
        configuration.epochs = 3
        configuration.batchSize = 50
        configuration.finalSparsity = 0.5
        configuration.begin = .step(2)
        configuration.end = .step(10)
        configuration.frequency = 4
        return configuration
    }

    /// ``tinyConfiguration(in:train:test:)`` cut to one epoch of the pruned model alone (no
    /// baseline), its 4 steps pruned from step 0 with a mask update every 2.
    static func onePrunedEpoch(in directory: TemporaryDirectory) throws -> ExperimentConfiguration {
        var configuration = try tinyConfiguration(in: directory)
        configuration.baseline = false
        configuration.epochs = 1
        configuration.begin = .step(0)
        configuration.end = .step(4)
        configuration.frequency = 2
        return configuration
    }

    private func file(_ name: String) -> String { (Self.run.report as NSString).appendingPathComponent(name) }

    @Test func resultsDescribeTheRun() {
        let results = Self.run.logs.results
        #expect(results.fitImages == 200 && results.validationImages == 50 && results.testImages == 50)
        #expect(results.stepsPerEpoch == 4 && results.totalSteps == 12)
        #expect((results.beginStep, results.endStep) == (2, 10))
        #expect(Self.run.logs.pruned.run.pruning?.updates.map(\.step) == [2, 6, 10])
        #expect(abs(results.pruned.sparsity.totalSparsity - 0.5) < 0.01)
        #expect(results.baseline?.sparsity.totalSparsity == 0)
        // Zeros compress: the pruned file gzips smaller than the unpruned one.
        #expect(results.pruned.gzipBytes < results.baseline!.gzipBytes)
    }

    @Test func markdownHoldsTheComputedFigures() throws {
        let markdown = try String(contentsOfFile: file("report.md"), encoding: .utf8)
        let results = Self.run.logs.results
        for text in [String(format: "| Pruned (stripped) | %.4f | %.4f |", results.pruned.test.loss, results.pruned.test.accuracy),
                     String(format: "| Unpruned baseline | %.4f | %.4f |", results.baseline!.test.loss, results.baseline!.test.accuracy),
                     "| Mask updates | step 2 → 0.00%, step 6 →",
                     "| Begin step | 2 (`--begin 2` of 12 steps) |",
                     results.configuration.command,
                     "![Sparsity per layer at every step](sparsity.png)",
                     "![dense weight magnitudes](histogram-dense.png)",
                     "![Model file by compression stage](size.png)",
                     "keeps \(results.pruned.sparsity.totalNonZeros.grouped) of its 430,880 kernel weights",
                     "[`model.onnx`](model.onnx) is the stripped pruned model in ONNX: opset 13,"] {
            #expect(markdown.contains(text), "report.md should contain \(text)")
        }
        for section in 1 ... 8 { #expect(markdown.contains("## \(section). ")) }
    }

    @Test func summaryJSONMirrorsTheResults() throws {
        let summary = try JSONDecoder().decode(ReportSummary.self, from: Data(contentsOf: URL(fileURLWithPath: file("summary.json"))))
        let results = Self.run.logs.results
        #expect(summary.pruned.testAccuracy == results.pruned.test.accuracy)
        #expect(summary.baseline?.gzipBytes == results.baseline?.gzipBytes)
        #expect(summary.layers.map(\.name) == ["conv2d", "conv2d_1", "dense", "dense_1"])
        #expect(summary.layers.allSatisfy { $0.targetSparsity == 0.5 && abs($0.finalSparsity - 0.5) < 0.01 })
    }

    @Test func chartsAreReadablePNGsOfTheLoggedData() throws {
        for name in ["loss", "accuracy", "sparsity", "threshold", "histogram-conv2d", "histogram-conv2d_1", "histogram-dense", "histogram-dense_1", "size"] {
            let image = try ChartImage(contentsOfPNG: file("\(name).png"))
            #expect(image.width == 1000 && image.height == 600, "\(name).png")
        }
        // Layers pruned to the same target coincide: each is drawn as a narrower band over the
        // previous one, and the dashed target on top, so every layer's colour and the target's
        // black appear around the last logged value.
        let charts = ReportCharts(logs: Self.run.logs)
        let image = try ChartImage(contentsOfPNG: file("sparsity.png"))
        let transform = try charts.sparsity.transform(width: 1000, height: 600)
        let last = try #require(Self.run.logs.pruned.steps.last)
        let value = try #require(last.layers.first { $0.name == "dense_1" }).sparsity
        let x = Int(try #require(transform.pixelX(Double(last.step) - 1.5)))
        let y = Int(try #require(transform.pixelY(value)))
        func appears(_ color: Color) -> Bool {
            let target = (Int(color.red * 255), Int(color.green * 255), Int(color.blue * 255))
            return (x - 30 ... x).contains { column in
                (y - 9 ... y + 9).contains { row in
                    let pixel = image.pixel(x: column, y: row)
                    return abs(Int(pixel.red) - target.0) < 40 && abs(Int(pixel.green) - target.1) < 40 && abs(Int(pixel.blue) - target.2) < 40
                }
            }
        }
        for (index, layer) in ["conv2d", "conv2d_1", "dense", "dense_1"].enumerated() {
            #expect(appears(Color.palette[index]), "\(layer)'s colour should show near (\(x), \(y))")
        }
        #expect(appears(.black), "the dashed target should show on top of the layers")
        // Histograms are outlines only: no blended fill colour the legend lacks.
        #expect(charts.histogram(layer: "dense").barOpacity == 0)
    }

    @Test func renderingAgainFromTheLogsGivesTheSameReport() throws {
        let again = Self.run.directory.path("again")
        try ReportFiles.replace(directory: again) { staging in
            try ReportWriter(logs: try ReportLogs(directory: Self.run.directory.path("logs")), logDirectory: Self.run.directory.path("logs"))
                .write(into: staging)
        }
        #expect(try String(contentsOfFile: (again as NSString).appendingPathComponent("report.md"), encoding: .utf8)
                == String(contentsOfFile: file("report.md"), encoding: .utf8))
    }

    @Test func aFailedRenderLeavesTheOldReport() throws {
        let directory = try TemporaryDirectory()
        let report = directory.path("report")
        try ReportFiles.replace(directory: report) { staging in
            try Data("old".utf8).write(to: URL(fileURLWithPath: (staging as NSString).appendingPathComponent("report.md")))
        }
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try ReportFiles.replace(directory: report) { staging in
                try Data("new".utf8).write(to: URL(fileURLWithPath: (staging as NSString).appendingPathComponent("report.md")))
                throw Failure()
            }
        }
        #expect(try String(contentsOfFile: (report as NSString).appendingPathComponent("report.md"), encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["report"])
    }

    @Test func aDirectoryWithoutLogsIsReported() throws {
        let directory = try TemporaryDirectory()
        #expect {
            _ = try ReportLogs(directory: directory.url.path)
        } throws: { error in
            (error as? ReportError)?.description.contains(ArticleExperiment.resultsFileName) == true
        }
    }
}

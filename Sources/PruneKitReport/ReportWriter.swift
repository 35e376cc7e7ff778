import Foundation
import PruneKit
import PruneKitCharts
import PruneKitONNX

/// The image files of a report.
struct ReportImages {
    var loss = "loss.png", accuracy = "accuracy.png", sparsity = "sparsity.png", threshold = "threshold.png"
    /// The compression stages' waterfall, written when the results hold them.
    var size = "size.png"
    /// One histogram image per pruned layer, in model order.
    var histograms: [(layer: String, file: String)] = []
}

/// The ONNX export of the stripped pruned model written beside a report, as read back.
struct ReportONNX {
    /// Its file name beside `report.md`.
    static let file = "model.onnx"
    /// What the file holds.
    var summary: ONNXModelSummary
    /// The file's bytes.
    var bytes: Int
    /// The model's parameter count, to compare with the values the file stores.
    var parameters: Int
}

/// Turns an experiment's logs into `report.md`, its PNG charts, `model.onnx` and `summary.json`.
public struct ReportWriter: Sendable {
    /// The logs the report shows.
    public var logs: ReportLogs
    /// The log directory as the report should name it.
    public var logDirectory: String
    /// The TrueType font of the charts.
    public var fontPath: String

    /// A sweep report to link from "What next", relative to the report (`../mnist-sample-sweep/report.md`).
    public var sweepLink: String?

    /// The sweep report beside a report directory `out`: `<out>-sweep`, else the bundled sample's.
    public static func sweepLink(besideReport out: String) -> String? {
        let standardized = (out as NSString).standardizingPath
        let parent = (standardized as NSString).deletingLastPathComponent
        let name = (standardized as NSString).lastPathComponent
        for candidate in ["\(name)-sweep", "mnist-sample-sweep"]
        where FileManager.default.fileExists(atPath: ((parent as NSString).appendingPathComponent(candidate) as NSString).appendingPathComponent("report.md")) {
            return "../\(candidate)/report.md"
        }
        return nil
    }

    /// The chart size, readable at GitHub's width.
    static let chartSize = (width: 1000, height: 600)

    public init(logs: ReportLogs, logDirectory: String, fontPath: String = ChartFont.defaultPath) {
        self.logs = logs
        self.logDirectory = logDirectory
        self.fontPath = fontPath
    }

    /// Writes the report's files into `directory` (which must exist): `report.md`, its charts,
    /// `summary.json`, and `model.onnx`, the stripped pruned model in ONNX, when the logs hold its
    /// checkpoint.
    ///
    /// - Throws: ``ReportError/cannotWrite(path:detail:)`` naming a file that could not be written
    ///   or rendered.
    public func write(into directory: String) throws(ReportError) {
        let charts = ReportCharts(logs: logs)
        var images = ReportImages()
        images.histograms = charts.layerNames.map { ($0, "histogram-\($0).png") }
        var jobs: [(file: String, render: () throws(ChartError) -> ChartImage)] = [
            (images.loss, { () throws(ChartError) in try charts.loss.render(width: Self.chartSize.width, height: Self.chartSize.height, fontPath: fontPath) }),
            (images.accuracy, { () throws(ChartError) in try charts.accuracy.render(width: Self.chartSize.width, height: Self.chartSize.height, fontPath: fontPath) }),
        ]
        if logs.pruned.run.pruning != nil {
            jobs.append((images.sparsity, { () throws(ChartError) in try charts.sparsity.render(width: Self.chartSize.width, height: Self.chartSize.height, fontPath: fontPath) }))
            jobs.append((images.threshold, { () throws(ChartError) in try charts.threshold.render(width: Self.chartSize.width, height: Self.chartSize.height, fontPath: fontPath) }))
            for (layer, file) in images.histograms {
                jobs.append((file, { () throws(ChartError) in try charts.histogram(layer: layer).render(width: Self.chartSize.width, height: Self.chartSize.height, fontPath: fontPath) }))
            }
        }
        if let deployment = logs.results.deployment {
            jobs.append((images.size, { () throws(ChartError) in try deployment.stages.waterfallChart.render(width: Self.chartSize.width, height: Self.chartSize.height, fontPath: fontPath) }))
        }
        for (file, render) in jobs {
            let path = ArticleExperiment.path(directory, file)
            do { try render().writePNG(to: path) } catch { throw .cannotWrite(path: path, detail: error.description) }
        }
        var onnx: ReportONNX?
        if let model = logs.prunedModel?.strippingPruning() {
            let path = ArticleExperiment.path(directory, ReportONNX.file)
            do {
                try model.exportONNX(to: path)
                let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                onnx = ReportONNX(summary: try ONNXModelSummary(contentsOf: path), bytes: bytes, parameters: model.parameterCount)
            } catch {
                throw .cannotWrite(path: path, detail: "\(error)")
            }
        }
        let document = ReportDocument(logs: logs, logDirectory: logDirectory, images: images, onnx: onnx, sweepLink: sweepLink)
        try ReportFiles.write(Array(document.markdown.utf8), to: ArticleExperiment.path(directory, "report.md"))
        try ReportFiles.writeJSON(ReportSummary(logs), to: ArticleExperiment.path(directory, "summary.json"))
    }
}

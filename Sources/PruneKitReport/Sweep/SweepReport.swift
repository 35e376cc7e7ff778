import Foundation
import PruneKit
import PruneKitCharts

/// The sweep's report: `report.md` with the accuracy-vs-sparsity curve and its seed spread, the
/// knee, the schedule variants, the per-layer sensitivity and a recommendation that is one of the
/// runs, plus `accuracy.png`, `sensitivity.png` and `summary.json`.
public struct SweepReport: Sendable {
    public var configuration: SweepConfiguration
    public var findings: SweepFindings
    /// Where the data came from, as the runs' `MNIST.source` says.
    public var dataSource: String { findings.dataSource }
    /// The chart font.
    public var fontPath: String

    public init(configuration: SweepConfiguration, findings: SweepFindings, fontPath: String = ChartFont.defaultPath) {
        self.configuration = configuration
        self.findings = findings
        self.fontPath = fontPath
    }

    static let chartSize = (width: 1000, height: 600)

    /// Writes the report's files into `directory`.
    public func write(into directory: String) throws(ReportError) {
        var charts: [(String, LineChart)] = [("accuracy.png", accuracyChart)]
        if findings.sensitivity != nil { charts.append(("sensitivity.png", sensitivityChart)) }
        for (file, chart) in charts {
            let path = ArticleExperiment.path(directory, file)
            do { try chart.render(width: Self.chartSize.width, height: Self.chartSize.height, fontPath: fontPath).writePNG(to: path) } catch {
                throw .cannotWrite(path: path, detail: error.description)
            }
        }
        try ReportFiles.write(Array(markdown.utf8), to: ArticleExperiment.path(directory, "report.md"))
        try ReportFiles.writeJSON(summary, to: ArticleExperiment.path(directory, "summary.json"))
    }

    // MARK: Charts

    /// Mean test accuracy against final sparsity, with the lowest and highest seed, the variants as
    /// points, and the baseline's tolerance line.
    var accuracyChart: LineChart {
        var chart = LineChart(title: "Test accuracy against final sparsity (\(seedsText))",
                              xLabel: "Final sparsity", yLabel: "Test accuracy")
        chart.xAxis = .percent(0 ... 1)
        chart.yAxis = .percent()
        chart.legendPlacement = .bottomLeft
        let grid = findings.grid
        chart.add(Series(name: "mean", points: grid.map { ($0.sparsity, $0.mean) }, color: .blue, lineWidth: 2.5, markers: true))
        chart.add(Series(name: "lowest and highest seed", points: grid.map { ($0.sparsity, $0.lowest) }, dashed: true, color: .sky, lineWidth: 1.5))
        chart.add(Series(name: "", points: grid.map { ($0.sparsity, $0.highest) }, dashed: true, color: .sky, lineWidth: 1.5))
        let colors: [Color] = [.orange, .green, .vermillion, .purple, .black, .yellow]
        for (index, variant) in findings.variants.enumerated() {
            chart.add(Series(name: "\(variant.variant!.explanation) (mean)", points: [(variant.sparsity, variant.mean)],
                             color: colors[index % colors.count], markers: true))
        }
        if let baseline = findings.baseline {
            chart.horizontalLine(y: baseline.mean - SweepConfiguration.kneeTolerance / 100,
                                 label: String(format: "baseline − %.1f points", SweepConfiguration.kneeTolerance))
        }
        if let knee = findings.knee { chart.verticalLine(x: knee.sparsity, label: "knee \(SweepPoint.percent(knee.sparsity))") }
        return chart
    }

    /// Test accuracy with one layer pruned at a time, per level, and the unpruned accuracy.
    var sensitivityChart: LineChart {
        var chart = LineChart(title: "Sensitivity: one layer pruned at a time, no retraining", xLabel: "Sparsity of the one pruned layer",
                              yLabel: "Test accuracy")
        chart.xAxis = .percent(0 ... 1)
        chart.yAxis = .percent()
        chart.legendPlacement = .bottomLeft
        guard let sensitivity = findings.sensitivity else { return chart }
        for (index, layer) in sensitivity.layers.enumerated() {
            chart.add(Series(name: layer.name, points: [(0, sensitivity.accuracy)] + layer.points.map { ($0.sparsity, $0.accuracy) },
                             color: Color.palette[index % 6], lineWidth: 2, markers: true))
        }
        chart.horizontalLine(y: sensitivity.accuracy, label: "unpruned")
        return chart
    }

    // MARK: Markdown

    var markdown: String {
        [title, whatWasRun, curve, variantsSection, sensitivitySection, recommendationSection, reproduce].joined(separator: "\n\n") + "\n"
    }

    private func accuracy(_ value: Double) -> String { String(format: "%.2f%%", value * 100) }
    private func points(_ value: Double) -> String { String(format: "%+.2f", value * 100) }
    private func seedList(_ point: SweepPoint) -> String {
        point.runs.map { String(format: "%.2f%%", $0.test.accuracy * 100) }.joined(separator: " / ")
    }
    /// The seeds of the finished runs.
    private var seedsRun: [UInt64] { Set((findings.grid + findings.variants).flatMap(\.runs).map(\.run.configuration.seed)).sorted() }
    private var seedsText: String { "seed\(seedsRun.count == 1 ? "" : "s") " + seedsRun.map(String.init).joined(separator: ", ") }

    private var title: String {
        var lines = ["# What sparsity can the article's CNN afford? \(dataSource.components(separatedBy: ":").first ?? "")", ""]
        guard let baseline = findings.baseline else {
            return (lines + ["The sweep has no finished baseline run yet."]).joined(separator: "\n")
        }
        if let knee = findings.knee {
            lines.append(String(format: "**Knee: %@** — the largest final sparsity whose mean test accuracy (%@) is within %.1f points of the unpruned baseline's %@ (%@).",
                                SweepPoint.percent(knee.sparsity), accuracy(knee.mean), SweepConfiguration.kneeTolerance, accuracy(baseline.mean), seedsText))
        } else {
            lines.append(String(format: "**Knee: none** — no pruned sparsity of the grid keeps its mean test accuracy within %.1f points of the unpruned baseline's %@ (%@).",
                                SweepConfiguration.kneeTolerance, accuracy(baseline.mean), seedsText))
        }
        if let (point, within) = findings.recommendation {
            lines.append("")
            lines.append(String(format: "**Recommendation: %@** — measured %@ mean test accuracy (%@), %@ points against the baseline%@.",
                                point.label, accuracy(point.mean), seedList(point), points(point.mean - baseline.mean),
                                within ? "" : String(format: "; no pruned configuration stays within %.1f points, this is the most accurate", SweepConfiguration.kneeTolerance)))
        }
        let finished = (findings.grid + findings.variants).flatMap(\.runs)
        if finished.count < configuration.runs.count {
            let done = Set(finished.map(\.run.id))
            lines.append("")
            lines.append("**Incomplete**: this report covers \(finished.count) of the sweep's \(configuration.runs.count) runs; not run yet: " + configuration.runs.filter { !done.contains($0.id) }.map { "`\($0.id)`" }.joined(separator: ", ") + ". Running the command below again trains only those.")
        }
        let seconds = finished.reduce(0) { $0 + $1.trainingSeconds }
        lines.append("")
        lines.append(String(format: "%d runs; their training took %.1f minutes in total (%d cores). Data: %@.",
                            (findings.grid + findings.variants).flatMap(\.runs).count, seconds / 60,
                            ProcessInfo.processInfo.activeProcessorCount, dataSource))
        return lines.joined(separator: "\n")
    }

    private var whatWasRun: String {
        let base = configuration.base
        return """
        ## 1. What was run

        The article's experiment (its CNN; PolynomialDecay from \(base.initialSparsity) between \(base.begin) and \(base.end) of the steps, masks updated every \(base.frequency) steps; \(base.epochs) epochs, batch \(base.batchSize)) at each final sparsity of the grid (\(configuration.sparsities.map { SweepPoint.percent($0) }.joined(separator: ", ")); 0% is the unpruned model), with \(seedsText); then, at \(SweepPoint.percent(configuration.variantSparsity)), the schedule variants practitioners try to win accuracy back (\(configuration.variants.map(\.explanation).joined(separator: "; "))). Accuracy is measured on the test images, never seen in training.
        """
    }

    private var curve: String {
        guard let baseline = findings.baseline else { return "## 2. Accuracy against sparsity\n\nNo baseline run." }
        var rows = ["| Final sparsity | Measured sparsity | Test accuracy per seed | Mean | Lowest–highest | Mean vs baseline (points) |", "|---:|---:|---|---:|---:|---:|"]
        for point in findings.grid {
            let measured = point.runs.map(\.sparsity).reduce(0, +) / Double(max(point.runs.count, 1))
            rows.append("| \(SweepPoint.percent(point.sparsity)) | \(String(format: "%.2f%%", measured * 100)) | \(seedList(point)) | \(accuracy(point.mean)) | \(accuracy(point.lowest))–\(accuracy(point.highest)) | \(point.sparsity == 0 ? "–" : points(point.mean - baseline.mean)) |")
        }
        let within = findings.grid.filter { $0.sparsity > 0 && $0.mean >= baseline.mean - SweepConfiguration.kneeTolerance / 100 }
        let sentence = within.isEmpty
            ? String(format: "No pruned sparsity stays within %.1f points of the baseline.", SweepConfiguration.kneeTolerance)
            : String(format: "Within %.1f points of the baseline: %@.", SweepConfiguration.kneeTolerance, within.map { SweepPoint.percent($0.sparsity) }.joined(separator: ", "))
        return """
        ## 2. Accuracy against sparsity

        ![Test accuracy against final sparsity](accuracy.png)

        The solid line is the mean over the seeds, the dashed lines the lowest and highest seed; the horizontal line is the baseline's mean less \(String(format: "%.1f", SweepConfiguration.kneeTolerance)) points. \(sentence)

        \(rows.joined(separator: "\n"))
        """
    }

    private var variantsSection: String {
        guard !findings.variants.isEmpty else { return "## 3. Recovering accuracy: schedule variants\n\nNo variants were run." }
        let reference = findings.grid.first { $0.sparsity == configuration.variantSparsity }
        var rows = ["| Variant at \(SweepPoint.percent(configuration.variantSparsity)) | Measured sparsity | Test accuracy per seed | Mean | vs the article's schedule (points) | vs baseline (points) |", "|---|---:|---|---:|---:|---:|"]
        for point in findings.variants {
            let measured = point.runs.map(\.sparsity).reduce(0, +) / Double(max(point.runs.count, 1))
            rows.append("| \(point.variant!.explanation) | \(String(format: "%.2f%%", measured * 100)) | \(seedList(point)) | \(accuracy(point.mean)) | \(reference.map { points(point.mean - $0.mean) } ?? "–") | \(findings.baseline.map { points(point.mean - $0.mean) } ?? "–") |")
        }
        var sentence = ""
        if let reference {
            let better = findings.variants.filter { $0.mean > reference.mean }
            sentence = better.isEmpty
                ? "No variant beats the article's schedule at this sparsity (mean \(accuracy(reference.mean)))."
                : "Better than the article's schedule at this sparsity (mean \(accuracy(reference.mean))): " + better.map { "\($0.variant!.explanation) (\(points($0.mean - reference.mean)) points)" }.joined(separator: ", ") + "."
        }
        return "## 3. Recovering accuracy: schedule variants\n\n" + rows.joined(separator: "\n") + (sentence.isEmpty ? "" : "\n\n" + sentence)
    }

    private var sensitivitySection: String {
        guard let sensitivity = findings.sensitivity else { return "## 4. Per-layer sensitivity\n\nNot measured (no baseline run)." }
        let levels = configuration.sensitivityLevels
        var rows = ["| Layer | " + levels.map { SweepPoint.percent($0) }.joined(separator: " | ") + " |", "|---|" + levels.map { _ in "---:|" }.joined()]
        for layer in sensitivity.layers {
            rows.append("| \(layer.name) | " + layer.points.map { "\(accuracy($0.accuracy)) (\(points($0.accuracy - sensitivity.accuracy)))" }.joined(separator: " | ") + " |")
        }
        var sentence = ""
        if let top = levels.max() {
            let drops = sensitivity.layers.compactMap { layer in layer.points.first { $0.sparsity == top }.map { (layer.name, sensitivity.accuracy - $0.accuracy) } }
            if let most = drops.max(by: { $0.1 < $1.1 }), let least = drops.min(by: { $0.1 < $1.1 }) {
                sentence = String(format: "At %@, pruning `%@` alone costs the most (%.2f points) and `%@` the least (%.2f points).",
                                  SweepPoint.percent(top), most.0, most.1 * 100, least.0, least.1 * 100)
            }
        }
        return """
        ## 4. Per-layer sensitivity

        ![Sensitivity: one layer pruned at a time](sensitivity.png)

        As Distiller's sensitivity analysis: the trained unpruned model of run `\(sensitivity.run)` (test accuracy \(accuracy(sensitivity.accuracy))) with one layer at a time pruned by magnitude to each sparsity, the others untouched, and no retraining. \(sentence) The table gives the test accuracy and, in brackets, its change in points.

        \(rows.joined(separator: "\n"))
        """
    }

    private var recommendationSection: String {
        guard let (point, within) = findings.recommendation, let baseline = findings.baseline else {
            return "## 5. Recommendation\n\nNone: the sweep needs a baseline and a pruned run."
        }
        var configuration = point.runs[0].run.configuration
        configuration.baseline = true
        return """
        ## 5. Recommendation

        \(within ? String(format: "The sparsest configuration whose mean test accuracy stays within %.1f points of the baseline", SweepConfiguration.kneeTolerance) : String(format: "No pruned configuration stays within %.1f points of the baseline; the most accurate one", SweepConfiguration.kneeTolerance)): **\(point.label)**, measured at \(accuracy(point.mean)) mean (\(seedList(point)); baseline \(accuracy(baseline.mean))). To train it:

        ```sh
        \(configuration.command)
        ```
        """
    }

    private var reproduce: String {
        """
        ## 6. How to reproduce

        ```sh
        \(command)
        ```

        Finished runs are stored in `runs/` (one JSON file each); running the command again skips them, so an interrupted sweep resumes where it stopped.
        """
    }

    /// The command that reruns this sweep.
    public var command: String {
        var words = ["swift", "run", "-c", "release", "report", "sweep"]
        let base = configuration.base
        if let dataPath = base.dataPath { words += ["--data", dataPath] }
        if let subset = base.trainingSubset { words += ["--subset", "\(subset)"] }
        words += ["--epochs", "\(base.epochs)", "--batch-size", "\(base.batchSize)", "--frequency", "\(base.frequency)", "--sparsities", configuration.sparsities.map { "\($0)" }.joined(separator: ","),
                  "--seeds", configuration.seeds.map(String.init).joined(separator: ","),
                  "--variants", configuration.variants.isEmpty ? "none" : configuration.variants.map(\.description).joined(separator: ","),
                  "--variant-sparsity", "\(configuration.variantSparsity)"]
        return words.joined(separator: " ")
    }

    /// The figures of the report, for scripts.
    struct Summary: Codable {
        struct Point: Codable { var sparsity: Double, variant: String?, accuracies: [Double], mean: Double }
        var data: String
        var seeds: [UInt64]
        var grid: [Point], variants: [Point]
        var kneeSparsity: Double?
        var recommendation: Point?
        var sensitivity: SensitivityAnalysis?
    }

    var summary: Summary {
        func point(_ p: SweepPoint) -> Summary.Point {
            Summary.Point(sparsity: p.sparsity, variant: p.variant?.description, accuracies: p.runs.map(\.test.accuracy), mean: p.mean)
        }
        return Summary(data: dataSource, seeds: configuration.seeds, grid: findings.grid.map(point), variants: findings.variants.map(point),
                       kneeSparsity: findings.knee?.sparsity, recommendation: findings.recommendation.map { point($0.point) },
                       sensitivity: findings.sensitivity)
    }
}

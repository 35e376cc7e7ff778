import Foundation
import PruneKit
import PruneKitCharts

/// The report's charts, built from the logs. Each is a value the caller renders; file names are
/// fixed so the Markdown can link them.
struct ReportCharts {
    let logs: ReportLogs

    /// Pruned training and validation loss per epoch, with the baseline's when there is one.
    var loss: LineChart { epochCurves(title: "Loss per epoch", yLabel: "Categorical cross-entropy", axis: .linear(), \.loss, \.validationLoss) }

    /// Pruned training and validation accuracy per epoch, with the baseline's when there is one.
    var accuracy: LineChart { epochCurves(title: "Accuracy per epoch", yLabel: "Accuracy", axis: .percent(), \.accuracy, \.validationAccuracy) }

    private func epochCurves(title: String, yLabel: String, axis: Axis, _ training: KeyPath<EpochRecord, Double>,
                             _ validation: KeyPath<EpochRecord, Double?>) -> LineChart {
        var chart = LineChart(title: title, xLabel: "Epoch", yLabel: yLabel)
        chart.yAxis = axis
        func points(_ log: SummaryLog, _ value: (EpochRecord) -> Double?) -> [(x: Double, y: Double)] {
            log.epochs.compactMap { record in value(record).map { (Double(record.epoch + 1), $0) } }
        }
        chart.add(Series(name: "pruned, validation", points: points(logs.pruned) { $0[keyPath: validation] }, color: .blue))
        chart.add(Series(name: "pruned, training", points: points(logs.pruned) { $0[keyPath: training] }, dashed: true, color: .blue))
        if let baseline = logs.baseline {
            chart.add(Series(name: "baseline, validation", points: points(baseline) { $0[keyPath: validation] }, color: .orange))
            chart.add(Series(name: "baseline, training", points: points(baseline) { $0[keyPath: training] }, dashed: true, color: .orange))
        }
        if let end = logs.pruned.run.pruning?.updates.last {
            chart.verticalLine(x: Double(end.step) / Double(logs.results.stepsPerEpoch), label: "last mask update")
        }
        return chart
    }

    /// Measured sparsity of every pruned layer at every logged step, over the schedule's staircase.
    var sparsity: LineChart {
        var chart = LineChart(title: "Sparsity per layer at every step", xLabel: "Training step", yLabel: "Sparsity (zero weights)")
        chart.yAxis = .percent(0 ... 1)
        chart.legendPlacement = .bottomRight
        if let pruning = logs.pruned.run.pruning {
            var staircase: [(x: Double, y: Double)] = [(0, 0)] + pruning.updates.map { (Double($0.step), Double($0.sparsity)) }
            staircase.append((Double(logs.results.totalSteps), staircase.last!.y))
            chart.add(Series(name: "schedule target (mask updates)", points: staircase, style: .steps, dashed: true,
                             color: .gray, lineWidth: 2.5))
            chart.verticalLine(x: Double(pruning.beginStep), label: "begin \(pruning.beginStep)")
            chart.verticalLine(x: Double(pruning.endStep), label: "end \(pruning.endStep)")
        }
        for (index, layer) in layerNames.enumerated() {
            chart.add(Series(name: layer, points: stepSeries { $0.layers[index].sparsity }, color: Color.palette[index % 6]))
        }
        return chart
    }

    /// The mask threshold of every pruned layer at every logged step.
    var threshold: LineChart {
        var chart = LineChart(title: "Magnitude threshold per layer", xLabel: "Training step", yLabel: "Threshold |w|")
        chart.legendPlacement = .topLeft
        for (index, layer) in layerNames.enumerated() {
            chart.add(Series(name: layer, points: stepSeries { Double($0.layers[index].threshold ?? 0) }, color: Color.palette[index % 6]))
        }
        return chart
    }

    /// The pruned layers, in model order.
    var layerNames: [String] { logs.pruned.run.layers.filter(\.pruned).map(\.name) }

    /// One value per step record, starting from step 0 (nothing pruned).
    private func stepSeries(_ value: (StepRecord) -> Double) -> [(x: Double, y: Double)] {
        logs.pruned.steps.map { (Double($0.step), value($0)) }
    }

    /// The snapshots the histograms compare: before pruning, mid-way through the schedule, and after.
    var histogramSnapshots: [WeightsRecord] {
        let weights = logs.pruned.weights
        guard let start = weights.first, let end = weights.last else { return [] }
        let middle = logs.results.beginStep + (logs.results.endStep - logs.results.beginStep) / 2
        let mid = weights.dropFirst().dropLast().min { abs($0.step - middle) < abs($1.step - middle) }
        return [start] + (mid.map { [$0] } ?? []) + [end]
    }

    /// Weight-magnitude histograms of one pruned layer before, mid-way and after, exact zeros in
    /// the first bin, log-scale counts, and the final threshold.
    func histogram(layer: String) -> HistogramChart {
        var chart = HistogramChart(title: "\(layer): weight magnitudes", xLabel: "|w|", yLabel: "Weights (log scale)")
        chart.yAxis = .logarithmic()
        let colors: [Color] = [.sky, .orange, .vermillion]
        for (snapshot, color) in zip(histogramSnapshots, colors) {
            guard let histogram = snapshot.layers.first(where: { $0.name == layer }) else { continue }
            let bins = histogram.counts.count
            let width = Double(histogram.maxMagnitude) / Double(bins)
            var counts = histogram.counts.map(Double.init)
            counts[0] += Double(histogram.zeros)
            chart.add(Histogram(name: "\(Self.describe(snapshot)) (\(Self.percent(Double(histogram.zeros) / Double(max(histogram.count, 1)))) zeros)",
                                edges: (0 ... bins).map { Double($0) * width }, counts: counts, color: color))
        }
        if let threshold = histogramSnapshots.last?.layers.first(where: { $0.name == layer })?.threshold, threshold > 0 {
            chart.verticalLine(x: Double(threshold), label: "final threshold \(Self.compact(Double(threshold)))")
        }
        return chart
    }

    static func describe(_ snapshot: WeightsRecord) -> String {
        switch snapshot.label {
        case "start": return "before pruning"
        case "end": return "after (step \(snapshot.step))"
        default: return "\(snapshot.label), step \(snapshot.step)"
        }
    }

    static func percent(_ fraction: Double) -> String { String(format: "%.1f%%", fraction * 100) }
    static func compact(_ value: Double) -> String { String(format: "%.4g", value) }
}

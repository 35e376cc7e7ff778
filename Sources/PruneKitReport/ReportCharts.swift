import Foundation
import PruneKit
import PruneKitCharts

/// The report's charts, built from the logs. Each is a value the caller renders; file names are
/// fixed so the Markdown can link them.
struct ReportCharts {
    let logs: ReportLogs

    /// Pruned training and validation loss per epoch, with the baseline's when there is one.
    var loss: LineChart {
        var chart = epochCurves(title: "Loss per epoch", yLabel: "Categorical cross-entropy", axis: .linear(), \.loss, \.validationLoss)
        chart.legendPlacement = .bottomLeft
        return chart
    }

    /// Pruned training and validation accuracy per epoch, with the baseline's when there is one.
    var accuracy: LineChart {
        var chart = epochCurves(title: "Accuracy per epoch", yLabel: "Accuracy", axis: .percent(), \.accuracy, \.validationAccuracy)
        chart.legendPlacement = .bottomRight
        return chart
    }

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
        markUpdates(on: &chart)
        return chart
    }

    /// Every non-zero mask update as a vertical line at its (fractional) epoch, labelled with its
    /// target where the label fits (the last update always; the others at least a twelfth of the
    /// axis apart).
    private func markUpdates(on chart: inout LineChart) {
        let stepsPerEpoch = Double(logs.results.stepsPerEpoch)
        let positions = RunFindings(log: logs.pruned).cuts.map { (x: Double($0.step) / stepsPerEpoch, sparsity: Double($0.sparsity)) }
        let spacing = Double(max(logs.results.configuration.epochs, 1)) / 9
        var labelled = Set<Int>()
        var previous = -Double.infinity
        for (index, position) in positions.enumerated() where position.x - previous >= spacing
            && (index == positions.count - 1 || positions[positions.count - 1].x - position.x >= 2 * spacing) {
            labelled.insert(index)
            previous = position.x
        }
        if !positions.isEmpty { labelled.insert(positions.count - 1) }
        // Unlabelled lines first and fainter, so the labelled ones and their labels stay on top.
        for (index, position) in positions.enumerated() where !labelled.contains(index) {
            chart.verticalLine(x: position.x, color: Color.gray.opacity(0.5))
        }
        for (index, position) in positions.enumerated() where labelled.contains(index) {
            chart.verticalLine(x: position.x, label: String(format: "%.1f%%", position.sparsity * 100), color: .darkGray)
        }
    }

    /// Measured sparsity of every pruned layer at every logged step, over the schedule's staircase.
    var sparsity: LineChart {
        var chart = LineChart(title: "Sparsity per layer at every step", xLabel: "Training step", yLabel: "Sparsity (zero weights)")
        chart.yAxis = .percent(0 ... 1)
        chart.legendPlacement = .bottomRight
        // Layers often coincide (each is pruned to the same target): the first is drawn widest and
        // each later one narrower on top of it, so coinciding lines show as nested bands.
        let names = layerNames
        for (index, layer) in names.enumerated() {
            chart.add(Series(name: layer, points: stepSeries { $0.layers[index].sparsity }, color: Color.palette[index % 6],
                             lineWidth: 2.5 + 4 * Double(names.count - 1 - index)))
        }
        if let pruning = logs.pruned.run.pruning {
            var staircase: [(x: Double, y: Double)] = [(0, 0)] + pruning.updates.map { (Double($0.step), Double($0.sparsity)) }
            staircase.append((Double(logs.results.totalSteps), staircase.last!.y))
            // Drawn last, so the target stays visible over the layers that follow it exactly.
            chart.add(Series(name: "schedule target (mask updates)", points: staircase, style: .steps, dashed: true,
                             color: .black, lineWidth: 1.5))
            let beginsAtZero = pruning.updates.first.map { $0.step == pruning.beginStep && $0.sparsity == 0 } ?? false
            chart.verticalLine(x: Double(pruning.beginStep), label: beginsAtZero ? "begin \(pruning.beginStep): first update, 0%" : "begin \(pruning.beginStep)")
            if let cut = RunFindings(log: logs.pruned).firstCut, cut.step != pruning.beginStep {
                chart.verticalLine(x: Double(cut.step), label: "first cut \(cut.step)")
            }
            chart.verticalLine(x: Double(pruning.endStep), label: "end \(pruning.endStep)")
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

    /// The snapshots the histograms compare: the trained weights just before the first non-zero
    /// cut, and the final weights.
    var histogramSnapshots: [WeightsRecord] {
        let findings = RunFindings(log: logs.pruned)
        guard let before = findings.beforeSnapshot, let end = findings.finalSnapshot else { return [] }
        return before.step == end.step ? [end] : [before, end]
    }

    /// Weight-magnitude histograms of one pruned layer before the first cut and at the end, drawn
    /// as outlines (so no blended colour appears that the legend lacks), exact zeros in the first
    /// bin, log-scale counts, and the final threshold.
    func histogram(layer: String) -> HistogramChart {
        var chart = HistogramChart(title: "\(layer): weight magnitudes", xLabel: "|w|", yLabel: "Weights (log scale)")
        chart.yAxis = .logarithmic()
        chart.barOpacity = 0
        let snapshots = histogramSnapshots
        let colors: [Color] = snapshots.count == 1 ? [.vermillion] : [.blue, .vermillion]
        for (snapshot, color) in zip(snapshots, colors) {
            guard let histogram = snapshot.layers.first(where: { $0.name == layer }) else { continue }
            let bins = histogram.counts.count
            let width = Double(histogram.maxMagnitude) / Double(bins)
            var counts = histogram.counts.map(Double.init)
            counts[0] += Double(histogram.zeros)
            chart.add(Histogram(name: "\(describe(snapshot)) (\(Self.percent(Double(histogram.zeros) / Double(max(histogram.count, 1)))) zeros)",
                                edges: (0 ... bins).map { Double($0) * width }, counts: counts, color: color))
        }
        if let threshold = snapshots.last?.layers.first(where: { $0.name == layer })?.threshold, threshold > 0 {
            chart.verticalLine(x: Double(threshold), label: "final threshold \(Self.compact(Double(threshold)))")
        }
        return chart
    }

    func describe(_ snapshot: WeightsRecord) -> String {
        if snapshot.step == 0 { return "at initialisation" }
        if snapshot == logs.pruned.weights.last { return "final, step \(snapshot.step)" }
        return "trained, step \(snapshot.step), before the first cut"
    }

    static func percent(_ fraction: Double) -> String { String(format: "%.1f%%", fraction * 100) }
    static func compact(_ value: Double) -> String { String(format: "%.4g", value) }
}

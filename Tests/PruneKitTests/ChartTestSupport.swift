import Foundation
@testable import PruneKitCharts

/// Pixel helpers and sample charts for the chart tests.
enum ChartSamples {
    /// Whether two colours are within `tolerance` per channel.
    static func close(_ pixel: (red: UInt8, green: UInt8, blue: UInt8), _ color: Color, tolerance: Int = 24) -> Bool {
        abs(Int(pixel.red) - Int((color.red * 255).rounded())) <= tolerance
            && abs(Int(pixel.green) - Int((color.green * 255).rounded())) <= tolerance
            && abs(Int(pixel.blue) - Int((color.blue * 255).rounded())) <= tolerance
    }

    /// `color` at `opacity` over white, as a translucent fill shows on the background.
    static func overWhite(_ color: Color, opacity: Double) -> Color {
        Color(red: 1 + (color.red - 1) * opacity, green: 1 + (color.green - 1) * opacity, blue: 1 + (color.blue - 1) * opacity)
    }

    /// A report-like line chart: four layers' sparsity over 400 logged steps following a polynomial
    /// schedule with noise, the schedule target as a dashed staircase, and a "begin" marker.
    static func sparsityChart() -> LineChart {
        var chart = LineChart(title: "Sparsity per layer", xLabel: "Training step", yLabel: "Sparsity")
        chart.yAxis = .percent(0...1)
        let steps = (0..<400).map { Double($0) * 10 }
        func target(_ step: Double) -> Double {
            let progress = min(1, max(0, (step - 780) / (3900 - 780)))
            return 0.875 * (1 - pow(1 - progress, 3))
        }
        var generator = SystemRandomNumberGenerator()
        for (index, name) in ["conv2d", "conv2d_1", "dense", "dense_1"].enumerated() {
            let points = steps.map { step in
                let lag = Double(index) * 0.02
                let noise = Double.random(in: -0.01...0.01, using: &generator)
                return (x: step, y: max(0, target(step) - lag + (target(step) > 0 ? noise : 0)))
            }
            chart.add(Series(name: name, points: points))
        }
        let schedule = stride(from: 0.0, through: 3900, by: 300).map { (x: $0, y: target($0)) }
        chart.add(Series(name: "Schedule target", points: schedule, style: .steps, dashed: true, color: .gray))
        chart.verticalLine(x: 780, label: "begin")
        return chart
    }

    /// Weight magnitudes before, mid-way and after pruning on a log count axis, with the threshold.
    static func weightHistogram() -> HistogramChart {
        var chart = HistogramChart(title: "Weight magnitudes of conv2d_1", xLabel: "|weight|")
        chart.yAxis = .logarithmic()
        var generator = SystemRandomNumberGenerator()
        let weights = (0..<20_000).map { _ in abs(gaussian(&generator) * 0.08) }
        let sorted = weights.sorted()
        for (name, sparsity) in [("before", 0.0), ("mid-way", 0.5), ("after", 0.875)] {
            // Pruned weights are zero and left out, so each histogram shows the surviving ones.
            let threshold = sorted[Int(Double(sorted.count) * sparsity)]
            let kept = weights.filter { $0 >= threshold }
            chart.add(Histogram(name: name, values: kept, binCount: 60, range: 0...0.3))
        }
        chart.verticalLine(x: sorted[Int(Double(sorted.count) * 0.875)], label: "threshold (87.5%)")
        return chart
    }

    /// Validation accuracy per epoch as a filled area with markers, a target line, and a
    /// log-scale loss would need its own chart; this one checks area, markers and horizontal lines.
    static func accuracyChart() -> LineChart {
        var chart = LineChart(title: "Validation accuracy", xLabel: "Epoch", yLabel: "Accuracy")
        chart.yAxis = .percent()
        chart.add(Series(name: "dense model", points: (1...12).map { (x: Double($0), y: 0.99 - 0.12 / Double($0)) }, style: .area, markers: true))
        chart.add(Series(name: "pruned 87.5%", points: (1...12).map { (x: Double($0), y: 0.985 - 0.15 / Double($0)) }, markers: true))
        chart.horizontalLine(y: 0.97, label: "target 97%")
        return chart
    }

    private static func gaussian(_ generator: inout SystemRandomNumberGenerator) -> Double {
        let u = Double.random(in: Double.ulpOfOne...1, using: &generator), v = Double.random(in: 0...1, using: &generator)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

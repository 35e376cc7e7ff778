import Foundation
import Testing
@testable import PruneKitCharts

@Suite struct LineChartTests {
    @Test func horizontalSeriesLandsOnItsRow() throws {
        var chart = LineChart(title: "Flat", xLabel: "x", yLabel: "y")
        chart.yAxis = .linear(0...1)
        chart.add(Series(name: "", points: (0...10).map { (x: Double($0), y: 0.5) }, color: .vermillion))
        let image = try chart.render(width: 600, height: 400)
        let transform = try chart.transform(width: 600, height: 400)
        let expectedRow = try #require(transform.pixelY(0.5))
        // 0.5 of the way up the plot.
        #expect(abs(expectedRow - (transform.plot.minY + transform.plot.maxY) / 2) < 1e-9)
        for x in stride(from: 5.0, through: 9, by: 1) {
            let column = Int(try #require(transform.pixelX(x)))
            let rows = (Int(transform.plot.minY)..<Int(transform.plot.maxY)).filter {
                ChartSamples.close(image.pixel(x: column, y: $0), .vermillion)
            }
            // A 2-pixel line: one to three rows of its colour, all within 1.5 pixels of the data row.
            #expect(!rows.isEmpty && rows.count <= 3)
            #expect(rows.allSatisfy { abs(Double($0) + 0.5 - expectedRow) <= 1.5 })
        }
    }

    @Test func stepsHoldEachValueUntilTheNextPoint() throws {
        var chart = LineChart()
        chart.xAxis = .linear(0...10)
        chart.yAxis = .linear(0...1)
        chart.add(Series(name: "", points: [(0, 0.2), (5, 0.8), (10, 0.8)], style: .steps, color: .blue))
        let image = try chart.render(width: 500, height: 300)
        let transform = try chart.transform(width: 500, height: 300)
        func hasLine(atX x: Double, y: Double) throws -> Bool {
            let column = Int(try #require(transform.pixelX(x))), row = Int(try #require(transform.pixelY(y)))
            return (row - 1...row + 1).contains { ChartSamples.close(image.pixel(x: column, y: $0), .blue) }
        }
        #expect(try hasLine(atX: 4.5, y: 0.2))
        #expect(try !hasLine(atX: 4.5, y: 0.8))
        #expect(try hasLine(atX: 5.5, y: 0.8))
        #expect(try hasLine(atX: 5, y: 0.5))
    }

    @Test func titleAndLabelsAreDrawn() throws {
        let titled = try ChartSamples.sparsityChart().render(width: 1000, height: 600)
        var untitled = ChartSamples.sparsityChart()
        untitled.title = ""
        let transform = try untitled.transform(width: 1000, height: 600)
        let bare = try untitled.render(width: 1000, height: 600)
        func darkPixels(_ image: ChartImage, rows: Range<Int>) -> Int {
            var count = 0
            for y in rows {
                for x in 300..<700 {
                    let pixel = image.pixel(x: x, y: y)
                    if Int(pixel.red) + Int(pixel.green) + Int(pixel.blue) < 300 { count += 1 }
                }
            }
            return count
        }
        #expect(darkPixels(titled, rows: 10..<38) > 100)
        #expect(darkPixels(bare, rows: 0..<Int(transform.plot.minY) - 2) == 0)
    }

    @Test func renderIsFastEnough() throws {
        let chart = ChartSamples.sparsityChart()
        _ = try chart.render(width: 1000, height: 600)
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try chart.render(width: 1000, height: 600)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // Debug builds are ~10–30× slower than release; this only catches gross regressions.
        #expect(seconds < 5)
    }

    /// Writes the sample charts for a human to look at when `PRUNEKIT_CHART_SAMPLES` names a directory.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PRUNEKIT_CHART_SAMPLES"] != nil))
    func writeSamples() throws {
        let directory = ProcessInfo.processInfo.environment["PRUNEKIT_CHART_SAMPLES"]!
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try ChartSamples.sparsityChart().render(width: 1000, height: 600).writePNG(to: directory + "/sparsity.png")
        try ChartSamples.weightHistogram().render(width: 1000, height: 600).writePNG(to: directory + "/weights.png")
        try ChartSamples.accuracyChart().render(width: 1000, height: 600).writePNG(to: directory + "/accuracy.png")
    }
}

import Testing
@testable import PruneKitCharts

@Suite struct HistogramChartTests {
    @Test func barHeightsAreProportionalToCounts() throws {
        var chart = HistogramChart(title: "Counts", xLabel: "value")
        chart.yAxis = .linear(0...100)
        let counts = [10.0, 40, 20, 80]
        chart.add(Histogram(name: "", edges: [0, 1, 2, 3, 4], counts: counts, color: .green))
        let image = try chart.render(width: 600, height: 400)
        let transform = try chart.transform(width: 600, height: 400)
        let bottom = try #require(transform.pixelY(0))
        let fill = ChartSamples.overWhite(.green, opacity: chart.barOpacity)
        var heights: [Double] = []
        for (bin, count) in counts.enumerated() {
            let column = Int(try #require(transform.pixelX(Double(bin) + 0.3)))
            // The outline marks the bar's top; below it the translucent fill reaches the axis.
            let top = try #require((Int(transform.plot.minY)..<Int(bottom)).first {
                ChartSamples.close(image.pixel(x: column, y: $0), .green)
            })
            let expectedTop = try #require(transform.pixelY(count))
            #expect(abs(Double(top) + 0.5 - expectedTop) <= 1.5)
            let middle = Int((expectedTop + bottom) / 2)
            #expect((middle - 3...middle + 3).contains { ChartSamples.close(image.pixel(x: column, y: $0), fill, tolerance: 8) })
            heights.append(bottom - Double(top))
        }
        for (height, count) in zip(heights, counts) {
            #expect(abs(height / count - heights[3] / counts[3]) < 0.03 * heights[3] / counts[3] + 1.5 / count)
        }
    }

    @Test func logAxisSkipsEmptyBinsAndUsesDecades() throws {
        var chart = HistogramChart()
        chart.yAxis = .logarithmic()
        chart.add(Histogram(name: "a", edges: [0, 1, 2, 3], counts: [0, 5, 5000]))
        let transform = try chart.transform(width: 600, height: 400)
        #expect(transform.y.ticks == [10, 100, 1000])
        #expect(transform.y.range.lowerBound < 5 && transform.y.range.upperBound > 5000)
        _ = try chart.render(width: 600, height: 400)
    }

    @Test func valuesAreBinnedInsideTheRange() {
        let histogram = Histogram(name: "h", values: [0, 0.1, 0.5, 0.99, 1, 2, -1, .nan], binCount: 2, range: 0...1)
        #expect(histogram.edges == [0, 0.5, 1])
        #expect(histogram.counts == [2, 3])
    }
}

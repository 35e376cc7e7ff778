import Testing
@testable import PruneKitCharts

@Suite struct WaterfallChartTests {
    @Test func barsStandOnTheirStagesWithProportionalHeights() throws {
        var chart = WaterfallChart(title: "Sizes", yLabel: "Bytes", series: ["raw", "gzip"])
        chart.yAxis = .linear(0 ... 100)
        let values: [[Double]] = [[100 * 0.9, 80], [90, 30], [15, 12], [6, 5]]
        for (index, pair) in values.enumerated() {
            chart.add(stage: "stage \(index)", bars: pair.map { WaterfallChart.Bar($0, label: "\(Int($0))") })
        }
        let transform = try chart.transform(width: 800, height: 500)
        #expect(transform.x.labels == ["stage 0", "stage 1", "stage 2", "stage 3"])
        #expect(transform.x.ticks == [1, 2, 3, 4])
        let image = try chart.render(width: 800, height: 500)
        let bottom = try #require(transform.pixelY(0))
        let slot = try #require(transform.pixelX(2)) - (try #require(transform.pixelX(1)))
        let colors = Color.assigning([nil, nil])
        for (index, pair) in values.enumerated() {
            let centre = try #require(transform.pixelX(Double(index + 1)))
            for (position, value) in pair.enumerated() {
                // The middle of bar `position` of the stage: left half of the group for the first series.
                let column = Int(centre + slot * 0.35 * (position == 0 ? -0.5 : 0.5))
                let fill = ChartSamples.overWhite(colors[position], opacity: 0.85)
                let top = try #require((Int(transform.plot.minY) ..< Int(bottom)).first {
                    ChartSamples.close(image.pixel(x: column, y: $0), fill, tolerance: 12)
                }, "stage \(index) bar \(position)")
                let expected = try #require(transform.pixelY(value))
                #expect(abs(Double(top) + 0.5 - expected) <= 1.5, "stage \(index) bar \(position): top \(top), expected \(expected)")
            }
        }
    }

    @Test func logarithmicAxisAndEmptyChartsRender() throws {
        var chart = WaterfallChart(series: ["raw"])
        chart.yAxis = .logarithmic()
        chart.add(stage: "dense", bars: [.init(1_726_556, label: "1.73 MB")])
        chart.add(stage: "sparse + int8", bars: [.init(112_292, label: "112 kB")])
        let transform = try chart.transform(width: 600, height: 400)
        #expect(transform.y.range.lowerBound < 112_292 && transform.y.range.upperBound > 1_726_556)
        _ = try chart.render(width: 600, height: 400)
        _ = try WaterfallChart().render(width: 300, height: 200)
        #expect(throws: ChartError.invalidSize(width: 0, height: 200)) { try chart.render(width: 0, height: 200) }
    }
}

/// A chart of one or more series against a shared x axis: lines, staircases or filled areas,
/// optionally with dashed reference lines.
///
/// ```swift
/// var chart = LineChart(title: "Sparsity per layer", xLabel: "Training step", yLabel: "Sparsity")
/// chart.yAxis = .percent(0...1)
/// chart.add(Series(name: "conv2d", points: points))
/// chart.add(Series(name: "Schedule target", points: schedule, style: .steps, dashed: true, color: .gray))
/// chart.verticalLine(x: 78, label: "begin")
/// try chart.render(width: 1000, height: 600).writePNG(to: "sparsity.png")
/// ```
public struct LineChart: Sendable {
    /// Text above the plot.
    public var title: String
    /// Text below the x axis.
    public var xLabel: String
    /// Text left of the y axis, reading upwards.
    public var yLabel: String
    /// The x axis; auto-fits the data exactly (no padding) by default.
    public var xAxis: Axis = .linear()
    /// The y axis; auto-fits the data with 5% padding by default.
    public var yAxis: Axis = .linear()
    /// Where the legend goes.
    public var legendPlacement: LegendPlacement = .best
    /// The series, drawn in order (later ones on top).
    public private(set) var series: [Series] = []
    private var referenceLines: [ReferenceLine] = []

    /// An empty chart with its titles.
    public init(title: String = "", xLabel: String = "", yLabel: String = "") {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// Appends a series, drawn above those added before.
    public mutating func add(_ series: Series) {
        self.series.append(series)
    }

    /// Adds a dashed vertical line at data value `x`, labelled near the top of the plot.
    public mutating func verticalLine(x: Double, label: String = "", color: Color = .darkGray) {
        referenceLines.append(ReferenceLine(orientation: .vertical, value: x, label: label, color: color))
    }

    /// Adds a dashed horizontal line at data value `y`, labelled at the right end of the plot.
    public mutating func horizontalLine(y: Double, label: String = "", color: Color = .darkGray) {
        referenceLines.append(ReferenceLine(orientation: .horizontal, value: y, label: label, color: color))
    }

    /// Renders the chart.
    ///
    /// - Parameters:
    ///   - width: Image width in pixels.
    ///   - height: Image height in pixels.
    ///   - fontPath: A TrueType font; ``ChartFont/defaultPath`` by default.
    /// - Throws: ``ChartError/fontNotFound(path:)`` (naming `fontPath`) and the other font and
    ///   size errors of ``ChartError``.
    public func render(width: Int, height: Int, fontPath: String = ChartFont.defaultPath) throws(ChartError) -> ChartImage {
        let colors = seriesColors
        return try ChartRenderer.render(frame, width: width, height: height, fontPath: fontPath) { canvas, transform in
            for (series, color) in zip(series, colors) { draw(series, color: color, on: &canvas, transform: transform) }
        }
    }

    /// The data → pixel transform `render(width:height:fontPath:)` uses at this size.
    func transform(width: Int, height: Int, fontPath: String = ChartFont.defaultPath) throws(ChartError) -> PlotTransform {
        ChartRenderer.layout(frame, width: width, height: height, font: try FontFace(path: fontPath)).transform
    }

    /// Each series' colour: its own, or the palette's next in order among those without one.
    private var seriesColors: [Color] { Color.assigning(series.map(\.color)) }

    private var frame: ChartFrame {
        let points = series.flatMap(\.points)
        let legend = zip(series, seriesColors).filter { !$0.0.name.isEmpty }.map { series, color in
            LegendEntry(name: series.name, color: color, swatch: .line(
                width: series.lineWidth, dashed: series.dashed, markers: series.markers, filled: series.style == .area))
        }
        let hasArea = series.contains { $0.style == .area }
        return ChartFrame(
            title: title, xLabel: xLabel, yLabel: yLabel, xAxis: xAxis, yAxis: yAxis,
            xData: points.map(\.x), yData: points.map(\.y), xPadding: 0, yPadding: 0.05,
            yPinnedLower: hasArea && yAxis.scale == .linear && (points.map(\.y).min() ?? 0) >= 0 ? 0 : nil,
            referenceLines: referenceLines, legend: legend, legendPlacement: legendPlacement
        )
    }

    private func draw(_ series: Series, color: Color, on canvas: inout Canvas, transform: PlotTransform) {
        let plot = transform.plot
        // Pixel runs between unplottable points.
        var runs: [[SIMD2<Double>]] = [[]]
        for point in series.drawnPoints {
            if let pixel = transform.pixel(x: point.x, y: point.y) {
                runs[runs.count - 1].append(pixel)
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        runs.removeAll { $0.isEmpty }
        // Let lines on the plot's edge show whole, not half-clipped.
        let clip = plot.insetBy(-series.lineWidth / 2)
        if series.style == .area {
            let baselineValue = transform.y.logarithmic ? transform.y.range.lowerBound : min(max(0, transform.y.range.lowerBound), transform.y.range.upperBound)
            let baseline = transform.pixelY(baselineValue) ?? plot.maxY
            for run in runs where run.count > 1 {
                let polygon = run + [SIMD2(run[run.count - 1].x, baseline), SIMD2(run[0].x, baseline)]
                canvas.fill(polygon: polygon, color: color.opacity(0.2 * color.alpha), clip: plot)
            }
        }
        canvas.stroke(runs, width: series.lineWidth, color: color, dashed: series.dashed, clip: clip)
        if series.markers {
            let centers = series.points.compactMap { transform.pixel(x: $0.x, y: $0.y) }
            canvas.composite(CoverageMask(discs: centers, radius: series.lineWidth + 1.5, clip: clip), color: color)
        }
    }
}

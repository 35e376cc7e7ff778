/// Overlaid histograms drawn as translucent bars with a solid outline, e.g. weight magnitudes
/// "before", "mid-way" and "after" pruning, with an optional dashed threshold line.
///
/// ```swift
/// var chart = HistogramChart(title: "|w| of conv2d", xLabel: "|weight|")
/// chart.yAxis = .logarithmic()
/// chart.add(Histogram(name: "before", values: before, binCount: 60, range: 0...0.5))
/// chart.add(Histogram(name: "after", values: after, binCount: 60, range: 0...0.5))
/// chart.verticalLine(x: threshold, label: "threshold")
/// try chart.render(width: 1000, height: 600).writePNG(to: "weights.png")
/// ```
public struct HistogramChart: Sendable {
    /// Text above the plot.
    public var title: String
    /// Text below the x axis.
    public var xLabel: String
    /// Text left of the y axis, reading upwards.
    public var yLabel: String
    /// The x axis; auto-fits the bin edges with 2% padding by default.
    public var xAxis: Axis = .linear()
    /// The count axis: linear from 0 by default; ``Axis/logarithmic(_:)`` skips empty bins.
    public var yAxis: Axis = .linear()
    /// Where the legend goes.
    public var legendPlacement: LegendPlacement = .best
    /// Fill opacity of the bars (outlines are opaque), so overlaid histograms show through.
    public var barOpacity: Double = 0.35
    /// The histograms, drawn in order (later ones on top).
    public private(set) var histograms: [Histogram] = []
    private var referenceLines: [ReferenceLine] = []

    /// An empty chart with its titles.
    public init(title: String = "", xLabel: String = "", yLabel: String = "Count") {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// Appends a histogram, drawn above those added before.
    public mutating func add(_ histogram: Histogram) {
        histograms.append(histogram)
    }

    /// Adds a dashed vertical line at data value `x` (such as a pruning threshold), labelled near the top.
    public mutating func verticalLine(x: Double, label: String = "", color: Color = .darkGray) {
        referenceLines.append(ReferenceLine(orientation: .vertical, value: x, label: label, color: color))
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
        let colors = histogramColors
        return try ChartRenderer.render(frame, width: width, height: height, fontPath: fontPath) { canvas, transform in
            for (histogram, color) in zip(histograms, colors) { draw(histogram, color: color, on: &canvas, transform: transform) }
        }
    }

    /// The data → pixel transform `render(width:height:fontPath:)` uses at this size.
    func transform(width: Int, height: Int, fontPath: String = ChartFont.defaultPath) throws(ChartError) -> PlotTransform {
        ChartRenderer.layout(frame, width: width, height: height, font: try FontFace(path: fontPath)).transform
    }

    private var histogramColors: [Color] { Color.assigning(histograms.map(\.color)) }

    private var frame: ChartFrame {
        let legend = zip(histograms, histogramColors).filter { !$0.0.name.isEmpty }.map { histogram, color in
            LegendEntry(name: histogram.name, color: color, swatch: .bar(opacity: barOpacity))
        }
        let logarithmic = yAxis.scale == .logarithmic
        return ChartFrame(
            title: title, xLabel: xLabel, yLabel: yLabel, xAxis: xAxis, yAxis: yAxis,
            xData: histograms.flatMap(\.edges) + referenceLines.filter { $0.orientation == .vertical }.map(\.value),
            yData: histograms.flatMap(\.counts) + (logarithmic ? [] : [0]),
            xPadding: 0.02, yPadding: 0.05, yPinnedLower: logarithmic ? nil : 0,
            referenceLines: referenceLines, legend: legend, legendPlacement: legendPlacement
        )
    }

    /// Bars from the axis bottom (0, or the log axis' lower end) to each count, filled as one
    /// staircase polygon and outlined along their tops.
    private func draw(_ histogram: Histogram, color: Color, on canvas: inout Canvas, transform: PlotTransform) {
        let plot = transform.plot
        let bottom = transform.pixelY(transform.y.logarithmic ? transform.y.range.lowerBound : 0).map { min($0, plot.maxY) } ?? plot.maxY
        // Unplottable counts (≤ 0 on a log axis) sit on the bottom, as empty bins.
        let tops = histogram.counts.map { count in transform.pixelY(count).map { max(min($0, bottom), plot.minY) } ?? bottom }
        let lefts = histogram.edges.map { transform.pixelX($0) ?? plot.minX }
        var outline = [SIMD2(lefts[0], bottom)]
        for bin in histogram.counts.indices {
            outline.append(SIMD2(lefts[bin], tops[bin]))
            outline.append(SIMD2(lefts[bin + 1], tops[bin]))
        }
        outline.append(SIMD2(lefts[histogram.counts.count], bottom))
        // One polygon for all bars, so neighbouring bars meet without anti-aliasing seams.
        canvas.fill(polygon: outline, color: color.opacity(barOpacity * color.alpha), clip: plot)
        canvas.stroke([outline], width: 1.5, color: color, clip: plot.insetBy(-1))
    }
}

/// A waterfall of stages: for each stage, left to right, one bar per series (such as a model
/// file's raw and compressed size after each compression step), labelled above, with a dashed
/// connector from the top of each stage's first bar to the next stage's, so the drop each step
/// buys reads at a glance.
///
/// ```swift
/// var chart = WaterfallChart(title: "Model size by stage", yLabel: "Bytes", series: ["raw", "gzip -9"])
/// chart.yAxis = .logarithmic()
/// chart.add(stage: "dense float32", bars: [.init(1_726_556, label: "1.73 MB"), .init(1_592_214, label: "1.59 MB")])
/// chart.add(stage: "sparse + int8", bars: [.init(112_292, label: "112 kB"), .init(87_542, label: "87.5 kB")])
/// try chart.render(width: 1000, height: 600).writePNG(to: "stages.png")
/// ```
public struct WaterfallChart: Sendable {
    /// One bar: its value and the text above it.
    public struct Bar: Sendable, Equatable {
        /// The bar's height in data units.
        public var value: Double
        /// Text drawn above the bar (may be empty).
        public var label: String

        /// A bar of `value`, labelled `label`.
        public init(_ value: Double, label: String = "") {
            self.value = value
            self.label = label
        }
    }

    /// One stage: its name under the axis and its bars, one per series in series order (a stage
    /// may have fewer bars than there are series; the missing ones are not drawn).
    public struct Stage: Sendable, Equatable {
        public var name: String
        public var bars: [Bar]
    }

    /// Text above the plot.
    public var title: String
    /// Text left of the y axis, reading upwards.
    public var yLabel: String
    /// The series' names, for the legend; bars take the palette's colours in this order.
    public var series: [String]
    /// The value axis: linear from 0 by default; ``Axis/logarithmic(_:)`` for values spanning decades.
    public var yAxis: Axis = .linear()
    /// Where the legend goes.
    public var legendPlacement: LegendPlacement = .best
    /// The stages, left to right.
    public private(set) var stages: [Stage] = []

    /// An empty chart with its titles and series names.
    public init(title: String = "", yLabel: String = "", series: [String] = []) {
        self.title = title
        self.yLabel = yLabel
        self.series = series
    }

    /// Appends a stage on the right.
    public mutating func add(stage name: String, bars: [Bar]) {
        stages.append(Stage(name: name, bars: bars))
    }

    /// Renders the chart.
    ///
    /// - Parameters:
    ///   - width: Image width in pixels.
    ///   - height: Image height in pixels.
    ///   - fontPath: A TrueType font; DejaVu Sans at its Debian path by default.
    /// - Throws: ``ChartError/fontNotFound(path:)`` (naming `fontPath`) and the other font and
    ///   size errors of ``ChartError``.
    public func render(width: Int, height: Int, fontPath: String = ChartFont.defaultPath) throws(ChartError) -> ChartImage {
        let font = try FontFace(path: fontPath)
        let colors = seriesColors
        return try ChartRenderer.render(frame, width: width, height: height, fontPath: fontPath) { canvas, transform in
            draw(on: &canvas, transform: transform, colors: colors, font: font)
        }
    }

    /// The data → pixel transform `render(width:height:fontPath:)` uses at this size.
    func transform(width: Int, height: Int, fontPath: String = ChartFont.defaultPath) throws(ChartError) -> PlotTransform {
        ChartRenderer.layout(frame, width: width, height: height, font: try FontFace(path: fontPath)).transform
    }

    /// The fraction of a stage's slot its bars fill together.
    private static let groupWidth = 0.7

    private var seriesCount: Int { max(series.count, stages.map(\.bars.count).max() ?? 0, 1) }

    private var seriesColors: [Color] { Color.assigning([Color?](repeating: nil, count: seriesCount)) }

    private var frame: ChartFrame {
        let legend = zip(series, seriesColors).map { LegendEntry(name: $0, color: $1, swatch: .bar(opacity: 0.85)) }
        let logarithmic = yAxis.scale == .logarithmic
        return ChartFrame(
            title: title, xLabel: "", yLabel: yLabel, xAxis: .linear(), yAxis: yAxis,
            xData: [], yData: stages.flatMap { $0.bars.map(\.value) } + (logarithmic ? [] : [0]),
            // Room above the tallest bar for its label.
            xPadding: 0, yPadding: logarithmic ? 0.08 : 0.1, yPinnedLower: logarithmic ? nil : 0,
            referenceLines: [], legend: legend, legendPlacement: legendPlacement, xCategories: stages.map(\.name)
        )
    }

    /// The connectors between stages, the bars and their labels.
    private func draw(on canvas: inout Canvas, transform: PlotTransform, colors: [Color], font: FontFace) {
        let plot = transform.plot
        let bottom = transform.pixelY(transform.y.logarithmic ? transform.y.range.lowerBound : 0).map { min($0, plot.maxY) } ?? plot.maxY
        let slot = (transform.pixelX(2) ?? 0) - (transform.pixelX(1) ?? 0)
        let barWidth = slot * Self.groupWidth / Double(seriesCount)
        // Connectors first, so bars and labels are drawn over them: from the top of each stage's
        // first bar, across, down to the next stage's first bar.
        let firstTops = stages.indices.map { index -> SIMD2<Double>? in
            guard let value = stages[index].bars.first?.value, let y = transform.pixelY(value) else { return nil }
            let left = (transform.pixelX(Double(index + 1)) ?? plot.minX) - slot * Self.groupWidth / 2
            return SIMD2(left + barWidth - 2, max(min(y, bottom), plot.minY))
        }
        for index in firstTops.indices.dropFirst() {
            guard let from = firstTops[index - 1], let to = firstTops[index] else { continue }
            let nextLeft = to.x - barWidth + 2
            canvas.stroke([[from, SIMD2(nextLeft, from.y), SIMD2(nextLeft, to.y)]], width: 1, color: Typography.spineColor,
                          dashed: true, clip: plot)
        }
        for (index, stage) in stages.enumerated() {
            let centre = transform.pixelX(Double(index + 1)) ?? plot.minX
            let left = centre - slot * Self.groupWidth / 2
            for (position, bar) in stage.bars.enumerated() {
                let minX = left + Double(position) * barWidth, maxX = minX + barWidth - 2
                // Unplottable values (≤ 0 on a log axis) are not drawn.
                guard let y = transform.pixelY(bar.value) else { continue }
                let top = max(min(y, bottom), plot.minY)
                let rect = [SIMD2(minX, bottom), SIMD2(minX, top), SIMD2(maxX, top), SIMD2(maxX, bottom)]
                canvas.fill(polygon: rect, color: colors[position].opacity(0.85), clip: plot)
                guard !bar.label.isEmpty else { continue }
                let text = font.line(bar.label, size: Typography.annotationSize)
                canvas.draw(text, at: SIMD2((minX + maxX) / 2, max(top - 3, plot.minY + text.height)), anchor: .bottomCenter,
                            color: Typography.labelColor)
            }
        }
    }
}

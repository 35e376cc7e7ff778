/// Everything about a chart except how its data is drawn: the part every chart kind shares.
struct ChartFrame {
    var title: String
    var xLabel: String
    var yLabel: String
    var xAxis: Axis
    var yAxis: Axis
    /// Data values the auto-fitted axes must show.
    var xData: [Double]
    var yData: [Double]
    /// Auto-fit padding, as a fraction of the data span per side.
    var xPadding: Double
    var yPadding: Double
    /// A lower y bound auto-fitting keeps without padding (0 for bars), if any.
    var yPinnedLower: Double?
    var referenceLines: [ReferenceLine]
    var legend: [LegendEntry]
    var legendPlacement: LegendPlacement
    /// Names shown under the x axis at 1, 2, 3, … instead of numeric ticks (bar charts), if any.
    var xCategories: [String]? = nil
}

/// The frame's measured layout at one image size: plot rectangle, axes and the text lines.
struct ChartLayout {
    let width: Int
    let height: Int
    let transform: PlotTransform
    let title: TextLine?
    let xLabel: TextLine?
    let yLabel: TextLine?
    let xTickLabels: [TextLine]
    let yTickLabels: [TextLine]
}

/// Lays out and draws the shared chart frame — grid, axes, ticks, titles, reference lines and
/// legend — around data drawn by the chart kind.
enum ChartRenderer {
    static let margin = 14.0
    static let tickLength = 5.0
    static let tickGap = 4.0

    /// Measures the frame's text and places the plot so nothing is clipped.
    static func layout(_ frame: ChartFrame, width: Int, height: Int, font: FontFace) -> ChartLayout {
        func line(_ text: String, _ size: Int) -> TextLine? { text.isEmpty ? nil : font.line(text, size: size) }
        let title = line(frame.title, Typography.titleSize)
        let xLabel = line(frame.xLabel, Typography.axisLabelSize)
        let yLabel = line(frame.yLabel, Typography.axisLabelSize)
        let tickHeight = font.line("0", size: Typography.tickSize).height

        let top = margin + (title.map { $0.height + 12 } ?? 4)
        let bottom = Double(height) - margin - (xLabel.map { $0.height + 6 } ?? 0) - tickHeight - tickGap - tickLength - 1
        let y = ResolvedAxis(
            frame.yAxis, data: frame.yData, padding: frame.yPadding, pinnedLower: frame.yPinnedLower,
            targetTickCount: max(2, Int((bottom - top) / 70))
        )
        let yTickLabels = y.labels.map { font.line($0, size: Typography.tickSize) }
        let left = margin + (yLabel.map { $0.height + 8 } ?? 0) + (yTickLabels.map(\.width).max() ?? 0)
            + tickGap + tickLength + 1

        var right = Double(width) - margin
        var x = frame.xCategories.map(ResolvedAxis.init(categories:))
            ?? ResolvedAxis(frame.xAxis, data: frame.xData, padding: frame.xPadding, targetTickCount: max(2, Int((right - left) / 100)))
        var xTickLabels = x.labels.map { font.line($0, size: Typography.tickSize) }
        // Fewer ticks while the labels would crowd each other (wider than 60% of their spacing).
        var target = max(2, Int((right - left) / 100))
        while frame.xCategories == nil, target > 2, let widest = xTickLabels.map(\.width).max(),
              widest > 0.6 * (right - left) / Double(max(1, xTickLabels.count)) {
            target -= 1
            x = ResolvedAxis(frame.xAxis, data: frame.xData, padding: frame.xPadding, targetTickCount: target)
            xTickLabels = x.labels.map { font.line($0, size: Typography.tickSize) }
        }
        // Room for half of a last label that sits on the right edge.
        if let last = xTickLabels.last, let fraction = x.fraction(x.ticks.last ?? 0) {
            let overhang = left + fraction * (right - left) + last.width / 2 + 2 - (Double(width) - 4)
            if overhang > 0 { right -= overhang }
        }
        let plot = Rect(minX: left.rounded(), minY: top.rounded(), maxX: right.rounded(), maxY: bottom.rounded())
        return ChartLayout(
            width: width, height: height, transform: PlotTransform(plot: plot, x: x, y: y),
            title: title, xLabel: xLabel, yLabel: yLabel, xTickLabels: xTickLabels, yTickLabels: yTickLabels
        )
    }

    /// Renders the frame with `drawData` drawing the series inside the plot.
    ///
    /// - Throws: ``ChartError/invalidSize(width:height:)``, or the font errors of ``FontFace/init(path:)``.
    static func render(
        _ frame: ChartFrame, width: Int, height: Int, fontPath: String,
        drawData: (inout Canvas, PlotTransform) -> Void
    ) throws(ChartError) -> ChartImage {
        guard width > 0, height > 0 else { throw .invalidSize(width: width, height: height) }
        let font = try FontFace(path: fontPath)
        let layout = layout(frame, width: width, height: height, font: font)
        let transform = layout.transform
        let plot = transform.plot
        var canvas = Canvas(width: width, height: height, background: .white)

        drawGrid(transform, on: &canvas)
        let background = canvas.pixels
        drawData(&canvas, transform)
        for line in frame.referenceLines { draw(line, on: &canvas, transform: transform, font: font) }
        drawAxes(layout, on: &canvas)

        if let title = layout.title {
            let centre = title.width <= plot.width ? plot.minX + plot.width / 2 : Double(width) / 2
            canvas.draw(title, at: SIMD2(centre, margin), anchor: .topCenter, color: Typography.titleColor)
        }
        if let xLabel = layout.xLabel {
            canvas.draw(xLabel, at: SIMD2(plot.minX + plot.width / 2, Double(height) - margin),
                        anchor: .bottomCenter, color: Typography.labelColor)
        }
        if let yLabel = layout.yLabel {
            canvas.drawVertically(yLabel, centeredAt: SIMD2(margin + yLabel.height / 2, plot.minY + plot.height / 2),
                                  color: Typography.labelColor)
        }
        Legend.draw(frame.legend, placement: frame.legendPlacement, on: &canvas, background: background, plot: plot, font: font)
        return canvas.image()
    }

    /// Light grid lines at every tick, one pixel wide on the pixel row/column holding the tick.
    private static func drawGrid(_ transform: PlotTransform, on canvas: inout Canvas) {
        let plot = transform.plot
        for tick in transform.y.ticks {
            guard let y = transform.pixelY(tick)?.rounded(.down), y >= plot.minY, y < plot.maxY else { continue }
            canvas.fill(Rect(minX: plot.minX, minY: y, maxX: plot.maxX, maxY: y + 1), color: Typography.gridColor)
        }
        for tick in transform.x.ticks {
            guard let x = transform.pixelX(tick)?.rounded(.down), x >= plot.minX, x < plot.maxX else { continue }
            canvas.fill(Rect(minX: x, minY: plot.minY, maxX: x + 1, maxY: plot.maxY), color: Typography.gridColor)
        }
    }

    /// Left and bottom spines just outside the plot, outward ticks and tick labels.
    private static func drawAxes(_ layout: ChartLayout, on canvas: inout Canvas) {
        let transform = layout.transform, plot = transform.plot
        canvas.fill(Rect(minX: plot.minX - 1, minY: plot.minY, maxX: plot.minX, maxY: plot.maxY + 1), color: Typography.spineColor)
        canvas.fill(Rect(minX: plot.minX - 1, minY: plot.maxY, maxX: plot.maxX, maxY: plot.maxY + 1), color: Typography.spineColor)
        for (tick, label) in zip(transform.y.ticks, layout.yTickLabels) {
            guard let y = transform.pixelY(tick)?.rounded(.down), y >= plot.minY - 0.5, y <= plot.maxY + 0.5 else { continue }
            let row = min(y, plot.maxY)
            canvas.fill(Rect(minX: plot.minX - 1 - tickLength, minY: row, maxX: plot.minX - 1, maxY: row + 1), color: Typography.spineColor)
            canvas.draw(label, at: SIMD2(plot.minX - 1 - tickLength - tickGap, row + 0.5), anchor: .centerRight, color: Typography.tickColor)
        }
        for (tick, label) in zip(transform.x.ticks, layout.xTickLabels) {
            guard let x = transform.pixelX(tick)?.rounded(.down), x >= plot.minX - 0.5, x <= plot.maxX + 0.5 else { continue }
            let column = max(x, plot.minX - 1)
            canvas.fill(Rect(minX: column, minY: plot.maxY + 1, maxX: column + 1, maxY: plot.maxY + 1 + tickLength), color: Typography.spineColor)
            canvas.draw(label, at: SIMD2(column + 0.5, plot.maxY + 1 + tickLength + tickGap), anchor: .topCenter, color: Typography.tickColor)
        }
    }
}

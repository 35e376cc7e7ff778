/// A dashed line across the plot at a fixed data value, such as a threshold or the step at which
/// pruning begins, with an optional label.
struct ReferenceLine {
    enum Orientation { case vertical, horizontal }

    let orientation: Orientation
    let value: Double
    let label: String
    let color: Color
}

extension ChartRenderer {
    /// Draws `line` through the plot, and its label near the plot's top (vertical lines) or right
    /// edge (horizontal lines) on a translucent white box so grid and data do not obscure it.
    static func draw(_ line: ReferenceLine, on canvas: inout Canvas, transform: PlotTransform, font: FontFace) {
        let plot = transform.plot
        let polyline: [SIMD2<Double>]
        switch line.orientation {
        case .vertical:
            guard let x = transform.pixelX(line.value), x >= plot.minX, x <= plot.maxX else { return }
            polyline = [SIMD2(x, plot.minY), SIMD2(x, plot.maxY)]
        case .horizontal:
            guard let y = transform.pixelY(line.value), y >= plot.minY, y <= plot.maxY else { return }
            polyline = [SIMD2(plot.minX, y), SIMD2(plot.maxX, y)]
        }
        canvas.stroke([polyline], width: 1.5, color: line.color, dashed: true, clip: plot)
        guard !line.label.isEmpty else { return }
        let text = font.line(line.label, size: Typography.annotationSize)
        var anchor: SIMD2<Double>
        var box: Rect
        switch line.orientation {
        case .vertical:
            let x = polyline[0].x
            let fitsRight = x + 6 + text.width + 4 <= plot.maxX
            anchor = SIMD2(fitsRight ? x + 6 : x - 6 - text.width, plot.minY + 6)
        case .horizontal:
            anchor = SIMD2(plot.maxX - 6 - text.width, polyline[0].y - 4 - text.height)
            if anchor.y < plot.minY + 2 { anchor.y = polyline[0].y + 4 }
        }
        box = Rect(minX: anchor.x - 3, minY: anchor.y - 1, maxX: anchor.x + text.width + 3, maxY: anchor.y + text.height + 1)
        canvas.fill(box, color: Color.white.opacity(0.8))
        canvas.draw(text, at: anchor, anchor: .topLeft, color: line.color)
    }
}

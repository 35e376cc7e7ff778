/// Where a chart's legend goes, inside the plotting area.
public enum LegendPlacement: Equatable, Sendable {
    /// The corner or edge position that covers the least drawn data (top right when tied).
    case best
    /// Top-right corner.
    case topRight
    /// Top-left corner.
    case topLeft
    /// Bottom-right corner.
    case bottomRight
    /// Bottom-left corner.
    case bottomLeft
    /// No legend.
    case hidden
}

/// One legend row: a swatch drawn like the series it names.
struct LegendEntry {
    enum Swatch {
        /// A line segment, optionally dashed, with markers, or over a translucent fill.
        case line(width: Double, dashed: Bool, markers: Bool, filled: Bool)
        /// A translucent box with a solid outline, as histogram bars are drawn.
        case bar(opacity: Double)
    }

    let name: String
    let color: Color
    let swatch: Swatch
}

/// Legend layout and drawing.
enum Legend {
    private static let padding = 8.0
    private static let swatchWidth = 28.0
    private static let gap = 8.0
    private static let rowGap = 4.0
    private static let inset = 10.0

    /// Draws `entries` in a light box placed by `placement`. For ``LegendPlacement/best`` each
    /// candidate box is scored by how much its pixels differ from `background` (the canvas before
    /// data was drawn), solid lines weighing more than translucent fills, and the first
    /// least-covering candidate wins.
    static func draw(
        _ entries: [LegendEntry], placement: LegendPlacement, on canvas: inout Canvas,
        background: [Float], plot: Rect, font: FontFace
    ) {
        guard placement != .hidden, !entries.isEmpty else { return }
        let lines = entries.map { font.line($0.name, size: Typography.legendSize) }
        let rowHeight = max(lines.map(\.height).max() ?? 0, 14) + rowGap
        let size = SIMD2(
            2 * padding + swatchWidth + gap + (lines.map(\.width).max() ?? 0),
            2 * padding + rowHeight * Double(entries.count) - rowGap
        )
        let box = place(size: size, placement: placement, canvas: canvas, background: background, plot: plot)
        canvas.fill(box, color: Color.white.opacity(0.88))
        canvas.frame(box, color: Color(hex: 0xCCCCCC))
        for (index, entry) in entries.enumerated() {
            let top = box.minY + padding + Double(index) * rowHeight
            let middle = (top + lines[index].height / 2).rounded(.down) + 0.5
            let left = box.minX + padding
            drawSwatch(entry, left: left, middle: middle, on: &canvas)
            canvas.draw(lines[index], at: SIMD2(left + swatchWidth + gap, top), anchor: .topLeft, color: Typography.labelColor)
        }
    }

    private static func drawSwatch(_ entry: LegendEntry, left: Double, middle: Double, on canvas: inout Canvas) {
        let clip = canvas.bounds
        switch entry.swatch {
        case .line(let width, let dashed, let markers, let filled):
            if filled {
                canvas.fill(Rect(minX: left, minY: middle - 6, maxX: left + swatchWidth, maxY: middle + 6), color: entry.color.opacity(0.2 * entry.color.alpha))
            }
            let segment = [SIMD2(left + 1, middle), SIMD2(left + swatchWidth - 1, middle)]
            canvas.stroke([segment], width: width, color: entry.color, dashed: dashed, clip: clip)
            if markers {
                canvas.composite(CoverageMask(discs: [SIMD2(left + swatchWidth / 2, middle)], radius: 3, clip: clip), color: entry.color)
            }
        case .bar(let opacity):
            let rect = Rect(minX: left + 4, minY: middle - 6.5, maxX: left + swatchWidth - 4, maxY: middle + 6.5)
            canvas.fill(rect, color: entry.color.opacity(opacity))
            canvas.frame(rect, color: entry.color)
        }
    }

    private static func place(
        size: SIMD2<Double>, placement: LegendPlacement, canvas: Canvas, background: [Float], plot: Rect
    ) -> Rect {
        func box(_ fractionX: Double, _ fractionY: Double) -> Rect {
            let x = (plot.minX + inset + (plot.width - 2 * inset - size.x) * fractionX).rounded()
            let y = (plot.minY + inset + (plot.height - 2 * inset - size.y) * fractionY).rounded()
            return Rect(minX: x, minY: y, maxX: x + size.x.rounded(.up), maxY: y + size.y.rounded(.up))
        }
        switch placement {
        case .topRight, .hidden: return box(1, 0)
        case .topLeft: return box(0, 0)
        case .bottomRight: return box(1, 1)
        case .bottomLeft: return box(0, 1)
        case .best:
            let candidates = [box(1, 0), box(0, 0), box(1, 1), box(0, 1), box(0.5, 0), box(1, 0.5), box(0, 0.5), box(0.5, 1), box(0.5, 0.5)]
            var best = candidates[0], bestScore = Float.infinity
            for candidate in candidates {
                let score = drawnWeight(in: candidate, canvas: canvas, background: background)
                if score < bestScore { best = candidate; bestScore = score }
            }
            return best
        }
    }

    /// The summed squared colour change from `background` over every second row and column of
    /// `rect`: squaring makes a solid line count far more than the same area of translucent fill.
    private static func drawnWeight(in rect: Rect, canvas: Canvas, background: [Float]) -> Float {
        guard let visible = rect.intersection(canvas.bounds) else { return 0 }
        let bounds = visible.pixelBounds
        var weight: Float = 0
        for y in stride(from: bounds.y.lowerBound, to: bounds.y.upperBound, by: 2) {
            for x in stride(from: bounds.x.lowerBound, to: bounds.x.upperBound, by: 2) {
                let index = (y * canvas.width + x) * 3
                let change = abs(canvas.pixels[index] - background[index]) + abs(canvas.pixels[index + 1] - background[index + 1])
                    + abs(canvas.pixels[index + 2] - background[index + 2])
                weight += change * change
            }
        }
        return weight
    }
}

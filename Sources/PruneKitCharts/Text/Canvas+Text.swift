/// Where a text's anchor point lies on the text's box.
struct TextAnchor {
    enum Horizontal { case left, center, right }
    enum Vertical { case top, center, baseline, bottom }

    var horizontal: Horizontal
    var vertical: Vertical

    static let topLeft = TextAnchor(horizontal: .left, vertical: .top)
    static let topCenter = TextAnchor(horizontal: .center, vertical: .top)
    static let centerRight = TextAnchor(horizontal: .right, vertical: .center)
    static let bottomCenter = TextAnchor(horizontal: .center, vertical: .bottom)
}

extension Canvas {
    /// Draws `line` so that its `anchor` lands on `point` (rounded to whole pixels, keeping glyphs sharp).
    mutating func draw(_ line: TextLine, at point: SIMD2<Double>, anchor: TextAnchor, color: Color) {
        var mask = line.mask
        let x: Double = switch anchor.horizontal {
        case .left: point.x
        case .center: point.x - line.width / 2
        case .right: point.x - line.width
        }
        let y: Double = switch anchor.vertical {
        case .top: point.y
        case .center: point.y - line.height / 2
        case .baseline: point.y - line.ascender
        case .bottom: point.y - line.height
        }
        mask.originX = Int(x.rounded()) - TextLine.inset
        mask.originY = Int(y.rounded())
        composite(mask, color: color)
    }

    /// Draws `line` turned a quarter turn counter-clockwise (reading upwards), centred on `point`.
    mutating func drawVertically(_ line: TextLine, centeredAt point: SIMD2<Double>, color: Color) {
        var mask = line.mask.rotatedCounterClockwise()
        mask.originX = Int((point.x - Double(mask.width) / 2).rounded())
        mask.originY = Int((point.y - Double(mask.height) / 2).rounded())
        composite(mask, color: color)
    }
}

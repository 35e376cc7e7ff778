/// A single line of text rasterised into a coverage mask whose origin is its top-left corner.
struct TextLine {
    /// The glyph coverage, `ceil(ascender + descender)` rows tall.
    var mask: CoverageMask
    /// Advance width of the text, in pixels (the ink may overhang it by a pixel).
    let width: Double
    /// Distance from the mask's top to the baseline, in pixels.
    let ascender: Double
    /// Distance from the baseline to the mask's bottom, in pixels.
    let descender: Double

    /// Pixels of empty margin left of the pen's start, room for glyphs that overhang to the left.
    static let inset = 1

    var height: Double { ascender + descender }
}

extension FontFace {
    /// The advance width of `text` at `size` pixels, kerning included.
    func width(of text: String, size: Int) -> Double {
        var width = 0.0
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if let previous { width += kerning(previous, scalar, size: size) }
            width += glyph(scalar, size: size).advance.rounded()
            previous = scalar
        }
        return width
    }

    /// `text` laid out on one line at `size` pixels and rasterised.
    func line(_ text: String, size: Int) -> TextLine {
        let (ascender, descender) = lineMetrics(size: size)
        let advance = width(of: text, size: size)
        let baseline = Int(ascender.rounded(.up))
        let width = Int(advance.rounded(.up)) + 2 * TextLine.inset
        let height = baseline + Int(descender.rounded(.up))
        var values = [Float](repeating: 0, count: width * height)
        var pen = Double(TextLine.inset)
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if let previous { pen += kerning(previous, scalar, size: size) }
            let glyph = glyph(scalar, size: size)
            let left = Int(pen.rounded()) + glyph.left
            let top = baseline - glyph.top
            for row in 0..<glyph.rows where (0..<height).contains(top + row) {
                for column in 0..<glyph.width where (0..<width).contains(left + column) {
                    let index = (top + row) * width + left + column
                    let coverage = Float(glyph.coverage[row * glyph.width + column]) / 255
                    values[index] = min(1, values[index] + coverage)
                }
            }
            pen += glyph.advance.rounded()
            previous = scalar
        }
        return TextLine(
            mask: CoverageMask(width: width, height: height, values: values),
            width: advance, ascender: Double(baseline), descender: Double(height - baseline)
        )
    }
}

extension Canvas {
    /// Strokes polylines `width` pixels thick in `color`, clipped to `clip`; a dashed stroke uses
    /// dashes of 3.7 × width and gaps of 1.6 × width plus the round caps (matplotlib's proportions).
    mutating func stroke(_ polylines: [[SIMD2<Double>]], width: Double, color: Color, dashed: Bool = false, clip: Rect) {
        let pieces = dashed
            ? polylines.flatMap { dashes(of: $0, on: 3.7 * width, off: 1.6 * width + width) }
            : polylines
        composite(CoverageMask(stroking: pieces, width: width, clip: clip), color: color)
    }

    /// Fills the closed polygon through `points` in `color`, clipped to `clip`.
    mutating func fill(polygon points: [SIMD2<Double>], color: Color, clip: Rect) {
        composite(CoverageMask(filling: points, clip: clip), color: color)
    }

    /// Outlines `rect` with a one-pixel border inside its edges.
    mutating func frame(_ rect: Rect, color: Color) {
        fill(Rect(minX: rect.minX, minY: rect.minY, maxX: rect.maxX, maxY: rect.minY + 1), color: color)
        fill(Rect(minX: rect.minX, minY: rect.maxY - 1, maxX: rect.maxX, maxY: rect.maxY), color: color)
        fill(Rect(minX: rect.minX, minY: rect.minY + 1, maxX: rect.minX + 1, maxY: rect.maxY - 1), color: color)
        fill(Rect(minX: rect.maxX - 1, minY: rect.minY + 1, maxX: rect.maxX, maxY: rect.maxY - 1), color: color)
    }
}

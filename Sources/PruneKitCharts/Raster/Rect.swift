/// An axis-aligned rectangle in pixel coordinates (y grows downwards); a pixel's centre is at
/// `(column + 0.5, row + 0.5)`.
struct Rect: Equatable {
    var minX: Double
    var minY: Double
    var maxX: Double
    var maxY: Double

    var width: Double { maxX - minX }
    var height: Double { maxY - minY }

    /// The rectangle grown by `amount` on every side (shrunk when negative).
    func insetBy(_ amount: Double) -> Rect {
        Rect(minX: minX + amount, minY: minY + amount, maxX: maxX - amount, maxY: maxY - amount)
    }

    /// The overlap of the two rectangles, or `nil` when they do not overlap.
    func intersection(_ other: Rect) -> Rect? {
        let result = Rect(
            minX: max(minX, other.minX), minY: max(minY, other.minY),
            maxX: min(maxX, other.maxX), maxY: min(maxY, other.maxY)
        )
        return result.minX < result.maxX && result.minY < result.maxY ? result : nil
    }

    /// The whole pixels the rectangle touches: columns `x`, rows `y` (half-open).
    var pixelBounds: (x: Range<Int>, y: Range<Int>) {
        let x0 = Int(minX.rounded(.down)), x1 = Int(maxX.rounded(.up))
        let y0 = Int(minY.rounded(.down)), y1 = Int(maxY.rounded(.up))
        return (x0..<max(x0, x1), y0..<max(y0, y1))
    }
}

extension CoverageMask {
    /// The exact coverage of `rect`: each pixel's overlap area with it.
    init(rectangle rect: Rect) {
        let bounds = rect.pixelBounds
        self.init(columns: bounds.x, rows: bounds.y)
        guard rect.width > 0, rect.height > 0 else { return }
        let columnCoverage = bounds.x.map { x in
            Float(max(0, min(Double(x + 1), rect.maxX) - max(Double(x), rect.minX)))
        }
        for (row, y) in bounds.y.enumerated() {
            let rowCoverage = Float(max(0, min(Double(y + 1), rect.maxY) - max(Double(y), rect.minY)))
            for column in 0..<width {
                values[row * width + column] = rowCoverage * columnCoverage[column]
            }
        }
    }

    /// Filled discs of `radius` at `centers`, their edges anti-aliased over one pixel.
    init(discs centers: [SIMD2<Double>], radius: Double, clip: Rect) {
        guard let box = Self.boundingBox(of: centers, grownBy: radius + 1)?.intersection(clip) else {
            self.init(columns: 0..<0, rows: 0..<0)
            return
        }
        let bounds = box.pixelBounds
        self.init(columns: bounds.x, rows: bounds.y)
        for center in centers {
            let local = Rect(minX: center.x - radius - 1, minY: center.y - radius - 1,
                             maxX: center.x + radius + 1, maxY: center.y + radius + 1)
            guard let area = local.intersection(box) else { continue }
            let pixels = area.pixelBounds
            for y in pixels.y {
                for x in pixels.x {
                    let dx = Double(x) + 0.5 - center.x, dy = Double(y) + 0.5 - center.y
                    let coverage = Float(min(1, max(0, radius + 0.5 - (dx * dx + dy * dy).squareRoot())))
                    let index = (y - originY) * width + (x - originX)
                    values[index] = max(values[index], coverage)
                }
            }
        }
    }

    /// The smallest rectangle holding `points`, grown by `margin`; `nil` for no points.
    static func boundingBox(of points: [SIMD2<Double>], grownBy margin: Double) -> Rect? {
        guard let first = points.first else { return nil }
        var box = Rect(minX: first.x, minY: first.y, maxX: first.x, maxY: first.y)
        for point in points.dropFirst() {
            box.minX = min(box.minX, point.x)
            box.maxX = max(box.maxX, point.x)
            box.minY = min(box.minY, point.y)
            box.maxY = max(box.maxY, point.y)
        }
        return box.insetBy(-margin)
    }
}

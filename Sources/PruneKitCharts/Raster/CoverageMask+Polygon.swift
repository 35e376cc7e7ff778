extension CoverageMask {
    /// The exact anti-aliased coverage of a closed polygon (non-zero winding, self-overlaps counted
    /// once), clipped to `clip`.
    ///
    /// Uses the signed-area accumulation rasteriser of font-rs (R. Levien, 2016): each edge adds its
    /// signed area contribution to the cells it crosses, and a running sum along each row turns the
    /// contributions into coverage.
    init(filling polygon: [SIMD2<Double>], clip: Rect) {
        let clipped = Self.clip(polygon, to: clip)
        guard let box = Self.boundingBox(of: clipped, grownBy: 0) else {
            self.init(columns: 0..<0, rows: 0..<0)
            return
        }
        let bounds = box.pixelBounds
        // One column more than the polygon touches: an edge adds coverage to the cell right of it.
        self.init(columns: bounds.x.lowerBound..<bounds.x.upperBound + 1, rows: bounds.y)
        guard width > 1, height > 0 else { return }
        // One spare cell: an edge on the last row's right border writes just past it.
        var accumulation = [Float](repeating: 0, count: width * height + 1)
        let origin = SIMD2(Double(originX), Double(originY))
        // Mask coordinates, with rounding error of the clipping kept off the mask's edges.
        let local = clipped.map { point in
            SIMD2(min(max(point.x - origin.x, 0), Double(width - 1)), min(max(point.y - origin.y, 0), Double(height)))
        }
        for index in local.indices {
            let p0 = local[index]
            let p1 = local[(index + 1) % local.count]
            Self.accumulateEdge(from: p0, to: p1, width: width, height: height, into: &accumulation)
        }
        var sum: Float = 0
        for index in 0..<width * height {
            sum += accumulation[index]
            values[index] = min(1, abs(sum))
        }
    }

    /// Adds the signed area that edge `p0`–`p1` (mask coordinates) contributes to each cell.
    private static func accumulateEdge(
        from p0: SIMD2<Double>, to p1: SIMD2<Double>, width: Int, height: Int, into cells: inout [Float]
    ) {
        guard p0.y != p1.y else { return }
        let (direction, top, bottom) = p0.y < p1.y ? (1.0, p0, p1) : (-1.0, p1, p0)
        let dxdy = (bottom.x - top.x) / (bottom.y - top.y)
        var x = top.x
        let firstRow = max(0, Int(top.y.rounded(.down)))
        let lastRow = min(height, Int(bottom.y.rounded(.up)))
        guard firstRow < lastRow else { return }
        for row in firstRow..<lastRow {
            let lineStart = row * width
            let dy = min(Double(row + 1), bottom.y) - max(Double(row), top.y)
            let xNext = x + dxdy * dy
            let d = dy * direction
            let (x0, x1) = x < xNext ? (x, xNext) : (xNext, x)
            let x0Floor = x0.rounded(.down)
            let x0i = Int(x0Floor)
            let x1Ceil = x1.rounded(.up)
            let x1i = Int(x1Ceil)
            if x1i <= x0i + 1 {
                let xMid = 0.5 * (x + xNext) - x0Floor
                cells[lineStart + x0i] += Float(d - d * xMid)
                cells[lineStart + x0i + 1] += Float(d * xMid)
            } else {
                let s = 1 / (x1 - x0)
                let x0f = x0 - x0Floor
                let a0 = 0.5 * s * (1 - x0f) * (1 - x0f)
                let x1f = x1 - x1Ceil + 1
                let am = 0.5 * s * x1f * x1f
                cells[lineStart + x0i] += Float(d * a0)
                if x1i == x0i + 2 {
                    cells[lineStart + x0i + 1] += Float(d * (1 - a0 - am))
                } else {
                    let a1 = s * (1.5 - x0f)
                    cells[lineStart + x0i + 1] += Float(d * (a1 - a0))
                    for xi in (x0i + 2)..<(x1i - 1) {
                        cells[lineStart + xi] += Float(d * s)
                    }
                    let a2 = a1 + Double(x1i - x0i - 3) * s
                    cells[lineStart + x1i - 1] += Float(d * (1 - a2 - am))
                }
                cells[lineStart + x1i] += Float(d * am)
            }
            x = xNext
        }
    }

    /// The part of `polygon` inside `rect` (Sutherland–Hodgman, one rectangle side at a time).
    private static func clip(_ polygon: [SIMD2<Double>], to rect: Rect) -> [SIMD2<Double>] {
        // Each side: a test for "inside" and the crossing point of an edge with that side.
        let sides: [(inside: (SIMD2<Double>) -> Bool, axis: Int, value: Double)] = [
            ({ $0.x >= rect.minX }, 0, rect.minX), ({ $0.x <= rect.maxX }, 0, rect.maxX),
            ({ $0.y >= rect.minY }, 1, rect.minY), ({ $0.y <= rect.maxY }, 1, rect.maxY),
        ]
        var points = polygon
        for side in sides {
            guard !points.isEmpty else { break }
            var output: [SIMD2<Double>] = []
            for index in points.indices {
                let current = points[index]
                let previous = points[(index + points.count - 1) % points.count]
                let crossing = { () -> SIMD2<Double> in
                    let t = (side.value - previous[side.axis]) / (current[side.axis] - previous[side.axis])
                    return previous + (current - previous) * t
                }
                if side.inside(current) {
                    if !side.inside(previous) { output.append(crossing()) }
                    output.append(current)
                } else if side.inside(previous) {
                    output.append(crossing())
                }
            }
            points = output
        }
        return points
    }
}

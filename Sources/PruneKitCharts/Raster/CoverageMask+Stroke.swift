extension CoverageMask {
    /// The coverage of thick polylines with round joins and round caps, clipped to `clip`.
    ///
    /// A pixel's coverage is `clamp(width / 2 + 0.5 − d, 0, 1)`, where `d` is the distance from its
    /// centre to the nearest segment: one pixel of linear fall-off centred on the stroke's edge.
    /// Overlapping segments take the maximum, not the sum, so joins and self-crossings of a
    /// translucent line are not darker than the rest of it.
    init(stroking polylines: [[SIMD2<Double>]], width lineWidth: Double, clip: Rect) {
        let halfWidth = lineWidth / 2
        let reach = halfWidth + 1
        guard let box = Self.boundingBox(of: polylines.flatMap { $0 }, grownBy: reach)?.intersection(clip) else {
            self.init(columns: 0..<0, rows: 0..<0)
            return
        }
        let bounds = box.pixelBounds
        self.init(columns: bounds.x, rows: bounds.y)
        for polyline in polylines {
            if polyline.count == 1 {
                stampSegment(from: polyline[0], to: polyline[0], halfWidth: halfWidth, box: box)
            }
            for index in polyline.indices.dropFirst() {
                stampSegment(from: polyline[index - 1], to: polyline[index], halfWidth: halfWidth, box: box)
            }
        }
    }

    /// Raises the coverage of the capsule around segment `a`–`b` (its distance field), visiting
    /// only the band of pixels near the segment: per step along its major axis, the minor-axis
    /// span within `halfWidth + 1.5` pixels (scaled by the slope) of the segment.
    private mutating func stampSegment(from a: SIMD2<Double>, to b: SIMD2<Double>, halfWidth: Double, box: Rect) {
        let delta = b - a
        let lengthSquared = (delta * delta).sum()
        let steep = abs(delta.y) > abs(delta.x)
        // Work in (major, minor) coordinates; swap back when indexing.
        let (majorA, majorB) = steep ? (a.y, b.y) : (a.x, b.x)
        let (minorA, minorB) = steep ? (a.x, b.x) : (a.y, b.y)
        let slope = majorB == majorA ? 0 : (minorB - minorA) / (majorB - majorA)
        let span = (halfWidth + 1.5) * (1 + slope * slope).squareRoot()
        let (majorLimit, minorLimit) = steep ? (box.minY..<box.maxY, box.minX..<box.maxX) : (box.minX..<box.maxX, box.minY..<box.maxY)
        let majorStart = max(Int((min(majorA, majorB) - halfWidth - 1).rounded(.down)), Int(majorLimit.lowerBound.rounded(.down)))
        let majorEnd = min(Int((max(majorA, majorB) + halfWidth + 1).rounded(.up)), Int(majorLimit.upperBound.rounded(.up)))
        guard majorStart < majorEnd else { return }
        let lowMajor = min(majorA, majorB), highMajor = max(majorA, majorB)
        values.withUnsafeMutableBufferPointer { values in
            for major in majorStart..<majorEnd {
                let centre = Double(major) + 0.5
                let along = min(max(centre, lowMajor), highMajor)
                let minorCentre = minorA + (along - majorA) * slope
                let minorStart = max(Int((minorCentre - span).rounded(.down)), Int(minorLimit.lowerBound.rounded(.down)))
                let minorEnd = min(Int((minorCentre + span).rounded(.up)), Int(minorLimit.upperBound.rounded(.up)))
                guard minorStart < minorEnd else { continue }
                for minor in minorStart..<minorEnd {
                    let x = steep ? minor : major, y = steep ? major : minor
                    let p = SIMD2(Double(x) + 0.5, Double(y) + 0.5)
                    let t = lengthSquared == 0 ? 0 : min(1, max(0, ((p - a) * delta).sum() / lengthSquared))
                    let offset = p - (a + t * delta)
                    let distance = (offset * offset).sum().squareRoot()
                    let coverage = Float(halfWidth + 0.5 - distance)
                    guard coverage > 0 else { continue }
                    let index = (y - originY) * width + (x - originX)
                    values[index] = max(values[index], min(1, coverage))
                }
            }
        }
    }
}

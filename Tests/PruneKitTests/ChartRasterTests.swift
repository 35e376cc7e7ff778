import Testing
@testable import PruneKitCharts

@Suite struct ChartRasterTests {
    @Test func polygonCoverageSumsToItsArea() {
        // A triangle with fractional corners: area ½·|cross| = ½ · 30.4 · 20.2 = 307.04.
        let triangle = [SIMD2(10.3, 5.1), SIMD2(40.7, 5.1), SIMD2(10.3, 25.3)]
        let mask = CoverageMask(filling: triangle, clip: Rect(minX: 0, minY: 0, maxX: 100, maxY: 100))
        #expect(abs(Double(mask.values.reduce(0, +)) - 307.04) < 0.01)
        // Clipping to the left half keeps the part with x < 20: area of the triangle minus the
        // similar triangle beyond x = 20 (legs 20.7 and 20.7 · 20.2 / 30.4).
        let clipped = CoverageMask(filling: triangle, clip: Rect(minX: 0, minY: 0, maxX: 20, maxY: 100))
        let beyond = 0.5 * 20.7 * (20.7 * 20.2 / 30.4)
        #expect(abs(Double(clipped.values.reduce(0, +)) - (307.04 - beyond)) < 0.01)
    }

    @Test func rectangleCoverageIsTheOverlap() {
        let mask = CoverageMask(rectangle: Rect(minX: 1.25, minY: 2, maxX: 3.5, maxY: 3))
        #expect(mask.originX == 1 && mask.width == 3 && mask.height == 1)
        #expect(mask.values == [0.75, 1, 0.5])
    }

    @Test func strokeCoversItsWidth() {
        // A horizontal 2-pixel line along y = 10 (a pixel boundary): rows 9 and 10 fully covered,
        // rows 8 and 11 not at all, away from the round caps.
        let mask = CoverageMask(stroking: [[SIMD2(5, 10), SIMD2(45, 10)]], width: 2,
                                clip: Rect(minX: 0, minY: 0, maxX: 50, maxY: 20))
        func coverage(_ x: Int, _ y: Int) -> Float { mask.values[(y - mask.originY) * mask.width + x - mask.originX] }
        #expect(coverage(20, 9) == 1 && coverage(20, 10) == 1)
        #expect(coverage(20, 8) == 0 && coverage(20, 11) == 0)
        // The overlapping segments of a polyline do not add up past full coverage.
        let corner = CoverageMask(stroking: [[SIMD2(5, 5), SIMD2(20, 5), SIMD2(20, 15)]], width: 3,
                                  clip: Rect(minX: 0, minY: 0, maxX: 30, maxY: 30))
        #expect(corner.values.max() == 1)
    }

    @Test func dashesFollowThePattern() {
        // 0…20 with 4 on, 2 off: dashes 0–4, 6–10, 12–16, 18–20.
        let pieces = dashes(of: [SIMD2(0, 0), SIMD2(10, 0), SIMD2(20, 0)], on: 4, off: 2)
        #expect(pieces.map { $0.map(\.x) } == [[0, 4], [6, 10], [12, 16], [18, 20]])
    }

    @Test func rotationTurnsTextToReadUpwards() {
        // 3 wide, 2 tall: its top-left (start of the text) lands bottom-left.
        let mask = CoverageMask(width: 3, height: 2, values: [1, 2, 3, 4, 5, 6]).rotatedCounterClockwise()
        #expect(mask.width == 2 && mask.height == 3)
        #expect(mask.values == [3, 6, 2, 5, 1, 4])
    }
}

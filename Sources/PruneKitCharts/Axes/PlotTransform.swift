/// The data → pixel mapping of a laid-out chart: x grows right, y grows up (pixel rows down).
struct PlotTransform {
    /// The plotting area in pixels.
    let plot: Rect
    let x: ResolvedAxis
    let y: ResolvedAxis

    /// The pixel column (fractional) of data value `value` on the x axis; `nil` when not plottable.
    func pixelX(_ value: Double) -> Double? {
        x.fraction(value).map { plot.minX + $0 * plot.width }
    }

    /// The pixel row (fractional) of data value `value` on the y axis; `nil` when not plottable.
    func pixelY(_ value: Double) -> Double? {
        y.fraction(value).map { plot.maxY - $0 * plot.height }
    }

    /// The pixel position of a data point, or `nil` when either coordinate is not plottable.
    func pixel(x dataX: Double, y dataY: Double) -> SIMD2<Double>? {
        guard let px = pixelX(dataX), let py = pixelY(dataY) else { return nil }
        return SIMD2(px, py)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An ``Axis`` settled for one render: its final range, ticks and tick labels.
struct ResolvedAxis {
    let range: ClosedRange<Double>
    let logarithmic: Bool
    let ticks: [Double]
    let labels: [String]

    /// Settles `axis` over data values `data`.
    ///
    /// Without an explicit range: the data's extent (for log axes, of its positive values), widened
    /// by `padding` of the span on each side (in log space for log axes) unless that side is
    /// `pinnedLower`, which is then used as is. Empty data gives 0…1 (log: 1…10); a single value `v`
    /// gives `v ± 10%` (or ±0.5 around 0).
    init(_ axis: Axis, data: [Double], padding: Double, pinnedLower: Double? = nil, targetTickCount: Int) {
        let logarithmic = axis.scale == .logarithmic
        self.logarithmic = logarithmic
        let usable = data.filter { $0.isFinite && (!logarithmic || $0 > 0) }
        let range: ClosedRange<Double>
        if let explicit = axis.range, explicit.upperBound > explicit.lowerBound,
           !logarithmic || explicit.lowerBound > 0 {
            range = explicit
        } else if let low = usable.min(), let high = usable.max() {
            range = ResolvedAxis.padded(low...high, padding: padding, logarithmic: logarithmic, pinnedLower: pinnedLower)
        } else {
            range = logarithmic ? 1...10 : 0...1
        }
        self.range = range
        if logarithmic {
            ticks = Ticks.logarithmic(in: range, targetCount: targetTickCount)
            labels = TickLabels.logarithmic(ticks, format: axis.format)
        } else {
            let (values, step) = Ticks.linear(in: range, targetCount: targetTickCount)
            ticks = values
            labels = TickLabels.linear(values, step: step, format: axis.format)
        }
    }

    private static func padded(
        _ extent: ClosedRange<Double>, padding: Double, logarithmic: Bool, pinnedLower: Double?
    ) -> ClosedRange<Double> {
        if logarithmic {
            var low = log10(extent.lowerBound), high = log10(extent.upperBound)
            if high - low < 1e-12 { low -= 0.5; high += 0.5 }
            let pad = (high - low) * padding
            let lower = pinnedLower.map { min($0, extent.lowerBound) } ?? pow(10, low - pad)
            return lower...pow(10, high + pad)
        }
        var low = extent.lowerBound, high = extent.upperBound
        if high - low < 1e-12 * max(1, abs(low)) {
            let half = low == 0 ? 0.5 : abs(low) * 0.1
            low -= half
            high += half
        }
        if let pinnedLower { low = min(pinnedLower, low) }
        let pad = (high - low) * padding
        return (pinnedLower == nil ? low - pad : low)...(high + pad)
    }

    /// The fraction 0 … 1 of the way along the axis at which `value` lies (outside 0…1 when out of
    /// range), or `nil` for values a log axis cannot show.
    func fraction(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        if logarithmic {
            guard value > 0 else { return nil }
            return (log10(value) - log10(range.lowerBound)) / (log10(range.upperBound) - log10(range.lowerBound))
        }
        return (value - range.lowerBound) / (range.upperBound - range.lowerBound)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Compact tick label text.
///
/// Numbers show as many decimals as the tick step needs, the same for every label so a column
/// lines up (step 0.25 → `0.25`, `0.50`, `0.75`; step 500 → `1500`). From 10 000 up, values are
/// scaled to `k`, `M` or `G` with the decimals of the scaled step (`15k`, `2.5M`; zero stays `0`).
/// Percent labels multiply by 100 and append `%`. Negative values use the minus sign U+2212.
enum TickLabels {
    /// Labels for `values` spaced `step` apart (linear axes).
    static func linear(_ values: [Double], step: Double, format: Axis.Format) -> [String] {
        switch format {
        case .percent:
            let decimals = self.decimals(for: step * 100)
            return values.map { fixed($0 * 100, decimals: decimals) + "%" }
        case .number:
            let largest = values.map(\.magnitude).max() ?? 0
            let (divisor, suffix) = unit(for: largest)
            let decimals = self.decimals(for: step / divisor)
            return values.map { $0 == 0 ? fixed(0, decimals: decimals) : fixed($0 / divisor, decimals: decimals) + suffix }
        }
    }

    /// Labels for logarithmic ticks, each scaled on its own (`1`, `10`, `100`, `1k`, `10k`, `1M`).
    static func logarithmic(_ values: [Double], format: Axis.Format) -> [String] {
        values.map { value in
            switch format {
            case .percent:
                return fixed(value * 100, decimals: decimals(for: value * 100)) + "%"
            case .number:
                let (divisor, suffix) = value >= 1000 ? unit(for: value, from: 1000) : (1, "")
                return fixed(value / divisor, decimals: decimals(for: value / divisor)) + suffix
            }
        }
    }

    /// The fewest decimals (0 … 12) that write every multiple of `step` exactly.
    static func decimals(for step: Double) -> Int {
        guard step.isFinite, step > 0 else { return 0 }
        var scaled = step
        for decimals in 0...12 {
            if abs(scaled - scaled.rounded()) <= 1e-6 * max(1, scaled) { return decimals }
            scaled *= 10
        }
        return 12
    }

    /// The k/M/G divisor and suffix for a magnitude, used from `threshold` up.
    private static func unit(for magnitude: Double, from threshold: Double = 10_000) -> (Double, String) {
        guard magnitude >= threshold else { return (1, "") }
        if magnitude >= 1e9 { return (1e9, "G") }
        if magnitude >= 1e6 { return (1e6, "M") }
        return (1e3, "k")
    }

    /// `value` with exactly `decimals` fractional digits, minus sign U+2212, no "−0".
    static func fixed(_ value: Double, decimals: Int) -> String {
        let scale = pow(10, Double(decimals))
        let scaled = (value * scale).rounded()
        guard scaled.magnitude < 9e15 else { return "\(value)" }
        let units = Int64(scaled.magnitude)
        let whole = units / Int64(scale), fraction = units % Int64(scale)
        var text = String(whole)
        if decimals > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return scaled < 0 ? "\u{2212}" + text : text
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tick positions at "nice" values: multiples of 1, 2 or 5 × 10ᵏ on linear axes, powers of ten
/// (or 1-2-5 within a decade) on logarithmic ones.
enum Ticks {
    /// Multiples of the smallest step in {1, 2, 5} × 10ᵏ that is at least `span / targetCount`,
    /// lying inside `range` (with a tolerance of 10⁻⁹ steps at both ends).
    ///
    /// For example 0…1 with target 5 gives step 0.2 and 0, 0.2, …, 1; 0…390 with target 8 gives
    /// step 50 and 0, 50, …, 350.
    static func linear(in range: ClosedRange<Double>, targetCount: Int) -> (values: [Double], step: Double) {
        let step = niceStep(span: range.upperBound - range.lowerBound, targetCount: targetCount)
        let first = (range.lowerBound / step - 1e-9).rounded(.up)
        let last = (range.upperBound / step + 1e-9).rounded(.down)
        guard first <= last else { return ([], step) }
        // Snap k·step to the step's decimals so 3 × 0.1 is exactly 0.3.
        let scale = pow(10, Double(TickLabels.decimals(for: step)))
        let values = stride(from: first, through: last, by: 1).map { ($0 * step * scale).rounded() / scale }
        return (values, step)
    }

    /// The smallest of 1, 2, 5 × 10ᵏ that is ≥ `span / targetCount` (a span that is zero or not
    /// finite counts as 1).
    static func niceStep(span: Double, targetCount: Int) -> Double {
        let raw = (span > 0 && span.isFinite ? span : 1) / Double(max(1, targetCount))
        let magnitude = pow(10, log10(raw).rounded(.down))
        for multiple in [1.0, 2, 5] where multiple * magnitude >= raw * (1 - 1e-9) {
            return multiple * magnitude
        }
        return 10 * magnitude
    }

    /// Powers of ten inside the positive `range`, every n-th decade when there would be more than
    /// `targetCount`; when fewer than two decades fall inside, the 1-2-5 values of each decade;
    /// when even those are fewer than two, linear ticks.
    static func logarithmic(in range: ClosedRange<Double>, targetCount: Int) -> [Double] {
        let low = log10(range.lowerBound), high = log10(range.upperBound)
        let firstDecade = Int((low - 1e-9).rounded(.up)), lastDecade = Int((high + 1e-9).rounded(.down))
        let decades = lastDecade - firstDecade + 1
        if decades >= 2 {
            let every = max(1, Int((Double(decades) / Double(max(1, targetCount))).rounded(.up)))
            return stride(from: firstDecade, through: lastDecade, by: every).map { pow(10, Double($0)) }
        }
        let lowest = range.lowerBound * (1 - 1e-9), highest = range.upperBound * (1 + 1e-9)
        var oneTwoFive: [Double] = []
        for decade in Int(low.rounded(.down))...Int(high.rounded(.up)) {
            for multiple in [1.0, 2, 5] {
                let value = multiple * pow(10, Double(decade))
                if value >= lowest && value <= highest { oneTwoFive.append(value) }
            }
        }
        return oneTwoFive.count >= 2 ? oneTwoFive : linear(in: range, targetCount: targetCount).values
    }
}

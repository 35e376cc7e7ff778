/// How one chart axis maps data to position and labels its ticks.
///
/// ```swift
/// chart.yAxis = .percent(0...1)      // fixed range, ticks as "20%"
/// chart.yAxis = .logarithmic()       // auto range over the positive values, decade ticks
/// ```
public struct Axis: Equatable, Sendable {
    /// Linear or base-10 logarithmic position.
    public enum Scale: Equatable, Sendable {
        /// Position proportional to the value.
        case linear
        /// Position proportional to `log10(value)`; values ≤ 0 are not plotted.
        case logarithmic
    }

    /// How tick values are written.
    public enum Format: Equatable, Sendable {
        /// Compact numbers: `0.25`, `500`, `15k`, `2.5M` (k from 10 000 up), `−1` with a true minus.
        case number
        /// Fractions as percentages: `0.2` → `20%`.
        case percent
    }

    /// Linear or logarithmic.
    public var scale: Scale
    /// Tick label style.
    public var format: Format
    /// The visible range; `nil` fits the data with a little padding.
    public var range: ClosedRange<Double>?

    /// An axis from its parts.
    public init(scale: Scale = .linear, format: Format = .number, range: ClosedRange<Double>? = nil) {
        self.scale = scale
        self.format = format
        self.range = range
    }

    /// A linear axis with compact number labels; `nil` range fits the data.
    public static func linear(_ range: ClosedRange<Double>? = nil) -> Axis {
        Axis(scale: .linear, format: .number, range: range)
    }

    /// A linear axis labelled in percent (`0.5` → `50%`); `nil` range fits the data.
    public static func percent(_ range: ClosedRange<Double>? = nil) -> Axis {
        Axis(scale: .linear, format: .percent, range: range)
    }

    /// A base-10 logarithmic axis with decade ticks (`1`, `10`, `100`, `1k`, …), for counts;
    /// values ≤ 0 are skipped. `nil` range fits the positive data.
    public static func logarithmic(_ range: ClosedRange<Double>? = nil) -> Axis {
        Axis(scale: .logarithmic, format: .number, range: range)
    }
}

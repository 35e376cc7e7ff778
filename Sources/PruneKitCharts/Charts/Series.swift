/// One data series of a ``LineChart``.
///
/// ```swift
/// Series(name: "conv2d", points: zip(steps, sparsity).map { ($0, $1) })
/// Series(name: "Schedule target", points: schedule, style: .steps, dashed: true, color: .gray)
/// ```
public struct Series: Sendable {
    /// How the points are joined.
    public enum Style: Equatable, Sendable {
        /// Straight segments between consecutive points.
        case line
        /// A staircase: each value holds until the next point's x (as a pruning schedule does).
        case steps
        /// A line with the area between it and the x axis (or y = 0 when visible) filled translucently.
        case area
    }

    /// Legend text; an empty name keeps the series out of the legend.
    public var name: String
    /// Data points in drawing order; non-finite values (and, on log axes, values ≤ 0) break the line.
    public var points: [(x: Double, y: Double)]
    /// How the points are joined.
    public var style: Style
    /// Whether the line is dashed.
    public var dashed: Bool
    /// The line colour; `nil` takes the next colour of ``Color/palette``.
    public var color: Color?
    /// Line width in pixels.
    public var lineWidth: Double
    /// Whether a small disc marks each point.
    public var markers: Bool

    /// A series from its points and appearance.
    public init(
        name: String, points: [(x: Double, y: Double)], style: Style = .line, dashed: Bool = false,
        color: Color? = nil, lineWidth: Double = 2, markers: Bool = false
    ) {
        self.name = name
        self.points = points
        self.style = style
        self.dashed = dashed
        self.color = color
        self.lineWidth = lineWidth
        self.markers = markers
    }

    /// The points as drawn: for ``Style/steps``, the staircase corners `(xᵢ, yᵢ), (xᵢ₊₁, yᵢ), (xᵢ₊₁, yᵢ₊₁)`.
    var drawnPoints: [(x: Double, y: Double)] {
        guard style == .steps, points.count > 1 else { return points }
        var corners: [(x: Double, y: Double)] = [points[0]]
        for index in points.indices.dropFirst() {
            corners.append((points[index].x, points[index - 1].y))
            corners.append(points[index])
        }
        return corners
    }
}

/// One set of binned counts in a ``HistogramChart``.
public struct Histogram: Sendable {
    /// Legend text; an empty name keeps the histogram out of the legend.
    public var name: String
    /// Bin edges, ascending: bin `i` spans `edges[i] ..< edges[i + 1]`.
    public var edges: [Double]
    /// The count of each bin (`edges.count − 1` of them).
    public var counts: [Double]
    /// Fill and outline colour; `nil` takes the next colour of ``Color/palette``.
    public var color: Color?

    /// A histogram from counts already binned.
    ///
    /// - Precondition: `edges.count == counts.count + 1`.
    public init(name: String, edges: [Double], counts: [Double], color: Color? = nil) {
        precondition(edges.count == counts.count + 1, "a histogram needs one more edge than counts")
        self.name = name
        self.edges = edges
        self.counts = counts
        self.color = color
    }

    /// A histogram of `values` in `binCount` equal bins over `range`; values outside the range,
    /// and NaN, are not counted, and the upper bound falls in the last bin.
    public init(name: String, values: [Double], binCount: Int, range: ClosedRange<Double>, color: Color? = nil) {
        precondition(binCount > 0, "a histogram needs at least one bin")
        let width = (range.upperBound - range.lowerBound) / Double(binCount)
        var counts = [Double](repeating: 0, count: binCount)
        for value in values where range.contains(value) {
            let bin = width > 0 ? Int((value - range.lowerBound) / width) : 0
            counts[min(bin, binCount - 1)] += 1
        }
        let edges = (0...binCount).map { range.lowerBound + Double($0) * width }
        self.init(name: name, edges: edges, counts: counts, color: color)
    }
}

extension ResolvedAxis {
    /// A linear axis for named categories: `categories[i]` is the tick at `i + 1`, and the range
    /// leaves half a slot before the first and after the last.
    init(categories: [String]) {
        range = 0.5 ... Double(max(categories.count, 1)) + 0.5
        logarithmic = false
        ticks = categories.indices.map { Double($0 + 1) }
        labels = categories
    }
}

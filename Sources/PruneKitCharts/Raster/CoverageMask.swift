/// A rectangle of per-pixel coverage (0 … 1) placed on the canvas: what a shape, a stroke or a
/// run of text covers, before it is blended in a colour by ``Canvas/composite(_:color:)``.
struct CoverageMask {
    /// Canvas column of the mask's first column.
    var originX: Int
    /// Canvas row of the mask's first row.
    var originY: Int
    let width: Int
    let height: Int
    /// Row-major coverage, `width * height` values.
    var values: [Float]

    /// An empty (all zero) mask covering `columns × rows` of the canvas.
    init(columns: Range<Int>, rows: Range<Int>) {
        originX = columns.lowerBound
        originY = rows.lowerBound
        width = columns.count
        height = rows.count
        values = [Float](repeating: 0, count: width * height)
    }

    /// A mask whose coverage `values` are already computed, with its top-left at the canvas origin.
    init(width: Int, height: Int, values: [Float]) {
        precondition(values.count == width * height)
        originX = 0
        originY = 0
        self.width = width
        self.height = height
        self.values = values
    }

    /// The mask turned a quarter turn counter-clockwise (text reading bottom to top), keeping its origin.
    func rotatedCounterClockwise() -> CoverageMask {
        var rotated = [Float](repeating: 0, count: values.count)
        // Source (x, y) lands at (y, width - 1 - x) in a mask `height` wide and `width` tall.
        for y in 0..<height {
            for x in 0..<width {
                rotated[(width - 1 - x) * height + y] = values[y * width + x]
            }
        }
        var mask = CoverageMask(width: height, height: width, values: rotated)
        mask.originX = originX
        mask.originY = originY
        return mask
    }
}

/// A rendered chart: 8-bit sRGB pixels, row-major, top row first.
public struct ChartImage: Equatable, Sendable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width * height` RGB triples.
    public let rgb: [UInt8]

    /// An image from its RGB bytes (`width * height * 3` of them).
    public init(width: Int, height: Int, rgb: [UInt8]) {
        precondition(width >= 0 && height >= 0 && rgb.count == width * height * 3, "RGB byte count must be width × height × 3")
        self.width = width
        self.height = height
        self.rgb = rgb
    }

    /// The colour of the pixel in column `x`, row `y` (row 0 at the top).
    public func pixel(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let index = (y * width + x) * 3
        return (rgb[index], rgb[index + 1], rgb[index + 2])
    }
}

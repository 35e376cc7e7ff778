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

    /// A grey-scale image from one byte per pixel (0 black, 255 white), row-major, top row first,
    /// each pixel enlarged to a `scale`×`scale` square: the way to show small rasters such as
    /// MNIST digits.
    ///
    /// - Precondition: `gray.count == width * height` and `scale >= 1`.
    public init(width: Int, height: Int, gray: [UInt8], scale: Int = 1) {
        precondition(width >= 0 && height >= 0 && gray.count == width * height, "grey byte count must be width × height")
        precondition(scale >= 1, "scale must be at least 1")
        var rgb = [UInt8](repeating: 0, count: width * height * scale * scale * 3)
        let outWidth = width * scale
        for y in 0 ..< height * scale {
            for x in 0 ..< outWidth {
                let value = gray[(y / scale) * width + x / scale]
                let index = (y * outWidth + x) * 3
                (rgb[index], rgb[index + 1], rgb[index + 2]) = (value, value, value)
            }
        }
        self.init(width: outWidth, height: height * scale, rgb: rgb)
    }

    /// The colour of the pixel in column `x`, row `y` (row 0 at the top).
    public func pixel(x: Int, y: Int) -> (red: UInt8, green: UInt8, blue: UInt8) {
        let index = (y * width + x) * 3
        return (rgb[index], rgb[index + 1], rgb[index + 2])
    }
}

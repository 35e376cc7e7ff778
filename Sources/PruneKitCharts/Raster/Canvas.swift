/// An opaque RGB raster of floats (0 … 1 per channel) onto which coverage masks are blended with
/// straight-alpha "over" compositing: `pixel += (colour − pixel) · alpha · coverage`.
struct Canvas {
    let width: Int
    let height: Int
    /// Row-major RGB triples.
    private(set) var pixels: [Float]

    /// A canvas filled with `background` (its alpha is ignored).
    init(width: Int, height: Int, background: Color) {
        self.width = width
        self.height = height
        let triple = [Float(background.red), Float(background.green), Float(background.blue)]
        pixels = [Float](unsafeUninitializedCapacity: width * height * 3) { buffer, count in
            for index in 0..<width * height {
                buffer[index * 3] = triple[0]
                buffer[index * 3 + 1] = triple[1]
                buffer[index * 3 + 2] = triple[2]
            }
            count = width * height * 3
        }
    }

    /// The whole canvas as a rectangle.
    var bounds: Rect { Rect(minX: 0, minY: 0, maxX: Double(width), maxY: Double(height)) }

    /// Blends `color` into the canvas wherever `mask` covers it; parts outside the canvas are skipped.
    mutating func composite(_ mask: CoverageMask, color: Color) {
        let x0 = max(0, mask.originX), x1 = min(width, mask.originX + mask.width)
        let y0 = max(0, mask.originY), y1 = min(height, mask.originY + mask.height)
        guard x0 < x1, y0 < y1 else { return }
        let red = Float(color.red), green = Float(color.green), blue = Float(color.blue)
        let alpha = Float(color.alpha)
        let canvasWidth = width
        mask.values.withUnsafeBufferPointer { coverage in
            pixels.withUnsafeMutableBufferPointer { pixels in
                for y in y0..<y1 {
                    let maskRow = (y - mask.originY) * mask.width - mask.originX
                    for x in x0..<x1 {
                        let weight = coverage[maskRow + x] * alpha
                        guard weight > 0 else { continue }
                        let index = (y * canvasWidth + x) * 3
                        pixels[index] += (red - pixels[index]) * weight
                        pixels[index + 1] += (green - pixels[index + 1]) * weight
                        pixels[index + 2] += (blue - pixels[index + 2]) * weight
                    }
                }
            }
        }
    }

    /// Fills `rect` with `color`, anti-aliasing fractional edges (coverage is the pixel's overlap).
    mutating func fill(_ rect: Rect, color: Color) {
        composite(CoverageMask(rectangle: rect), color: color)
    }

    /// The canvas quantised to 8-bit RGB (rounding to nearest).
    func image() -> ChartImage {
        let bytes = pixels.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) }
        return ChartImage(width: width, height: height, rgb: bytes)
    }
}

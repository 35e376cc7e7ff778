import _CLibPNG
import PruneKitFiles

extension ChartImage {
    /// Writes the image as an 8-bit RGB PNG at `path`, atomically with `AtomicFile` (PruneKitFiles): on failure
    /// any existing file at `path` is left as it was.
    ///
    /// - Throws: ``ChartError/cannotWritePNG(path:detail:)``.
    public func writePNG(to path: String) throws(ChartError) {
        let bytes = try pngData(path: path)
        do { try AtomicFile.write(bytes, to: path) } catch { throw .cannotWritePNG(path: path, detail: error.detail) }
    }

    /// Reads an 8-bit PNG from `path`, converting any format to RGB (alpha composed over white).
    ///
    /// - Throws: ``ChartError/cannotReadPNG(path:detail:)``.
    public init(contentsOfPNG path: String) throws(ChartError) {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, path) != 0 else {
            throw .cannotReadPNG(path: path, detail: Self.message(of: &image))
        }
        image.format = png_uint_32(PNG_FORMAT_RGB)
        let width = Int(image.width), height = Int(image.height)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        var white = png_color(red: 255, green: 255, blue: 255)
        let finished = rgb.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, &white, buffer.baseAddress, 0, nil)
        }
        guard finished != 0 else {
            let detail = Self.message(of: &image)
            png_image_free(&image)
            throw .cannotReadPNG(path: path, detail: detail)
        }
        self.init(width: width, height: height, rgb: rgb)
    }

    /// The PNG encoding of the image, by libpng's simplified write API into memory.
    ///
    /// - Parameter path: Only names the destination in errors.
    /// - Throws: ``ChartError/cannotWritePNG(path:detail:)`` for an empty image or when libpng fails.
    public func pngData(path: String = "PNG") throws(ChartError) -> [UInt8] {
        guard width > 0, height > 0 else {
            throw .cannotWritePNG(path: path, detail: "image is empty (\(width)×\(height))")
        }
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(width)
        image.height = png_uint_32(height)
        image.format = png_uint_32(PNG_FORMAT_RGB)
        // Raw size plus room for zlib's stored-block and the PNG chunk overheads; when libpng
        // reports that the buffer is too small it also reports the size it needs, and we retry.
        var capacity = rgb.count + height + rgb.count / 100 + 4096
        for _ in 0..<2 {
            var output = [UInt8](repeating: 0, count: capacity)
            var size = png_alloc_size_t(capacity)
            let succeeded = output.withUnsafeMutableBytes { memory in
                rgb.withUnsafeBytes { pixels in
                    png_image_write_to_memory(&image, memory.baseAddress, &size, 0, pixels.baseAddress, 0, nil)
                }
            }
            if succeeded != 0 {
                output.removeSubrange(Int(size)...)
                return output
            }
            guard Int(size) > capacity else { break }
            capacity = Int(size)
            image.warning_or_error = 0
        }
        let detail = Self.message(of: &image)
        png_image_free(&image)
        throw .cannotWritePNG(path: path, detail: detail)
    }

    /// libpng's error message from a failed simplified-API call.
    private static func message(of image: inout png_image) -> String {
        guard image.warning_or_error & png_uint_32(PNG_IMAGE_ERROR) != 0 else { return "libpng failed without a message" }
        return withUnsafeBytes(of: &image.message) { buffer in
            String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

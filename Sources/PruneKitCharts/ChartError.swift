/// Why a chart could not be rendered, written or read. Every file case names the path at fault.
public enum ChartError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No font file at `path` (on Debian/Ubuntu, DejaVu Sans comes with `fonts-dejavu-core`).
    case fontNotFound(path: String)
    /// FreeType could not open the font at `path`.
    case fontUnreadable(path: String, detail: String)
    /// The requested image size is not positive.
    case invalidSize(width: Int, height: Int)
    /// Encoding or writing the PNG at `path` failed; any existing file there is left unchanged.
    case cannotWritePNG(path: String, detail: String)
    /// The PNG at `path` could not be read or decoded.
    case cannotReadPNG(path: String, detail: String)

    public var description: String {
        switch self {
        case .fontNotFound(let path):
            return "\(path): font file not found (on Debian/Ubuntu install fonts-dejavu-core; or give another TrueType font, "
                + "such as report --font PATH)"
        case .fontUnreadable(let path, let detail):
            return "\(path): cannot load font: \(detail)"
        case .invalidSize(let width, let height):
            return "invalid chart size \(width)×\(height): both sides must be positive"
        case .cannotWritePNG(let path, let detail):
            return "\(path): cannot write PNG: \(detail)"
        case .cannotReadPNG(let path, let detail):
            return "\(path): cannot read PNG: \(detail)"
        }
    }
}

import _CFreeType
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One glyph rasterised by FreeType: an 8-bit coverage bitmap and where it sits relative to the pen.
struct Glyph {
    /// Bitmap columns.
    let width: Int
    /// Bitmap rows.
    let rows: Int
    /// Pen-to-left-edge offset, in pixels.
    let left: Int
    /// Baseline-to-top-edge offset, in pixels (up is positive).
    let top: Int
    /// Horizontal pen advance, in pixels (fractional).
    let advance: Double
    /// Row-major coverage, 0 … 255.
    let coverage: [UInt8]
}

/// A TrueType face opened with FreeType, rendering anti-aliased glyphs (`FT_RENDER_MODE_NORMAL`)
/// at integer pixel sizes and caching them. One instance serves one render on one thread.
final class FontFace {
    private var library: FT_Library?
    private var face: FT_Face?
    private var cache: [GlyphKey: Glyph] = [:]
    private var currentSize = 0

    private struct GlyphKey: Hashable {
        let scalar: UInt32
        let size: Int
    }

    /// Opens the font file at `path`.
    ///
    /// - Throws: ``ChartError/fontNotFound(path:)`` when no file is there,
    ///   ``ChartError/fontUnreadable(path:detail:)`` when it cannot be read or FreeType rejects it.
    init(path: String) throws(ChartError) {
        guard access(path, F_OK) == 0 else { throw .fontNotFound(path: path) }
        guard access(path, R_OK) == 0 else { throw .fontUnreadable(path: path, detail: "no permission to read it") }
        var library: FT_Library?
        let initError = FT_Init_FreeType(&library)
        guard initError == 0 else { throw .fontUnreadable(path: path, detail: "FT_Init_FreeType error \(initError)") }
        self.library = library
        var face: FT_Face?
        let faceError = FT_New_Face(library, path, 0, &face)
        guard faceError == 0, face != nil else {
            throw .fontUnreadable(path: path, detail: "not a font file FreeType can read (FT_New_Face error \(faceError))")
        }
        self.face = face
    }

    deinit {
        if let face { FT_Done_Face(face) }
        if let library { FT_Done_FreeType(library) }
    }

    /// Line metrics at `size` pixels: ascender (up, positive) and descender (down, positive).
    func lineMetrics(size: Int) -> (ascender: Double, descender: Double) {
        select(size: size)
        guard let metrics = face?.pointee.size?.pointee.metrics else { return (Double(size), 0) }
        return (Double(metrics.ascender) / 64, -Double(metrics.descender) / 64)
    }

    /// The horizontal kerning adjustment between two glyphs at `size`, in pixels (usually ≤ 0).
    func kerning(_ left: Unicode.Scalar, _ right: Unicode.Scalar, size: Int) -> Double {
        guard let face, face.pointee.face_flags & FT_Long(FT_FACE_FLAG_KERNING) != 0 else { return 0 }
        select(size: size)
        var vector = FT_Vector()
        let leftIndex = FT_Get_Char_Index(face, FT_ULong(left.value))
        let rightIndex = FT_Get_Char_Index(face, FT_ULong(right.value))
        guard FT_Get_Kerning(face, leftIndex, rightIndex, FT_UInt(FT_KERNING_UNFITTED.rawValue), &vector) == 0 else { return 0 }
        return Double(vector.x) / 64
    }

    /// The rasterised glyph for `scalar` at `size` pixels (the font's `.notdef` box when it has none,
    /// an empty glyph when FreeType fails).
    func glyph(_ scalar: Unicode.Scalar, size: Int) -> Glyph {
        let key = GlyphKey(scalar: scalar.value, size: size)
        if let cached = cache[key] { return cached }
        let glyph = render(scalar, size: size)
        cache[key] = glyph
        return glyph
    }

    private func render(_ scalar: Unicode.Scalar, size: Int) -> Glyph {
        let empty = Glyph(width: 0, rows: 0, left: 0, top: 0, advance: 0, coverage: [])
        guard let face else { return empty }
        select(size: size)
        guard FT_Load_Char(face, FT_ULong(scalar.value), FT_Int32(FT_LOAD_DEFAULT)) == 0,
              let slot = face.pointee.glyph,
              FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL) == 0
        else { return empty }
        let bitmap = slot.pointee.bitmap
        let width = Int(bitmap.width), rows = Int(bitmap.rows), pitch = Int(bitmap.pitch)
        var coverage = [UInt8](repeating: 0, count: width * rows)
        if let buffer = bitmap.buffer, width > 0 {
            for row in 0..<rows {
                // A negative pitch means the rows are stored bottom-up.
                let source = buffer + (pitch >= 0 ? row * pitch : (rows - 1 - row) * -pitch)
                for column in 0..<width { coverage[row * width + column] = source[column] }
            }
        }
        return Glyph(
            width: width, rows: rows,
            left: Int(slot.pointee.bitmap_left), top: Int(slot.pointee.bitmap_top),
            advance: Double(slot.pointee.advance.x) / 64,
            coverage: coverage
        )
    }

    private func select(size: Int) {
        guard size != currentSize, let face else { return }
        FT_Set_Pixel_Sizes(face, 0, FT_UInt(size))
        currentSize = size
    }
}

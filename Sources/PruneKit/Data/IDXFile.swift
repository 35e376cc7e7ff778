/// An array of unsigned bytes in the IDX format MNIST is distributed in.
///
/// The header is the magic number `00 00 08 n` (type 0x08 = unsigned byte, `n` dimensions), then
/// `n` big-endian `UInt32` dimension sizes, then the row-major payload.
struct IDXFile {
    /// The size of each dimension, outermost first.
    var dimensions: [Int]
    /// The row-major payload, `dimensions.reduce(1, *)` bytes.
    var payload: [UInt8]

    /// The IDX element type code for unsigned bytes.
    private static let unsignedByte: UInt8 = 0x08
    /// The names of the IDX element type codes other than unsigned byte.
    private static let otherTypes: [UInt8: String] = [
        0x09: "signed byte", 0x0B: "16-bit integer", 0x0C: "32-bit integer",
        0x0D: "32-bit float", 0x0E: "64-bit float",
    ]

    /// Parses the contents of an IDX file of unsigned bytes with `dimensionCount` dimensions.
    ///
    /// - Parameters:
    ///   - bytes: The uncompressed file contents.
    ///   - dimensionCount: The number of dimensions expected: 3 for images, 1 for labels.
    ///   - file: The name to report in errors.
    /// - Throws: ``DataError/truncated(file:expectedBytes:actualBytes:)`` when the header or payload
    ///   is cut short, ``DataError/oversized(file:expectedBytes:actualBytes:)`` when bytes follow the
    ///   payload, ``DataError/unsupported(file:detail:)`` for elements other than unsigned bytes or
    ///   for dimensions too large to address, ``DataError/badMagic(file:expected:found:)`` otherwise.
    init(bytes: [UInt8], dimensionCount: Int, file: String) throws(DataError) {
        guard bytes.count >= 4 else { throw .truncated(file: file, expectedBytes: 4, actualBytes: bytes.count) }
        let expectedMagic = UInt32(Self.unsignedByte) << 8 | UInt32(dimensionCount)
        let magic = Self.bigEndianUInt32(bytes, at: 0)
        guard magic == expectedMagic else {
            if bytes[0] == 0, bytes[1] == 0, Int(bytes[3]) == dimensionCount, let type = Self.otherTypes[bytes[2]] {
                throw .unsupported(file: file, detail: "IDX elements are \(type)s; only unsigned bytes are read")
            }
            throw .badMagic(file: file, expected: expectedMagic, found: magic)
        }

        let headerSize = 4 + 4 * dimensionCount
        guard bytes.count >= headerSize else {
            throw .truncated(file: file, expectedBytes: headerSize, actualBytes: bytes.count)
        }
        let dimensions = (0..<dimensionCount).map { Int(Self.bigEndianUInt32(bytes, at: 4 + 4 * $0)) }
        var payloadSize = 1
        for dimension in dimensions {
            let (product, overflow) = payloadSize.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= Int.max - headerSize else {
                throw .unsupported(file: file, detail: "dimensions \(dimensions.map(String.init).joined(separator: "×")) "
                                   + "describe more bytes than can be addressed")
            }
            payloadSize = product
        }
        let expectedBytes = headerSize + payloadSize
        if bytes.count < expectedBytes {
            throw .truncated(file: file, expectedBytes: expectedBytes, actualBytes: bytes.count)
        }
        if bytes.count > expectedBytes {
            throw .oversized(file: file, expectedBytes: expectedBytes, actualBytes: bytes.count)
        }
        self.dimensions = dimensions
        self.payload = Array(bytes[headerSize...])
    }

    /// Reads an IDX file, raw or gzip-compressed (recognised by its magic bytes, not its name).
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - dimensionCount: The number of dimensions expected: 3 for images, 1 for labels.
    /// - Throws: ``DataError/missingFile(path:)`` when `path` is not a readable file,
    ///   ``DataError/corruptGzip(file:detail:)`` when its gzip stream is damaged, and the errors of
    ///   ``init(bytes:dimensionCount:file:)``.
    init(contentsOf path: String, dimensionCount: Int) throws(DataError) {
        let contents = try FileAccess.contents(of: path)
        let bytes = Gzip.hasMagic(contents) ? try Gzip.decompress(contents, file: path) : contents
        try self.init(bytes: bytes, dimensionCount: dimensionCount, file: path)
    }

    private static func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset ..< offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

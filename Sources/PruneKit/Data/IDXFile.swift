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

    /// Parses an IDX file of unsigned bytes with `dimensionCount` dimensions, reading no more of
    /// `source` than its header announces plus one byte.
    ///
    /// Before any payload is read, the announced size is checked against the size of the file
    /// (raw) or against what its compressed bytes can inflate to (gzip), and against memory; the
    /// payload buffer is then sized from the header, and reading stops at the first byte past it.
    ///
    /// - Parameters:
    ///   - source: The file's bytes, raw or inflated.
    ///   - dimensionCount: The number of dimensions expected: 3 for images, 1 for labels.
    ///   - compressedBytes: The size of the compressed file, or `nil` when `source` is not compressed.
    ///   - file: The name to report in errors.
    /// - Throws: ``DataError/truncated(file:expectedBytes:actualBytes:)`` when the header or payload
    ///   is cut short, ``DataError/oversized(file:expectedBytes:actualBytes:)`` when bytes follow the
    ///   payload of a raw file and ``DataError/oversizedStream(file:expectedBytes:)`` when they
    ///   follow it in a compressed stream, ``DataError/implausibleSize(file:announcedBytes:detail:)``
    ///   for a size no input of this size or no memory can hold, ``DataError/unsupported(file:detail:)``
    ///   for elements other than unsigned bytes or for dimensions too large to address,
    ///   ``DataError/badMagic(file:expected:found:)`` otherwise; and the errors of `source`.
    init(reading source: inout some ByteSource, dimensionCount: Int, compressedBytes: Int?,
         file: String) throws(DataError) {
        let magicBytes = try source.read(count: 4)
        guard magicBytes.count == 4 else {
            throw .truncated(file: file, expectedBytes: 4, actualBytes: magicBytes.count)
        }
        let expectedMagic = UInt32(Self.unsignedByte) << 8 | UInt32(dimensionCount)
        let magic = Self.bigEndianUInt32(magicBytes, at: 0)
        guard magic == expectedMagic else {
            if magicBytes[0] == 0, magicBytes[1] == 0, Int(magicBytes[3]) == dimensionCount,
               let type = Self.otherTypes[magicBytes[2]] {
                throw .unsupported(file: file, detail: "IDX elements are \(type)s; only unsigned bytes are read")
            }
            throw .badMagic(file: file, expected: expectedMagic, found: magic)
        }

        let headerSize = 4 + 4 * dimensionCount
        let dimensionBytes = try source.read(count: 4 * dimensionCount)
        guard dimensionBytes.count == 4 * dimensionCount else {
            throw .truncated(file: file, expectedBytes: headerSize, actualBytes: 4 + dimensionBytes.count)
        }
        let dimensions = (0..<dimensionCount).map { Int(Self.bigEndianUInt32(dimensionBytes, at: 4 * $0)) }
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
        if let size = source.exactSize {
            if size < expectedBytes { throw .truncated(file: file, expectedBytes: expectedBytes, actualBytes: size) }
            if size > expectedBytes { throw .oversized(file: file, expectedBytes: expectedBytes, actualBytes: size) }
        }
        try AnnouncedSize.check(expectedBytes, maximumBytes: source.maximumSize, compressedBytes: compressedBytes,
                                file: file)

        let payload = try source.read(count: payloadSize)
        guard payload.count == payloadSize else {
            throw .truncated(file: file, expectedBytes: expectedBytes, actualBytes: headerSize + payload.count)
        }
        if try source.hasMoreBytes() {
            throw .oversizedStream(file: file, expectedBytes: expectedBytes)
        }
        self.dimensions = dimensions
        self.payload = payload
    }

    /// Reads an IDX file, raw or gzip-compressed (recognised by its magic bytes, not its name).
    ///
    /// Memory is bounded by the size the header announces, whatever the file holds.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - dimensionCount: The number of dimensions expected: 3 for images, 1 for labels.
    /// - Throws: ``DataError/missingFile(path:)`` when `path` is not a readable file,
    ///   ``DataError/corruptGzip(file:detail:)`` when its gzip stream is damaged, and the errors of
    ///   ``init(reading:dimensionCount:compressedBytes:file:)``.
    init(contentsOf path: String, dimensionCount: Int) throws(DataError) {
        let file = try FileReader(path: path)
        if try file.startsWithGzipMagic() {
            var inflated = try GzipInflater(file, file: path)
            try self.init(reading: &inflated, dimensionCount: dimensionCount, compressedBytes: file.size, file: path)
        } else {
            var raw = file
            try self.init(reading: &raw, dimensionCount: dimensionCount, compressedBytes: nil, file: path)
        }
    }

    private static func bigEndianUInt32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset ..< offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

import _CZlib

/// gzip compression and decompression of whole byte buffers with zlib.
enum Gzip {
    /// The size of the scratch buffer zlib writes into before bytes are appended to the result.
    private static let chunkSize = 1 << 16
    /// The most input handed to zlib at once; `avail_in` is 32 bits wide.
    private static let maxInputChunk = 1 << 30

    /// Whether `bytes` starts with the gzip magic number `1f 8b`.
    static func hasMagic(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Decompresses a complete gzip (or zlib) stream, including concatenated gzip members.
    ///
    /// zlib checks each member's CRC-32 and length trailer, so damaged data is reported rather than
    /// returned.
    ///
    /// - Parameters:
    ///   - bytes: The compressed stream.
    ///   - file: The name to report in errors.
    /// - Throws: ``DataError/corruptGzip(file:detail:)`` on any zlib error, on a stream that ends
    ///   before its last member is complete, and on bytes after a member that do not start another.
    static func decompress(_ bytes: [UInt8], file: String) throws(DataError) -> [UInt8] {
        var stream = z_stream()
        let initStatus = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            throw .corruptGzip(file: file, detail: "zlib could not start inflating (status \(initStatus))")
        }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 4)
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        try bytes.withUnsafeBufferPointer { (input) throws(DataError) in
            var offset = 0
            var member = 1
            while true {
                if stream.avail_in == 0, offset < input.count {
                    let length = min(input.count - offset, maxInputChunk)
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + offset)
                    stream.avail_in = uInt(length)
                    offset += length
                }
                let inputExhausted = stream.avail_in == 0 && offset == input.count
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, out.count - Int(stream.avail_out))
                }
                output.append(contentsOf: chunk[..<produced])
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    if stream.avail_in == 0, offset == input.count { return }
                    inflateReset(&stream)
                    member += 1
                case Z_BUF_ERROR where inputExhausted:
                    throw .corruptGzip(file: file, detail: "stream ends early in member \(member) "
                                       + "after \(input.count) compressed bytes (truncated file?)")
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                    throw .corruptGzip(file: file, detail: "\(message) in member \(member)")
                }
            }
        }
        return output
    }

    /// Compresses `bytes` into a single gzip member.
    ///
    /// - Parameters:
    ///   - bytes: The data to compress.
    ///   - level: The zlib compression level, 0 (store) to 9 (smallest), or -1 for zlib's default.
    /// - Returns: A complete gzip stream that `gzip -d` and ``decompress(_:file:)`` read back.
    static func compress(_ bytes: [UInt8], level: Int32 = 9) -> [UInt8] {
        var stream = z_stream()
        let initStatus = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                       ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(initStatus == Z_OK, "zlib could not start deflating at level \(level) (status \(initStatus))")
        defer { deflateEnd(&stream) }

        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        bytes.withUnsafeBufferPointer { input in
            var offset = 0
            var status = Z_OK
            while status != Z_STREAM_END {
                if stream.avail_in == 0, offset < input.count {
                    let length = min(input.count - offset, maxInputChunk)
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + offset)
                    stream.avail_in = uInt(length)
                    offset += length
                }
                let flush = offset == input.count ? Z_FINISH : Z_NO_FLUSH
                let produced: Int
                (status, produced) = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let status = deflate(&stream, flush)
                    return (status, out.count - Int(stream.avail_out))
                }
                precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR,
                             "zlib deflate failed (status \(status))")
                output.append(contentsOf: chunk[..<produced])
            }
        }
        return output
    }
}

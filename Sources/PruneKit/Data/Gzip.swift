import _CZlib

/// gzip compression with zlib, and the constants that bound what a compressed stream can hold.
enum Gzip {
    /// The size of the scratch buffer zlib writes into before bytes are appended to the result.
    static let chunkSize = 1 << 16
    /// The most input handed to zlib at once; `avail_in` is 32 bits wide.
    static let maxInputChunk = 1 << 30
    /// The most bytes one compressed byte can inflate to: deflate's best case is a 258-byte match
    /// coded in two bits, 1032:1 (zlib's technical details).
    static let maxExpansion = 1032

    /// Whether `bytes` starts with the gzip magic number `1f 8b`.
    static func hasMagic(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0x1F, 0x8B])
    }

    /// The most bytes `compressedBytes` bytes of deflate data can inflate to, or `Int.max` if more.
    static func maximumInflatedSize(ofCompressed compressedBytes: Int) -> Int {
        let (product, overflow) = compressedBytes.multipliedReportingOverflow(by: maxExpansion)
        return overflow ? .max : product
    }

    /// Compresses `bytes` into a single gzip member.
    ///
    /// - Parameters:
    ///   - bytes: The data to compress.
    ///   - level: The zlib compression level, 0 (store) to 9 (smallest), or -1 for zlib's default.
    /// - Returns: A complete gzip stream that `gzip -d` and ``GzipInflater`` read back.
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

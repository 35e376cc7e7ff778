import _CZlib

/// The decompressed bytes of a gzip (or zlib) stream, inflated only as far as they are read.
///
/// Concatenated gzip members are read as one stream, as `gzip -d` does. zlib checks each member's
/// CRC-32 and length trailer when the reader gets that far, so a damaged stream is reported rather
/// than returned; reading to the end (``ByteSource/hasMoreBytes()`` returning `false`) checks them all.
final class GzipInflater<Compressed: ByteSource>: ByteSource {
    private var input: Compressed
    private let file: String
    private let stream: UnsafeMutablePointer<z_stream>
    private let inputBuffer: UnsafeMutableRawBufferPointer
    private var inputExhausted = false
    private var finished = false
    private var member = 1
    /// The number of decompressed bytes produced so far.
    private(set) var producedBytes = 0

    /// Starts inflating `input`.
    ///
    /// - Parameters:
    ///   - input: The compressed stream.
    ///   - file: The name to report in errors.
    /// - Throws: ``DataError/corruptGzip(file:detail:)`` when zlib cannot start.
    init(_ input: Compressed, file: String) throws(DataError) {
        self.input = input
        self.file = file
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        inputBuffer = .allocate(byteCount: Gzip.chunkSize, alignment: 1)
        let status = inflateInit2_(stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            inputBuffer.deallocate()
            throw .corruptGzip(file: file, detail: "zlib could not start inflating (status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        inputBuffer.deallocate()
    }

    var exactSize: Int? { nil }
    var maximumSize: Int { Gzip.maximumInflatedSize(ofCompressed: input.maximumSize) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DataError) -> Int {
        var filled = 0
        while filled < buffer.count, !finished {
            try refillIfEmpty()
            let room = min(buffer.count - filled, Int(UInt32.max))
            stream.pointee.next_out = (buffer.baseAddress! + filled).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(room)
            let status = inflate(stream, Z_NO_FLUSH)
            filled += room - Int(stream.pointee.avail_out)
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                try refillIfEmpty()
                if stream.pointee.avail_in == 0 {
                    finished = true
                } else {
                    inflateReset(stream)
                    member += 1
                }
            case Z_BUF_ERROR where stream.pointee.avail_in == 0 && inputExhausted:
                throw .corruptGzip(file: file, detail: "stream ends early in member \(member) (truncated file?)")
            case Z_BUF_ERROR where stream.pointee.avail_in == 0:
                continue
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw .corruptGzip(file: file, detail: "\(message) in member \(member)")
            }
        }
        producedBytes += filled
        return filled
    }

    /// Hands zlib the next piece of compressed input when it has consumed the last one.
    private func refillIfEmpty() throws(DataError) {
        guard stream.pointee.avail_in == 0, !inputExhausted else { return }
        let count = try input.read(into: inputBuffer)
        if count == 0 { inputExhausted = true }
        stream.pointee.next_in = inputBuffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = uInt(count)
    }
}

import _CZlib

/// The byte layout of a PruneKit model file, format version 2. Integers are little-endian:
///
///     offset       size  field
///     0            8     magic "PRUNEKIT"
///     8            4     UInt32 format version (2; version 1 files are read too)
///     12           4     UInt32 header length H (a multiple of 8)
///     16           8     UInt64 payload length P
///     24           H     JSON header (UTF-8, padded with spaces), see ``CheckpointHeader``
///     24 + H       P     the tensors, each 8-byte aligned, at the offsets and in the layouts the
///                        header lists (``TensorEncoding``: float32, bitmap + values, int8…)
///     24 + H + P   4     CRC-32 (zlib's, as gzip and PNG) of all the bytes before it
///
/// The header length is padded so the payload starts 8-byte aligned and can be mapped as floats.
/// Version 1 is the same layout with every tensor float32 and records without `encoding` and
/// `byteCount`.
/// A reader checks, in order: the magic, the version, the length the preamble announces, then the
/// checksum, so a damaged file is reported as the most specific problem that can be told apart.
enum ModelFileFormat {
    /// The first 8 bytes of every model file.
    static let magic = Array("PRUNEKIT".utf8)
    /// The format version this build writes, the newest it reads.
    static let version: UInt32 = 2
    /// The versions this build reads.
    static let readableVersions: ClosedRange<UInt32> = 1 ... version
    /// Bytes before the header: magic, version, header length, payload length.
    static let preambleSize = 24

    /// A complete file holding `header` (JSON) and `payload`.
    static func encode(header: [UInt8], payload: [UInt8], version: UInt32 = version) -> [UInt8] {
        let paddedHeader = header + Array(repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        var bytes = magic
        bytes.reserveCapacity(preambleSize + paddedHeader.count + payload.count + 4)
        append(version, to: &bytes)
        append(UInt32(paddedHeader.count), to: &bytes)
        append(UInt64(payload.count), to: &bytes)
        bytes += paddedHeader
        bytes += payload
        append(crc32(bytes[...]), to: &bytes)
        return bytes
    }

    /// The header and payload of a file, after checking its framing and checksum.
    ///
    /// - Throws: ``CheckpointError/notAModelFile(path:)``, ``CheckpointError/unsupportedVersion(path:found:supported:)``,
    ///   ``CheckpointError/truncated(path:expectedBytes:actualBytes:)``,
    ///   ``CheckpointError/checksumMismatch(path:stored:computed:)``, or
    ///   ``CheckpointError/malformedHeader(path:detail:)`` for bytes after the checksum.
    static func decode(_ bytes: [UInt8], path: String) throws(CheckpointError) -> (header: ArraySlice<UInt8>, payload: ArraySlice<UInt8>) {
        // A file shorter than the magic that starts like it is a cut-off model file.
        guard bytes.prefix(magic.count).elementsEqual(magic.prefix(bytes.count)) else { throw .notAModelFile(path: path) }
        guard bytes.count >= magic.count + 4 else {
            throw .truncated(path: path, expectedBytes: preambleSize + 4, actualBytes: bytes.count)
        }
        let found = UInt32(littleEndianBytes: bytes[8 ..< 12])
        guard readableVersions.contains(found) else { throw .unsupportedVersion(path: path, found: found, supported: version) }
        guard bytes.count >= preambleSize else {
            throw .truncated(path: path, expectedBytes: preambleSize + 4, actualBytes: bytes.count)
        }
        let headerLength = Int(UInt32(littleEndianBytes: bytes[12 ..< 16]))
        let payloadLength = UInt64(littleEndianBytes: bytes[16 ..< 24])
        // Lengths from a damaged preamble may be absurd: compare without overflowing.
        let (payloadEnd, overflow) = UInt64(preambleSize + headerLength).addingReportingOverflow(payloadLength)
        guard !overflow, payloadEnd <= UInt64(Int.max - 4) else {
            throw .truncated(path: path, expectedBytes: Int.max, actualBytes: bytes.count)
        }
        let expected = Int(payloadEnd) + 4
        guard bytes.count >= expected else { throw .truncated(path: path, expectedBytes: expected, actualBytes: bytes.count) }
        let stored = UInt32(littleEndianBytes: bytes[expected - 4 ..< expected])
        let computed = crc32(bytes[..<(expected - 4)])
        guard stored == computed else { throw .checksumMismatch(path: path, stored: stored, computed: computed) }
        guard bytes.count == expected else {
            throw .malformedHeader(path: path, detail: "\(bytes.count - expected) unexpected bytes after the checksum")
        }
        return (bytes[preambleSize ..< preambleSize + headerLength], bytes[preambleSize + headerLength ..< expected - 4])
    }

    /// zlib's CRC-32 of `bytes`, fed in pieces that fit its 32-bit length.
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            var crc = _CZlib.crc32(0, nil, 0)
            var offset = 0
            while offset < buffer.count {
                let length = min(buffer.count - offset, 1 << 30)
                crc = _CZlib.crc32(crc, buffer.baseAddress! + offset, uInt(length))
                offset += length
            }
            return UInt32(crc)
        }
    }

    private static func append(_ value: some FixedWidthInteger, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}

private extension FixedWidthInteger {
    /// The integer stored little-endian in `bytes` (exactly `bitWidth / 8` of them).
    init(littleEndianBytes bytes: ArraySlice<UInt8>) {
        self = bytes.reversed().reduce(0) { $0 << 8 | Self($1) }
    }
}

/// TFRecord framing, the container format of TensorBoard event files.
///
/// Each record is
///
///     uint64 length            (little-endian)
///     uint32 masked_crc32c(length bytes)
///     byte   data[length]
///     uint32 masked_crc32c(data)
///
/// with checksums from ``CRC32C/masked(_:)``.
enum TFRecord {
    /// The bytes before a record's data: its length and the length's checksum.
    static let headerSize = 12

    /// The bytes after a record's data: the data's checksum.
    static let footerSize = 4

    /// `data` framed as one record.
    static func frame(_ data: [UInt8]) -> [UInt8] {
        var record: [UInt8] = []
        record.reserveCapacity(headerSize + data.count + footerSize)
        let length = littleEndianBytes(UInt64(data.count))
        record += length
        record += littleEndianBytes(CRC32C.masked(CRC32C.checksum(length)))
        record += data
        record += littleEndianBytes(CRC32C.masked(CRC32C.checksum(data)))
        return record
    }

    /// `value` as little-endian bytes.
    private static func littleEndianBytes(_ value: some FixedWidthInteger) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}

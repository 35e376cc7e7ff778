/// A minimal protocol-buffers encoder: just the wire forms TensorBoard's `Event` messages need.
///
/// Fields are appended in call order, which is also the order protobuf's own serializers use when
/// called in field-number order. Each call writes its field even when the value is the proto3
/// default; readers accept explicit defaults.
///
/// - SeeAlso: <https://protobuf.dev/programming-guides/encoding/>
struct ProtobufWriter {
    /// The encoded message so far.
    private(set) var encoded: [UInt8] = []

    /// The wire type in the low three bits of a field's key.
    private enum WireType: UInt64 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5
    }

    /// Appends a base-128 varint, least significant group first.
    private mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            encoded.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        encoded.append(UInt8(value))
    }

    /// Appends a field's key: `(field << 3) | wireType`.
    private mutating func appendKey(_ field: Int, _ wireType: WireType) {
        appendVarint(UInt64(field) << 3 | wireType.rawValue)
    }

    /// Appends `value` as little-endian bytes.
    private mutating func appendLittleEndian(_ value: some FixedWidthInteger) {
        withUnsafeBytes(of: value.littleEndian) { encoded.append(contentsOf: $0) }
    }

    /// Writes an `int64` field (two's complement varint; negative values take ten bytes).
    mutating func int64(_ field: Int, _ value: Int64) {
        appendKey(field, .varint)
        appendVarint(UInt64(bitPattern: value))
    }

    /// Writes a `double` field (fixed64).
    mutating func double(_ field: Int, _ value: Double) {
        appendKey(field, .fixed64)
        appendLittleEndian(value.bitPattern)
    }

    /// Writes a `float` field (fixed32).
    mutating func float(_ field: Int, _ value: Float) {
        appendKey(field, .fixed32)
        appendLittleEndian(value.bitPattern)
    }

    /// Writes a `bytes` field, or an embedded message given its encoding.
    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        appendKey(field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        encoded.append(contentsOf: value)
    }

    /// Writes a `string` field as UTF-8.
    mutating func string(_ field: Int, _ value: String) {
        bytes(field, Array(value.utf8))
    }

    /// Writes an embedded message built by `build`.
    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        build(&nested)
        bytes(field, nested.encoded)
    }

    /// Writes a packed `repeated double` field: one length-delimited run of little-endian fixed64s.
    mutating func packedDoubles(_ field: Int, _ values: [Double]) {
        appendKey(field, .lengthDelimited)
        appendVarint(UInt64(values.count * MemoryLayout<UInt64>.size))
        for value in values { appendLittleEndian(value.bitPattern) }
    }
}

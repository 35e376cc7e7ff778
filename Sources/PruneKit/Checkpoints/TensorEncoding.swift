/// How one tensor's values are laid out in a model file's payload (format version 2; version 1
/// has only ``float32``). `n` is the tensor's element count, `k` the values stored (the record's
/// `nonZeros`), `c` the output channels (the shape's last axis); all numbers little-endian, and
/// each tensor starts 8-byte aligned.
///
///     encoding        bytes                       layout
///     float32         4n                          every value as float32
///     sparseFloat32   4k + ⌈n/8⌉                  the k values whose bit pattern is not 0, then the bitmap
///     mask            ⌈n/8⌉                       the bitmap; set elements are 1.0, the others 0.0
///     int8            4c + n                      c float32 scales, then every value as int8
///     sparseInt8      4c + ⌈n/8⌉ + k              c float32 scales, the bitmap, the k non-zero int8 values
///
/// The bitmap holds one bit per element in row-major order, element `i` in bit `i % 8` (least
/// significant first) of byte `i / 8`; a set bit means the element's value is stored, in element
/// order; the bits after the last element are 0. An int8 value `q` of channel `i % c` stands for
/// `Float(q) · scale` (``Int8Tensor``). A sparse encoding stores exactly the values that are not
/// zero, so every tensor has one encoding of each kind, and float32 ones are bit for bit (−0.0 is
/// stored, being not all zero bits).
enum TensorEncoding: String, Codable, Sendable {
    case float32, sparseFloat32, mask, int8, sparseInt8

    /// Whether the record counts its stored values (`nonZeros`).
    var isSparse: Bool { self == .sparseFloat32 || self == .mask || self == .sparseInt8 }

    /// Whether the values are int8 with per-channel scales.
    var isInt8: Bool { self == .int8 || self == .sparseInt8 }

    /// The bytes of a tensor of `count` elements, `channels` output channels and `nonZeros` stored
    /// values, or `nil` when that overflows.
    func byteCount(count: Int, channels: Int, nonZeros: Int) -> Int? {
        let bitmap = count / 8 + (count % 8 == 0 ? 0 : 1)
        func sum(_ terms: (Int, Int)...) -> Int? {
            var total = 0
            for (factor, value) in terms {
                let (product, overflow) = factor.multipliedReportingOverflow(by: value)
                guard !overflow else { return nil }
                let (next, carry) = total.addingReportingOverflow(product)
                guard !carry else { return nil }
                total = next
            }
            return total
        }
        switch self {
        case .float32: return sum((4, count))
        case .sparseFloat32: return sum((4, nonZeros), (1, bitmap))
        case .mask: return bitmap
        case .int8: return sum((4, channels), (1, count))
        case .sparseInt8: return sum((4, channels), (1, bitmap), (1, nonZeros))
        }
    }
}

/// A tensor's bytes in the payload, with the encoding and stored-value count its record lists.
struct EncodedTensor {
    var encoding: TensorEncoding
    var bytes: [UInt8]
    /// The values a sparse encoding stores; `nil` for dense ones.
    var nonZeros: Int?

    /// `tensor` in the smallest lossless encoding: ``TensorEncoding/mask`` when every value is 0.0
    /// or 1.0, ``TensorEncoding/sparseFloat32`` when that is smaller than ``TensorEncoding/float32``,
    /// else float32; always float32 unless `compact`.
    init(_ tensor: Tensor, compact: Bool) {
        let scalars = tensor.scalars
        let stored = scalars.reduce(0) { $0 + ($1.bitPattern == 0 ? 0 : 1) }
        let isMask = scalars.allSatisfy { $0.bitPattern == 0 || $0.bitPattern == Float(1).bitPattern }
        let count = scalars.count
        if compact && isMask {
            self.init(encoding: .mask, bytes: Self.bitmap(count: count) { scalars[$0].bitPattern != 0 }, nonZeros: stored)
        } else if compact, let sparse = TensorEncoding.sparseFloat32.byteCount(count: count, channels: 0, nonZeros: stored),
                  sparse < 4 * count {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(sparse)
            for value in scalars where value.bitPattern != 0 { Self.append(value.bitPattern, to: &bytes) }
            bytes += Self.bitmap(count: count) { scalars[$0].bitPattern != 0 }
            self.init(encoding: .sparseFloat32, bytes: bytes, nonZeros: stored)
        } else {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(4 * count)
            for value in scalars { Self.append(value.bitPattern, to: &bytes) }
            self.init(encoding: .float32, bytes: bytes, nonZeros: nil)
        }
    }

    /// `tensor` as ``TensorEncoding/sparseInt8`` when `compact` and that is smaller, else as
    /// ``TensorEncoding/int8``.
    init(_ tensor: Int8Tensor, compact: Bool) {
        var bytes: [UInt8] = []
        for scale in tensor.scales { Self.append(scale.bitPattern, to: &bytes) }
        let values = tensor.values, stored = tensor.nonZeroCount
        let sparse = TensorEncoding.sparseInt8.byteCount(count: values.count, channels: tensor.scales.count, nonZeros: stored)!
        if compact && sparse < TensorEncoding.int8.byteCount(count: values.count, channels: tensor.scales.count, nonZeros: 0)! {
            bytes += Self.bitmap(count: values.count) { values[$0] != 0 }
            for value in values where value != 0 { bytes.append(UInt8(bitPattern: value)) }
            self.init(encoding: .sparseInt8, bytes: bytes, nonZeros: stored)
        } else {
            bytes += values.map { UInt8(bitPattern: $0) }
            self.init(encoding: .int8, bytes: bytes, nonZeros: nil)
        }
    }

    private init(encoding: TensorEncoding, bytes: [UInt8], nonZeros: Int?) {
        self.encoding = encoding
        self.bytes = bytes
        self.nonZeros = nonZeros
    }

    /// One bit per element, set where `isSet`.
    private static func bitmap(count: Int, isSet: (Int) -> Bool) -> [UInt8] {
        var bitmap = [UInt8](repeating: 0, count: count / 8 + (count % 8 == 0 ? 0 : 1))
        for index in 0 ..< count where isSet(index) { bitmap[index >> 3] |= 1 << UInt8(index & 7) }
        return bitmap
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
    }
}

extension TensorEncoding {
    /// The float32 values of a tensor of `count` elements and `channels` output channels stored in
    /// `bytes` (exactly ``byteCount(count:channels:nonZeros:)`` of them) in this encoding, after
    /// checking the index data: the bitmap sets exactly `nonZeros` bits and none past the end,
    /// stored values are not zero, int8 values lie in −127…127 and scales are positive and finite.
    ///
    /// - Returns: the values, or why the bytes are not a valid tensor.
    func decode(_ bytes: UnsafeRawBufferPointer, count: Int, channels: Int, nonZeros: Int) -> Result<[Float], DecodingFailure> {
        func float(at offset: Int) -> Float { Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))) }
        func checkBitmap(at start: Int) -> DecodingFailure? {
            let length = count / 8 + (count % 8 == 0 ? 0 : 1)
            var set = 0
            for offset in start ..< start + length { set += bytes[offset].nonzeroBitCount }
            guard set == nonZeros else {
                return .init("the bitmap marks \(set) stored values but the record lists \(nonZeros)")
            }
            if count % 8 != 0, bytes[start + length - 1] >> UInt8(count % 8) != 0 {
                return .init("the bitmap marks elements past the tensor's \(count)")
            }
            return nil
        }
        func isSet(_ bitmap: Int, _ index: Int) -> Bool { bytes[bitmap + index >> 3] & (1 << UInt8(index & 7)) != 0 }
        func scales() -> Result<[Float], DecodingFailure> {
            let scales = (0 ..< channels).map { float(at: 4 * $0) }
            if let bad = scales.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
                return .failure(.init("scale \(scales[bad]) of channel \(bad) is not positive and finite"))
            }
            return .success(scales)
        }
        func int8(_ byte: UInt8, at index: Int) -> Result<Float, DecodingFailure> {
            let value = Int8(bitPattern: byte)
            return value == .min ? .failure(.init("int8 value −128 at element \(index) is outside −127…127")) : .success(Float(value))
        }

        switch self {
        case .float32:
            return .success((0 ..< count).map { float(at: 4 * $0) })
        case .mask:
            if let failure = checkBitmap(at: 0) { return .failure(failure) }
            return .success((0 ..< count).map { isSet(0, $0) ? 1 : 0 })
        case .sparseFloat32:
            let bitmap = 4 * nonZeros
            if let failure = checkBitmap(at: bitmap) { return .failure(failure) }
            var values = [Float](repeating: 0, count: count)
            var next = 0
            for index in 0 ..< count where isSet(bitmap, index) {
                let value = float(at: 4 * next)
                guard value.bitPattern != 0 else { return .failure(.init("stored value \(next) (element \(index)) is zero")) }
                values[index] = value
                next += 1
            }
            return .success(values)
        case .int8:
            return scales().flatMap { scales in
                var values = [Float](repeating: 0, count: count)
                for index in 0 ..< count {
                    switch int8(bytes[4 * channels + index], at: index) {
                    case .success(let q): values[index] = q * scales[index % channels]
                    case .failure(let failure): return .failure(failure)
                    }
                }
                return .success(values)
            }
        case .sparseInt8:
            let bitmap = 4 * channels, stored = bitmap + count / 8 + (count % 8 == 0 ? 0 : 1)
            if let failure = checkBitmap(at: bitmap) { return .failure(failure) }
            return scales().flatMap { scales in
                var values = [Float](repeating: 0, count: count)
                var next = 0
                for index in 0 ..< count where isSet(bitmap, index) {
                    switch int8(bytes[stored + next], at: index) {
                    case .success(0): return .failure(.init("stored value \(next) (element \(index)) is zero"))
                    case .success(let q): values[index] = q * scales[index % channels]
                    case .failure(let failure): return .failure(failure)
                    }
                    next += 1
                }
                return .success(values)
            }
        }
    }

    /// Why a tensor's bytes are not valid in their encoding.
    struct DecodingFailure: Error {
        var detail: String
        init(_ detail: String) { self.detail = detail }
    }
}

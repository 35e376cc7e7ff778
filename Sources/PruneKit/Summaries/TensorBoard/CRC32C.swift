/// CRC-32C (Castagnoli), the checksum TFRecord files use, and TFRecord's masked form of it.
///
/// This is not zlib's `crc32` (polynomial 0x04C11DB7): CRC-32C uses the Castagnoli polynomial
/// 0x1EDC6F41, processed bit-reflected as 0x82F63B78, with initial value and final XOR 0xFFFFFFFF.
/// The check value is `checksum("123456789") == 0xE3069283`.
///
/// - SeeAlso: G. Castagnoli, S. Bräuer, M. Herrmann, "Optimization of Cyclic Redundancy-Check Codes
///   with 24 and 32 Parity Bits", IEEE Transactions on Communications 41(6), 1993.
enum CRC32C {
    /// The reflected Castagnoli polynomial.
    static let polynomial: UInt32 = 0x82F6_3B78

    /// The constant TFRecord adds after rotating a checksum (see ``masked(_:)``).
    static let maskDelta: UInt32 = 0xA282_EAD8

    /// The CRC of every byte value, for processing one byte per table lookup.
    private static let table: [UInt32] = (0...255).map { byte in
        var crc = UInt32(byte)
        for _ in 0..<8 {
            crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1
        }
        return crc
    }

    /// The CRC-32C of `bytes`.
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return ~crc
    }

    /// TFRecord's masked checksum: `((crc >> 15) | (crc << 17)) &+ 0xa282ead8`.
    ///
    /// TFRecord stores masked CRCs so that a CRC computed over data that itself contains CRCs
    /// stays well distributed.
    static func masked(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ maskDelta
    }
}

import Testing
@testable import PruneKit

@Suite struct CRC32CTests {
    /// The standard check value of CRC-32C (RFC 3720, appendix B.4, and every CRC catalogue).
    @Test func checkValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    /// RFC 3720 B.4: 32 bytes of zeros, of 0xFF, ascending and descending.
    @Test func iSCSIVectors() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
    }

    /// No bytes: the initial value XOR the final value.
    @Test func emptyInput() {
        #expect(CRC32C.checksum([UInt8]()) == 0)
    }

    /// Masking rotates right by 15 and adds 0xa282ead8 modulo 2³².
    @Test func masking() {
        // 0xE3069283 rotated right by 15 is 0x2507C60D; plus 0xA282EAD8 is 0xC78AB0E5.
        #expect(CRC32C.masked(0xE306_9283) == 0xC78A_B0E5)
        // Zero rotates to zero, leaving the delta; the addition wraps rather than traps.
        #expect(CRC32C.masked(0) == 0xA282_EAD8)
        #expect(CRC32C.masked(0xFFFF_FFFF) == 0xA282_EAD7)
    }
}

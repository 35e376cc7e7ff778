/// The 64-bit FNV-1a hash of some bytes, as 16 hex digits: a page records it for its notebook's
/// source so that a stale page can be detected. It detects changes; it is not a cryptographic hash.
///
///     h₀ = 0xcbf29ce484222325;  hᵢ₊₁ = (hᵢ xor byteᵢ) · 0x100000001b3  (mod 2⁶⁴)
public func sourceHash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    let digits = String(hash, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}

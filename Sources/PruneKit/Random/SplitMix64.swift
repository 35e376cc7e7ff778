/// A small, fast, seedable random number generator (Steele, Lea & Flood, "Fast splittable
/// pseudorandom number generators", OOPSLA 2014).
///
/// Every random choice in PruneKit (initialisation, shuffling, dropout) draws from a `SplitMix64`
/// derived from a user seed, so the same seed gives the same run.
public struct SplitMix64: RandomNumberGenerator, Sendable, Codable, Equatable {
    /// The generator's whole state; saving it and restoring it resumes the same sequence.
    public var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The SplitMix64 finaliser: a bijective hash of 64 bits with good avalanche. Used directly as a
    /// counter-based generator (`mix(key &+ index)`) where work is split across threads, so that
    /// results do not depend on how the work was split.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform `Float` in [0, 1) with 24 random bits, from 64 random bits.
    @inlinable
    public static func unitFloat(_ bits: UInt64) -> Float {
        Float(bits >> 40) * 0x1p-24
    }
}

import _PruneKitKernels

/// Inverted dropout, as Keras's `Dropout(rate)`: while training, each value is zeroed with
/// probability `rate` and the survivors are scaled by `1 / (1 − rate)`; at inference it is the identity.
///
/// The keep decision of value `i` is `uniform(hash(i, key)) ≥ rate`, with `uniform` a 24-bit
/// uniform in [0, 1) and `hash` two rounds of MurmurHash3's 32-bit finaliser keyed by the batch's
/// random key: a counter-based draw, so it is the same on any number of threads, vectorises, and is
/// recomputed in the backward pass instead of being stored.
public struct Dropout: Layer {
    /// The fraction of values dropped, in [0, 1).
    public let rate: Float

    /// Creates a dropout layer that drops the fraction `rate` of its inputs while training.
    public init(_ rate: Float) {
        precondition(rate >= 0 && rate < 1, "Dropout rate must be in [0, 1), got \(rate)")
        self.rate = rate
    }

    public var typeName: String { "Dropout" }
    public var namePrefix: String { "dropout" }

    public func outputShape(for inputShape: [Int]) throws(ModelError) -> [Int] { inputShape }

    /// Values per parallel piece.
    private static let blockSize = 1 << 16

    public func forward(_ pass: ForwardPass) {
        guard pass.training, rate > 0 else {
            pass.output.baseAddress!.update(from: pass.input.baseAddress!, count: pass.output.count)
            return
        }
        scale(pass.input.baseAddress!, into: pass.output.baseAddress!, count: pass.output.count, key: pass.randomKey)
    }

    public func backward(_ pass: BackwardPass) {
        guard let inputGradient = pass.inputGradient else { return }
        scale(pass.outputGradient.baseAddress!, into: inputGradient.baseAddress!, count: inputGradient.count,
              key: pass.randomKey)
    }

    /// `destination[i] = source[i] · (kept(i) ? 1 / (1 − rate) : 0)` (``pk_dropout_scale``).
    private func scale(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, count: Int, key: UInt64) {
        let keptScale = 1 / (1 - rate)
        // uniform ≥ rate  ⇔  u ≥ threshold for the 24-bit integer u = bits >> 8 and
        // threshold = ⌈rate · 2²⁴⌉  ⇔  bit 24 of u + 2²⁴ − threshold is set: a branch-free test.
        let offset = (1 << 24) - UInt32((Double(rate) * 0x1p24).rounded(.up))
        let (low, high) = (UInt32(truncatingIfNeeded: key), UInt32(truncatingIfNeeded: key >> 32))
        let blocks = Parallel.ranges(count, size: Self.blockSize)
        Parallel.forEach(blocks.count) { index in
            let start = blocks[index].lowerBound
            pk_dropout_scale(source + start, destination + start, blocks[index].count,
                             UInt32(truncatingIfNeeded: start), low, high, offset, keptScale)
        }
    }
}

// MARK: - Configuration

extension Dropout: SavableLayer {
    /// `rate`, as Keras's `Dropout.get_config()`.
    public struct Configuration: Codable, Equatable, Sendable, CustomStringConvertible {
        /// The fraction of values dropped while training, in [0, 1).
        public var rate: Float
        /// The configuration as Swift code would create the layer.
        public var description: String { "Dropout(\(rate))" }
    }

    public static var configurationKey: String { "dropout" }
    public var configuration: Configuration { Configuration(rate: rate) }

    /// A Dropout layer with this configuration and no parameters yet.
    ///
    /// - Throws: ``ModelError/invalidConfiguration(layer:reason:)`` for a rate outside [0, 1).
    public init(configuration: Configuration) throws(ModelError) {
        guard configuration.rate >= 0 && configuration.rate < 1 else {
            throw .invalidConfiguration(layer: "Dropout", reason: "rate \(configuration.rate) is outside [0, 1)")
        }
        self.init(configuration.rate)
    }
}

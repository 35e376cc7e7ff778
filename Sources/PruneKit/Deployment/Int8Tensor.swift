/// A kernel quantized to int8, symmetrically, with one scale per output channel: TFLite's
/// post-training weight quantization (and ONNX's `DequantizeLinear` with a zero point of 0).
///
/// The output channel is the last axis of a Keras kernel (`[kh, kw, in, out]` for ``Conv2D``,
/// `[in, out]` for ``Dense``). For channel `c`, with `m` the largest `|w|` of that channel:
///
///     scale[c] = m / 127            (1 when the channel is all zeros)
///     q        = round(w / scale[c]) clamped to −127…127, ties away from zero
///     w'       = Float(q) · scale[c]
///
/// Zeros stay zeros, so a pruned kernel keeps its sparsity; −128 is never used, so the range is
/// symmetric. Every value is at most `scale[c] / 2` from the original.
public struct Int8Tensor: Sendable, Equatable {
    /// The kernel's shape.
    public let shape: [Int]
    /// The quantized values, in the tensor's row-major order.
    public let values: [Int8]
    /// One positive, finite scale per output channel (the last axis).
    public let scales: [Float]

    /// The largest quantized magnitude.
    public static let maximum: Int8 = 127

    /// Quantizes `tensor` per output channel, or returns `nil` when it holds an infinite or NaN
    /// value (which has no int8 scale) or has no axes.
    public init?(quantizing tensor: Tensor) {
        guard let channels = tensor.shape.last, channels > 0, tensor.scalars.allSatisfy(\.isFinite) else { return nil }
        var largest = [Float](repeating: 0, count: channels)
        for (index, value) in tensor.scalars.enumerated() {
            largest[index % channels] = max(largest[index % channels], abs(value))
        }
        let scales = largest.map { $0 == 0 ? 1 : $0 / Float(Self.maximum) }
        let limit = Float(Self.maximum)
        let values = tensor.scalars.enumerated().map { index, value in
            Int8(min(max((value / scales[index % channels]).rounded(.toNearestOrAwayFromZero), -limit), limit))
        }
        self.init(shape: tensor.shape, values: values, scales: scales)
    }

    /// A quantized tensor from its parts, which the caller has checked fit together: values for
    /// every element of `shape`, within ±127, and a positive finite scale for each channel.
    init(shape: [Int], values: [Int8], scales: [Float]) {
        self.shape = shape
        self.values = values
        self.scales = scales
    }

    /// The float32 weights the int8 values stand for: `Float(q) · scale[channel]`, as ONNX's
    /// `DequantizeLinear` computes them.
    public var dequantized: Tensor {
        let channels = scales.count
        return Tensor(shape: shape, scalars: values.enumerated().map { Float($1) * scales[$0 % channels] })
    }

    /// The number of values that are not zero.
    public var nonZeroCount: Int { values.reduce(0) { $0 + ($1 == 0 ? 0 : 1) } }
}

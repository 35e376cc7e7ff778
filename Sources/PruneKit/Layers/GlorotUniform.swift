/// Keras's default kernel initialiser: uniform in `[−limit, limit]` with
/// `limit = sqrt(6 / (fanIn + fanOut))` (Glorot & Bengio, AISTATS 2010).
///
/// For a Conv2D kernel `[kh, kw, cin, cout]`, `fanIn = kh·kw·cin` and `fanOut = kh·kw·cout`;
/// for a Dense kernel `[inputs, units]`, `fanIn = inputs` and `fanOut = units`.
public struct GlorotUniform: Sendable {
    /// Inputs per output unit: the kernel's receptive field × input channels.
    public let fanIn: Int
    /// Outputs per input unit: the kernel's receptive field × output channels.
    public let fanOut: Int

    /// The fans of a kernel shape, with Keras's rule (receptive field × channels).
    public init(kernelShape shape: [Int]) {
        precondition(shape.count >= 2, "a kernel has at least 2 dimensions")
        let receptiveField = shape.dropLast(2).reduce(1, *)
        fanIn = receptiveField * shape[shape.count - 2]
        fanOut = receptiveField * shape[shape.count - 1]
    }

    /// The bound of the uniform distribution.
    public var limit: Float { Float((6.0 / Double(fanIn + fanOut)).squareRoot()) }

    /// A kernel of the given shape drawn from the distribution.
    public func kernel(shape: [Int], generator: inout SplitMix64) -> Tensor {
        let limit = self.limit
        let count = shape.reduce(1, *)
        let scalars = (0 ..< count).map { _ in (SplitMix64.unitFloat(generator.next()) * 2 - 1) * limit }
        return Tensor(shape: shape, scalars: scalars)
    }
}

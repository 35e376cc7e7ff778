/// A dense, row-major array of `Float` values with a shape, stored as a value type.
///
/// Image batches use Keras's channels-last layout, `[batch, height, width, channels]` (NHWC);
/// Conv2D kernels are `[kernelHeight, kernelWidth, inputChannels, filters]` and Dense kernels
/// `[inputs, units]`, exactly as TensorFlow stores them, so masks and weights line up with tfmot's.
public struct Tensor: Sendable, Equatable, Codable {
    /// The extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public var scalars: [Float]

    /// Creates a tensor from its shape and row-major elements.
    ///
    /// - Precondition: `scalars.count` equals the product of `shape`.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative dimension")
        precondition(scalars.count == shape.reduce(1, *),
                     "Tensor shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor of the given shape with every element set to `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
    }

    /// Creates a tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(repeating: 0, shape: shape)
    }

    /// The number of elements.
    public var count: Int { scalars.count }

    /// The same elements under another shape with the same element count.
    public func reshaped(to newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// The number of elements that are exactly zero (`-0.0` included).
    public var zeroCount: Int {
        scalars.withUnsafeBufferPointer { Elementwise.countZeros($0.baseAddress, count: $0.count) }
    }

    /// The number of elements that are not zero.
    public var nonZeroCount: Int { count - zeroCount }

    /// The fraction of elements that are exactly zero (0 for an empty tensor).
    public var zeroFraction: Double {
        count == 0 ? 0 : Double(zeroCount) / Double(count)
    }
}

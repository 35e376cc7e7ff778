/// How a model file stores its tensors (see `TensorEncoding` for the byte layouts).
///
/// The default, ``sparse-swift.type.property``, is lossless: a tensor with enough zeros (a pruned kernel) is stored
/// as a bitmap of its non-zero positions and those values, a pruning mask as a bitmap, anything
/// else as float32; the model loads back bit for bit. ``sparseInt8`` also quantizes every
/// ``Conv2D`` and ``Dense`` kernel to int8 per output channel (``Int8Tensor``), so the loaded model
/// is ``Sequential/quantizedToInt8()``, bit for bit. ``dense`` stores every value as float32,
/// zeros included (the size of a version-1 file).
public struct ModelFileEncoding: Sendable, Hashable, Codable {
    /// The number format of the Conv2D and Dense kernels.
    public enum KernelPrecision: String, Sendable, Hashable, Codable {
        /// Float32, as trained.
        case float32
        /// Int8 per output channel, symmetric, with float32 scales.
        case int8
    }

    /// Whether tensors are stored in the smallest lossless layout (bitmap + values when that is
    /// smaller, bitmaps for masks) rather than value by value.
    public var sparse: Bool
    /// The number format of the kernels.
    public var kernelPrecision: KernelPrecision

    /// An encoding; by default sparse float32.
    public init(sparse: Bool = true, kernelPrecision: KernelPrecision = .float32) {
        self.sparse = sparse
        self.kernelPrecision = kernelPrecision
    }

    /// Every value as float32.
    public static let dense = ModelFileEncoding(sparse: false)
    /// Lossless: zeros left out of tensors where that is smaller (the default).
    public static let sparse = ModelFileEncoding()
    /// Kernels quantized to int8 and stored sparse.
    public static let sparseInt8 = ModelFileEncoding(kernelPrecision: .int8)
}

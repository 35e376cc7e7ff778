import _PruneKitKernels

/// Max pooling over non-overlapping windows, as Keras's `MaxPooling2D(pool_size)` with
/// `strides = pool_size` and `valid` padding (a trailing row or column that does not fill a window is
/// dropped).
///
/// The gradient of each window goes to its maximum (the first one in row-major order on ties); the
/// position is found again from the stored input and output rather than kept from the forward pass.
public struct MaxPool2D: Layer {
    /// The window, `(height, width)`, which is also the stride.
    public let poolSize: (height: Int, width: Int)

    /// Creates a pooling layer with a square `poolSize × poolSize` window.
    public init(poolSize: Int = 2) {
        self.init(poolSize: (poolSize, poolSize))
    }

    /// Creates a pooling layer with a `height × width` window.
    public init(poolSize: (height: Int, width: Int)) {
        precondition(poolSize.height > 0 && poolSize.width > 0, "MaxPool2D needs a positive pool size")
        self.poolSize = poolSize
    }

    public var typeName: String { "MaxPooling2D" }
    public var namePrefix: String { "max_pooling2d" }

    public func outputShape(for inputShape: [Int]) throws(ModelError) -> [Int] {
        guard inputShape.count == 3 else {
            throw .incompatibleShape(layer: typeName, inputShape: inputShape, reason: "expects [height, width, channels]")
        }
        let height = inputShape[0] / poolSize.height, width = inputShape[1] / poolSize.width
        guard height > 0, width > 0 else {
            throw .incompatibleShape(layer: typeName, inputShape: inputShape,
                                     reason: "smaller than the \(poolSize.height)×\(poolSize.width) pool")
        }
        return [height, width, inputShape[2]]
    }

    public func forward(_ pass: ForwardPass) {
        let window = Window(pass.inputShape, pass.outputShape)
        Parallel.forEach(pass.batchSize) { sample in
            pk_maxpool_forward(pass.input.baseAddress! + sample * window.inputSize,
                               pass.output.baseAddress! + sample * window.outputSize,
                               window.inputWidth, window.channels, window.outputHeight, window.outputWidth,
                               poolSize.height, poolSize.width)
        }
    }

    public func backward(_ pass: BackwardPass) { backward(pass, throughReLU: false) }

    /// The backward pass; with `throughReLU`, the input is a ReLU's output and the gradient is
    /// taken on through that ReLU in the same pass (an output's gradient is placed only when the
    /// output is above 0), with the bits of the two backward passes run one after the other. The
    /// layer below then gets a pre-activation gradient (``BackwardPass/gradientIsPreActivation``).
    func backward(_ pass: BackwardPass, throughReLU: Bool) {
        guard let inputGradient = pass.inputGradient else { return }
        let window = Window(pass.inputShape, pass.outputShape)
        Parallel.forEach(pass.batchSize) { sample in
            pk_maxpool_backward(pass.input.baseAddress! + sample * window.inputSize,
                                pass.output.baseAddress! + sample * window.outputSize,
                                pass.outputGradient.baseAddress! + sample * window.outputSize,
                                inputGradient.baseAddress! + sample * window.inputSize,
                                window.inputSize, window.inputWidth, window.channels,
                                window.outputHeight, window.outputWidth, poolSize.height, poolSize.width,
                                throughReLU ? 1 : 0)
        }
    }

    /// Sizes of one sample's input and output.
    private struct Window {
        let inputSize: Int, outputSize: Int, channels: Int
        let outputHeight: Int, outputWidth: Int, inputWidth: Int

        init(_ inputShape: [Int], _ outputShape: [Int]) {
            inputSize = inputShape.reduce(1, *)
            outputSize = outputShape.reduce(1, *)
            channels = inputShape[2]
            inputWidth = inputShape[1]
            (outputHeight, outputWidth) = (outputShape[0], outputShape[1])
        }
    }
}

// MARK: - Configuration

extension MaxPool2D: SavableLayer {
    /// `poolSize` as `[height, width]`, as Keras's `MaxPooling2D.get_config()`.
    public struct Configuration: Codable, Equatable, Sendable, CustomStringConvertible {
        /// The window and stride, `[height, width]`.
        public var poolSize: [Int]
        /// The configuration as Swift code would create the layer.
        public var description: String { "MaxPool2D(poolSize: \(poolSize))" }
    }

    public static var configurationKey: String { "maxPool2D" }
    public var configuration: Configuration { Configuration(poolSize: [poolSize.height, poolSize.width]) }

    /// A MaxPool2D layer with this configuration and no parameters yet.
    ///
    /// - Throws: ``ModelError/invalidConfiguration(layer:reason:)`` unless the pool has two sides of at least 1.
    public init(configuration: Configuration) throws(ModelError) {
        let size = configuration.poolSize
        guard size.count == 2, size.allSatisfy({ $0 > 0 }) else {
            throw .invalidConfiguration(layer: "MaxPool2D", reason: "poolSize \(size) must be two sides of at least 1")
        }
        self.init(poolSize: (size[0], size[1]))
    }
}

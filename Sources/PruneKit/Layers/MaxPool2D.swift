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
        let window = Window(pass.inputShape, pass.outputShape, poolSize: poolSize)
        Parallel.forEach(pass.batchSize) { sample in
            let input = pass.input.baseAddress! + sample * window.inputSize
            let output = pass.output.baseAddress! + sample * window.outputSize
            window.forEachOutputPixel { outputOffset, inputOffsets in
                let maximum = output + outputOffset
                maximum.update(from: input + inputOffsets[0], count: window.channels)
                for offset in inputOffsets.dropFirst() {
                    let candidate = input + offset
                    for c in 0 ..< window.channels where candidate[c] > maximum[c] { maximum[c] = candidate[c] }
                }
            }
        }
    }

    public func backward(_ pass: BackwardPass) {
        guard let inputGradient = pass.inputGradient else { return }
        let window = Window(pass.inputShape, pass.outputShape, poolSize: poolSize)
        Parallel.forEach(pass.batchSize) { sample in
            let input = pass.input.baseAddress! + sample * window.inputSize
            let output = pass.output.baseAddress! + sample * window.outputSize
            let outputGradient = pass.outputGradient.baseAddress! + sample * window.outputSize
            let gradient = inputGradient.baseAddress! + sample * window.inputSize
            gradient.initialize(repeating: 0, count: window.inputSize)
            window.forEachOutputPixel { outputOffset, inputOffsets in
                // The first input equal to the maximum receives the gradient.
                for c in 0 ..< window.channels {
                    let maximum = output[outputOffset + c]
                    for offset in inputOffsets where input[offset + c] == maximum {
                        gradient[offset + c] = outputGradient[outputOffset + c]
                        break
                    }
                }
            }
        }
    }

    /// Offsets within one sample of a pooling window's pixels (each the start of `channels` values).
    private struct Window {
        let inputSize: Int, outputSize: Int, channels: Int
        let outputHeight: Int, outputWidth: Int, inputWidth: Int
        let poolSize: (height: Int, width: Int)

        init(_ inputShape: [Int], _ outputShape: [Int], poolSize: (height: Int, width: Int)) {
            inputSize = inputShape.reduce(1, *)
            outputSize = outputShape.reduce(1, *)
            channels = inputShape[2]
            inputWidth = inputShape[1]
            (outputHeight, outputWidth) = (outputShape[0], outputShape[1])
            self.poolSize = poolSize
        }

        /// Calls `body(outputOffset, inputOffsets)` for each output pixel, window pixels in row-major order.
        func forEachOutputPixel(_ body: (Int, [Int]) -> Void) {
            var inputOffsets = [Int](repeating: 0, count: poolSize.height * poolSize.width)
            for y in 0 ..< outputHeight {
                for x in 0 ..< outputWidth {
                    for i in 0 ..< poolSize.height {
                        for j in 0 ..< poolSize.width {
                            inputOffsets[i * poolSize.width + j] = ((y * poolSize.height + i) * inputWidth + x * poolSize.width + j) * channels
                        }
                    }
                    body((y * outputWidth + x) * channels, inputOffsets)
                }
            }
        }
    }
}

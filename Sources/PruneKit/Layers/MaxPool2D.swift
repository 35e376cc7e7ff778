/// Max pooling over non-overlapping windows, as Keras's `MaxPooling2D(pool_size)` with
/// `strides = pool_size` and `valid` padding (a trailing row or column that does not fill a window is
/// dropped).
///
/// The gradient of each window goes to its maximum (the first one in row-major order on ties); the
/// position is found again from the stored input rather than kept from the forward pass.
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
        forEachWindow(pass.inputShape, pass.outputShape, batchSize: pass.batchSize, input: pass.input.baseAddress!) {
            output, inputOffset, _ in pass.output[output] = pass.input[inputOffset]
        }
    }

    public func backward(_ pass: BackwardPass) {
        guard let inputGradient = pass.inputGradient else { return }
        inputGradient.initialize(repeating: 0)
        forEachWindow(pass.inputShape, pass.outputShape, batchSize: pass.batchSize, input: pass.input.baseAddress!) {
            output, inputOffset, _ in inputGradient[inputOffset] = pass.outputGradient[output]
        }
    }

    /// Calls `body(outputIndex, argmaxInputIndex, maximum)` for every output value; samples run in parallel.
    private func forEachWindow(_ inputShape: [Int], _ outputShape: [Int], batchSize: Int, input: UnsafePointer<Float>,
                               _ body: (Int, Int, Float) -> Void) {
        let (inputHeight, inputWidth, channels) = (inputShape[0], inputShape[1], inputShape[2])
        let (outputHeight, outputWidth) = (outputShape[0], outputShape[1])
        let inputSize = inputHeight * inputWidth * channels, outputSize = outputHeight * outputWidth * channels
        Parallel.forEach(batchSize) { sample in
            for y in 0 ..< outputHeight {
                for x in 0 ..< outputWidth {
                    for c in 0 ..< channels {
                        var best = -Float.infinity, bestIndex = -1
                        for i in 0 ..< poolSize.height {
                            for j in 0 ..< poolSize.width {
                                let index = sample * inputSize + ((y * poolSize.height + i) * inputWidth + x * poolSize.width + j) * channels + c
                                if input[index] > best || bestIndex < 0 { best = input[index]; bestIndex = index }
                            }
                        }
                        body(sample * outputSize + (y * outputWidth + x) * channels + c, bestIndex, best)
                    }
                }
            }
        }
    }
}

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
            window.forEachOutputPixel { outputOffset, firstInputOffset in
                let maximum = output + outputOffset
                maximum.update(from: input + firstInputOffset, count: window.channels)
                window.forEachWindowPixel(from: firstInputOffset, skippingFirst: true) { offset in
                    let candidate = input + offset
                    for c in 0 ..< window.channels { maximum[c] = candidate[c] > maximum[c] ? candidate[c] : maximum[c] }
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
            withUnsafeTemporaryAllocation(of: Float.self, capacity: window.channels) { pending in
                window.forEachOutputPixel { outputOffset, firstInputOffset in
                    // The first input equal to the maximum takes the gradient; `pending` holds what
                    // is still to be placed, channel by channel.
                    let maximum = output + outputOffset
                    pending.baseAddress!.update(from: outputGradient + outputOffset, count: window.channels)
                    window.forEachWindowPixel(from: firstInputOffset, skippingFirst: false) { offset in
                        let candidate = input + offset, target = gradient + offset
                        for c in 0 ..< window.channels {
                            let hit = candidate[c] == maximum[c]
                            target[c] = hit ? pending[c] : 0
                            pending[c] = hit ? 0 : pending[c]
                        }
                    }
                }
            }
        }
    }

    /// Index arithmetic of one sample's pooling windows.
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

        /// Calls `body(outputOffset, firstInputOffset)` for each output pixel: the offsets of its
        /// `channels` values and of its window's top-left input pixel.
        @inline(__always)
        func forEachOutputPixel(_ body: (Int, Int) -> Void) {
            for y in 0 ..< outputHeight {
                for x in 0 ..< outputWidth {
                    body((y * outputWidth + x) * channels, (y * poolSize.height * inputWidth + x * poolSize.width) * channels)
                }
            }
        }

        /// Calls `body(inputOffset)` for each pixel of the window starting at `first`, in row-major order.
        @inline(__always)
        func forEachWindowPixel(from first: Int, skippingFirst: Bool, _ body: (Int) -> Void) {
            for i in 0 ..< poolSize.height {
                for j in 0 ..< poolSize.width where !(skippingFirst && i == 0 && j == 0) {
                    body(first + (i * inputWidth + j) * channels)
                }
            }
        }
    }
}

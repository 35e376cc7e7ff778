/// A fully connected layer, as Keras's `Dense(units)`:
/// `output[n, u] = activation(bias[u] + Σᵢ input[n, i] · kernel[i, u])`.
///
/// The kernel is stored `[inputs, units]` as in TensorFlow. Rows of the batch (forward) and rows of
/// the kernel gradient (backward) are split into fixed blocks that run on all cores.
public struct Dense: Layer {
    /// The number of outputs.
    public let units: Int
    /// The activation applied to the output.
    public let activation: Activation
    public var parameters: [Tensor] = []

    /// Creates a dense layer with `units` outputs.
    public init(_ units: Int, activation: Activation = .linear) {
        precondition(units > 0, "Dense needs at least one unit")
        self.units = units
        self.activation = activation
    }

    public var typeName: String { "Dense" }
    public var namePrefix: String { "dense" }
    public var parameterNames: [String] { ["kernel", "bias"] }

    public func outputShape(for inputShape: [Int]) throws(ModelError) -> [Int] {
        guard inputShape.count == 1 else {
            throw .incompatibleShape(layer: typeName, inputShape: inputShape, reason: "expects a flat [features] input; add Flatten() first")
        }
        return [units]
    }

    public mutating func build(inputShape: [Int], generator: inout SplitMix64) {
        let shape = parameterShapes(for: inputShape)[0]
        parameters = [GlorotUniform(kernelShape: shape).kernel(shape: shape, generator: &generator),
                      Tensor(zeros: [units])]
    }

    /// Rows of work per parallel piece.
    static let blockRows = 64

    /// Pieces the backward pass cuts each product into (along the inputs, at least ``blockRows``
    /// each): enough to keep two to four cores busy, few enough that the output gradient, which
    /// every piece packs whole, is packed a few times per batch rather than once per 64 inputs.
    static let backwardPieces = 4

    public func forward(_ pass: ForwardPass) {
        if let sparse = pass.kernel.sparse { return forwardSparse(pass, kernel: sparse) }
        let inputs = pass.inputShape[0]
        let blocks = Parallel.ranges(pass.batchSize, size: Self.blockRows)
        parameters[0].scalars.withUnsafeBufferPointer { kernel in
            parameters[1].scalars.withUnsafeBufferPointer { bias in
                Parallel.forEach(blocks.count) { index in
                    let rows = blocks[index]
                    let output = pass.output.baseAddress! + rows.lowerBound * units
                    matrixMultiply(MatrixView(pass.input.baseAddress! + rows.lowerBound * inputs, rows: rows.count, columns: inputs),
                                   MatrixView(kernel.baseAddress!, rows: inputs, columns: units),
                                   into: output)
                    finishLinearOutput(output, rows: rows.count, width: units, bias: bias.baseAddress!, activation: activation,
                                       offset: rows.lowerBound * units, pass: pass)
                }
            }
        }
    }

    public func backward(_ pass: BackwardPass) {
        if let sparse = pass.kernel.sparse { return backwardSparse(pass, kernel: sparse) }
        let inputs = pass.inputShape[0], batch = pass.batchSize
        let gradient = pass.outputGradient.baseAddress!
        if !pass.gradientIsPreActivation {
            activation.backpropagate(gradient, output: pass.output.baseAddress!, rows: batch, width: units)
        }
        Elementwise.sumRows(gradient, rows: batch, width: units, into: pass.parameterGradients[1].baseAddress!)
        // Both products are cut along the inputs, into at most `backwardPieces` pieces: each piece
        // packs the whole of its other operand (the gradient), so few pieces pack it few times.
        // A GEMM's bits do not depend on how its rows or columns are split.
        let pieces = Parallel.ranges(inputs, size: max(Self.blockRows, (inputs + Self.backwardPieces - 1) / Self.backwardPieces))
        let inputGradientPieces = pass.inputGradient == nil ? 0 : pieces.count
        parameters[0].scalars.withUnsafeBufferPointer { kernel in
            Parallel.forEach(pieces.count + inputGradientPieces) { index in
                let rows = pieces[index % pieces.count]
                if index < pieces.count {
                    // kernelGradient[rows, :] = input[:, rows]ᵀ · gradient
                    matrixMultiply(MatrixView(pass.input.baseAddress! + rows.lowerBound, rows: batch, columns: rows.count, stride: inputs),
                                   transposeA: true,
                                   MatrixView(gradient, rows: batch, columns: units),
                                   into: pass.parameterGradients[0].baseAddress! + rows.lowerBound * units)
                } else {
                    // inputGradient[:, rows] = gradient · kernel[rows, :]ᵀ
                    matrixMultiply(MatrixView(gradient, rows: batch, columns: units),
                                   MatrixView(kernel.baseAddress! + rows.lowerBound * units, rows: rows.count, columns: units),
                                   transposeB: true,
                                   into: pass.inputGradient!.baseAddress! + rows.lowerBound, ldc: inputs)
                }
            }
        }
    }
}

// MARK: - Configuration

extension Dense: SavableLayer {
    /// `units` and `activation`, as Keras's `Dense.get_config()` keeps them.
    public struct Configuration: Codable, Equatable, Sendable, CustomStringConvertible {
        /// The number of outputs.
        public var units: Int
        /// The activation applied to the output.
        public var activation: Activation
        /// The configuration as Swift code would create the layer.
        public var description: String { "Dense(\(units), activation: \(activation))" }
    }

    public static var configurationKey: String { "dense" }
    public var configuration: Configuration { Configuration(units: units, activation: activation) }

    /// A Dense layer with this configuration and no parameters yet.
    ///
    /// - Throws: ``ModelError/invalidConfiguration(layer:reason:)`` for fewer than one unit.
    public init(configuration: Configuration) throws(ModelError) {
        guard configuration.units > 0 else { throw .invalidConfiguration(layer: "Dense", reason: "units \(configuration.units) is below 1") }
        self.init(configuration.units, activation: configuration.activation)
    }

    /// `[inputs, units]` for the kernel and `[units]` for the bias.
    public func parameterShapes(for inputShape: [Int]) -> [[Int]] { [[inputShape[0], units], [units]] }
    /// The kernel.
    public var prunableParameterIndex: Int? { 0 }
}

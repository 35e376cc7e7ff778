/// A building block of a ``Sequential`` model.
///
/// Shapes are per sample and channels-last (`[height, width, channels]` for images, `[features]`
/// after ``Flatten``); the batch dimension is handled by the model. Layers hold only their
/// parameters: activations live in memory the model owns and reuses from batch to batch, so a layer
/// computes straight from its input to its output in ``forward(_:)`` and back in ``backward(_:)``.
public protocol Layer: Sendable {
    /// The Keras class name shown in summaries, such as `"Conv2D"`.
    var typeName: String { get }
    /// The prefix Keras derives default layer names from, such as `"conv2d"` (`conv2d`, `conv2d_1`, …).
    var namePrefix: String { get }
    /// The per-sample output shape for a per-sample input shape.
    /// - Throws: ``ModelError/incompatibleShape(layer:inputShape:reason:)`` when the layer cannot take that input.
    func outputShape(for inputShape: [Int]) throws(ModelError) -> [Int]
    /// The trainable parameters, in Keras order (`[kernel, bias]`); empty until built.
    var parameters: [Tensor] { get set }
    /// Names of ``parameters`` in the same order, as Keras names them (`"kernel"`, `"bias"`).
    var parameterNames: [String] { get }
    /// The shapes of the parameters ``build(inputShape:generator:)`` creates for a per-sample input
    /// shape the layer accepts, in ``parameters`` order. A model file reader checks stored tensors
    /// against them, and ``Sequential`` checks that `build` made exactly these.
    func parameterShapes(for inputShape: [Int]) -> [[Int]]
    /// The index in ``parameters`` of the weight magnitude pruning masks (the kernel, as tfmot's
    /// `get_prunable_weights`), or `nil` for a layer that is never pruned. Biases are never pruned.
    var prunableParameterIndex: Int? { get }
    /// The activation the layer applies to its output (`.linear` for layers without one).
    var activation: Activation { get }
    /// Creates the parameters for an input shape with Keras's initialisers.
    mutating func build(inputShape: [Int], generator: inout SplitMix64)
    /// Computes the output of a batch.
    func forward(_ pass: ForwardPass)
    /// Computes the gradient of the loss with respect to the input and to each parameter.
    func backward(_ pass: BackwardPass)
}

extension Layer {
    public var parameters: [Tensor] { get { [] } set {} }
    public var parameterNames: [String] { [] }
    public func parameterShapes(for inputShape: [Int]) -> [[Int]] { [] }
    public var prunableParameterIndex: Int? { nil }
    public var activation: Activation { .linear }
    public mutating func build(inputShape: [Int], generator: inout SplitMix64) {}
    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
}

/// What a layer reads and writes to compute one batch's output.
public struct ForwardPass {
    /// The number of samples in the batch.
    public let batchSize: Int
    /// Per-sample input shape.
    public let inputShape: [Int]
    /// Per-sample output shape.
    public let outputShape: [Int]
    /// `batchSize × inputShape` values.
    public let input: UnsafeBufferPointer<Float>
    /// `batchSize × outputShape` values to fill.
    public let output: UnsafeMutableBufferPointer<Float>
    /// True while training (dropout is active), false for evaluation and prediction.
    public let training: Bool
    /// 64 random bits for this layer and batch, for layers that draw random numbers; the same key
    /// is given again to ``Layer/backward(_:)``.
    public let randomKey: UInt64
    /// Where a layer with an activation also writes its values before the activation, when the
    /// model asks for them (the logits of a softmax output, for the fused cross-entropy); else `nil`.
    public let preActivation: UnsafeMutableBufferPointer<Float>?
    /// How the layer computes its products (``KernelPolicy``): dense GEMM, a direct convolution,
    /// or sparse products on its kernel compressed to the kept positions.
    var kernel: LayerKernel = .gemm
    /// The input as a sparse convolution's wide planes, or for 16 samples or more its lane
    /// groups, handed over by the convolution before (``Sequential/planesHandoffs(kernels:shapes:)``);
    /// `input` is then not written.
    var inputPlanes: WidePlanes?
    /// Where a sparse convolution fused with its pooling writes its output, as the next
    /// convolution's wide planes or lane groups, instead of `output`.
    var outputPlanes: WidePlanes?
    /// The input as a sparse Dense layer's feature rows, handed over by the convolution before
    /// for a batch of at least 16 samples; `input` is then not written.
    var inputRows: FeatureRows?
    /// Where a sparse convolution fused with its pooling writes its output for a batch of at
    /// least 16 samples, as the next Dense layer's feature rows, instead of `output`.
    var outputRows: FeatureRows?
    /// In training, the window of the MaxPool2D that alone reads a convolution's output (not
    /// fused with it): outputs past its last whole window need not be computed.
    var pooledBy: (height: Int, width: Int)?
    /// In training, where a convolution fused with its pooling records each window's switch
    /// (``Conv2D/Pooling/switchSize`` bytes per sample) for its backward pass; else `nil`.
    var switches: UnsafeMutablePointer<UInt8>?

    /// A forward pass; see each property for the meaning of its argument.
    public init(batchSize: Int, inputShape: [Int], outputShape: [Int], input: UnsafeBufferPointer<Float>,
                output: UnsafeMutableBufferPointer<Float>, training: Bool, randomKey: UInt64,
                preActivation: UnsafeMutableBufferPointer<Float>? = nil) {
        self.batchSize = batchSize
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.input = input
        self.output = output
        self.training = training
        self.randomKey = randomKey
        self.preActivation = preActivation
    }
}

/// What a layer reads and writes to back-propagate one batch.
public struct BackwardPass {
    /// The number of samples in the batch.
    public let batchSize: Int
    /// Per-sample input shape.
    public let inputShape: [Int]
    /// Per-sample output shape.
    public let outputShape: [Int]
    /// The input of the forward pass.
    public let input: UnsafeBufferPointer<Float>
    /// The output of the forward pass.
    public let output: UnsafeBufferPointer<Float>
    /// The gradient of the loss with respect to the output. The layer may overwrite it.
    public let outputGradient: UnsafeMutableBufferPointer<Float>
    /// Where the gradient with respect to the input goes, or `nil` for the first layer (not needed).
    public let inputGradient: UnsafeMutableBufferPointer<Float>?
    /// Where the gradient of each parameter goes (overwritten, not accumulated), in ``Layer/parameters`` order.
    public let parameterGradients: [UnsafeMutableBufferPointer<Float>]
    /// The random key the forward pass was given.
    public let randomKey: UInt64
    /// True when ``outputGradient`` is already with respect to the pre-activation values (the
    /// softmax + cross-entropy fusion), so the layer must not apply its activation's derivative.
    public let gradientIsPreActivation: Bool
    /// As ``ForwardPass``'s (a direct convolution computes its kernel gradient directly, its input gradient on GEMM).
    var kernel: LayerKernel = .gemm
    /// The switches a convolution fused with its pooling recorded in the forward pass (``ForwardPass/switches``).
    var switches: UnsafePointer<UInt8>?

    /// A backward pass; see each property for the meaning of its argument.
    public init(batchSize: Int, inputShape: [Int], outputShape: [Int], input: UnsafeBufferPointer<Float>,
                output: UnsafeBufferPointer<Float>, outputGradient: UnsafeMutableBufferPointer<Float>,
                inputGradient: UnsafeMutableBufferPointer<Float>?, parameterGradients: [UnsafeMutableBufferPointer<Float>],
                randomKey: UInt64, gradientIsPreActivation: Bool = false) {
        self.batchSize = batchSize
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.input = input
        self.output = output
        self.outputGradient = outputGradient
        self.inputGradient = inputGradient
        self.parameterGradients = parameterGradients
        self.randomKey = randomKey
        self.gradientIsPreActivation = gradientIsPreActivation
    }
}

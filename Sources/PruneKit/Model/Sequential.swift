/// A stack of layers trained end to end, with Keras's `Sequential` workflow:
/// `compile`, `fit`, `evaluate`, `predict` and `summary`.
///
/// ```swift
/// var model = Sequential {
///     Conv2D(filters: 32, kernelSize: 3, activation: .relu)
///     MaxPool2D(poolSize: 2)
///     Flatten()
///     Dense(10, activation: .softmax)
/// }
/// model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
/// let history = try model.fit(mnist.train, batchSize: 250, epochs: 30, validationSplit: 0.2)
/// ```
///
/// A model is a value: copying it copies its weights and optimizer state, and `fit` changes only
/// the model it is called on.
///
/// A model keeps its parts in step: the layers, their names, the optimizer's state and the pruning
/// masks all describe the same architecture. So the layers and optimizer are read-only from outside;
/// weights are replaced through ``setParameters(_:ofLayer:)``, which checks their shapes, and the
/// optimizer through ``compile(loss:optimizer:metrics:)``.
public struct Sequential: Sendable {
    /// The layers, first to last, with their parameters.
    public internal(set) var layers: [any Layer] {
        didSet { inferenceKernels = InferenceKernels() }
    }
    /// Keras-style unique layer names (`conv2d`, `conv2d_1`, `dense`, …), one per layer.
    public let layerNames: [String]
    /// The seed of the weight initialisation, and the default seed of ``fit(_:batchSize:epochs:validationSplit:validationData:shuffle:seed:verbose:callbacks:initialEpoch:kernels:)``.
    public let seed: UInt64
    /// The per-sample input shape, once known.
    public private(set) var inputShape: [Int]?
    /// The loss set by ``compile(loss:optimizer:metrics:)``.
    public private(set) var loss: Loss?
    /// The metrics set by ``compile(loss:optimizer:metrics:)``.
    public private(set) var metrics: [Metric] = []
    /// The optimizer and its state, set by ``compile(loss:optimizer:metrics:)``.
    public internal(set) var optimizer: (any Optimizer)?
    /// The pruning policy, step and masks, once the model is wrapped with ``pruned(_:)``.
    public internal(set) var pruning: PruningState? {
        didSet { inferenceKernels = InferenceKernels() }
    }
    /// The products inference runs each layer on, per policy, built on first use from the current
    /// layers and masks and replaced by an empty cache whenever either changes (``InferenceKernels``).
    var inferenceKernels = InferenceKernels()

    /// Creates a model whose weights are created when it first sees data.
    public init(seed: UInt64 = 0, @LayerBuilder _ layers: () -> [any Layer]) {
        self.layers = layers()
        self.seed = seed
        var counts: [String: Int] = [:]
        layerNames = self.layers.map { layer in
            let count = counts[layer.namePrefix, default: 0]
            counts[layer.namePrefix] = count + 1
            return count == 0 ? layer.namePrefix : "\(layer.namePrefix)_\(count)"
        }
    }

    /// Creates a model for inputs of `inputShape` (per sample, such as `[28, 28, 1]`) and creates
    /// its weights at once.
    ///
    /// - Throws: ``ModelError/incompatibleShape(layer:inputShape:reason:)`` when a layer cannot take
    ///   the shape the previous one produces.
    public init(inputShape: [Int], seed: UInt64 = 0, @LayerBuilder _ layers: () -> [any Layer]) throws(ModelError) {
        self.init(seed: seed, layers)
        try build(inputShape: inputShape)
    }

    /// Creates a model from all of its parts at once, as a checkpoint stores them: layers that
    /// already hold their parameters (when `inputShape` is given), names, compile settings and
    /// training state.
    init(layers: [any Layer], layerNames: [String], seed: UInt64, inputShape: [Int]?, loss: Loss?,
         metrics: [Metric], optimizer: (any Optimizer)?, pruning: PruningState?) {
        self.layers = layers
        self.layerNames = layerNames
        self.seed = seed
        self.inputShape = inputShape
        self.loss = loss
        self.metrics = metrics
        self.optimizer = optimizer
        self.pruning = pruning
    }

    /// Whether the weights exist.
    public var isBuilt: Bool { inputShape != nil }

    /// Creates the weights for inputs of `inputShape` with Keras's initialisers (Glorot-uniform
    /// kernels, zero biases), drawn from ``seed``. Does nothing if already built for that shape.
    public mutating func build(inputShape: [Int]) throws(ModelError) {
        if let current = self.inputShape {
            guard current == inputShape else {
                throw .dataMismatch("the model was built for inputs \(current), got \(inputShape)")
            }
            return
        }
        var generator = SplitMix64(seed: seed)
        var shape = inputShape
        var built = layers
        for index in built.indices {
            let next = try built[index].outputShape(for: shape)
            built[index].build(inputShape: shape, generator: &generator)
            try Self.check(built[index], named: layerNames[index], builtFor: shape)
            shape = next
        }
        layers = built
        self.inputShape = inputShape
    }

    /// Checks that a layer's `build` made the parameters it declares: one per name, of the shapes
    /// ``Layer/parameterShapes(for:)`` gives, with the prunable index among them (a custom layer
    /// that gets this wrong would otherwise break training and saving later).
    private static func check(_ layer: any Layer, named name: String, builtFor shape: [Int]) throws(ModelError) {
        let shapes = layer.parameters.map(\.shape)
        guard shapes == layer.parameterShapes(for: shape), shapes.count == layer.parameterNames.count else {
            throw .parameterMismatch(layer: name, detail: "build made shapes \(shapes) for \(layer.parameterNames.count) names "
                                     + "\(layer.parameterNames), but parameterShapes(for: \(shape)) gives \(layer.parameterShapes(for: shape))")
        }
        if let prunable = layer.prunableParameterIndex, !shapes.indices.contains(prunable) {
            throw .parameterMismatch(layer: name, detail: "prunableParameterIndex \(prunable) is not among its \(shapes.count) parameters")
        }
    }

    /// Sets the loss, optimizer and metrics used by `fit` and `evaluate`, as Keras's `compile`.
    /// Compiling again replaces the optimizer and its state. An optimizer that already holds state
    /// (taken from another model) must hold it for this model's parameters, or `fit` throws
    /// ``ModelError/incompatibleOptimizer(_:)`` before training.
    public mutating func compile(loss: Loss, optimizer: any Optimizer, metrics: [Metric] = []) {
        self.loss = loss
        self.optimizer = optimizer
        self.metrics = metrics
    }

    /// Per-sample shapes: the input, then each layer's output.
    func activationShapes() throws(ModelError) -> [[Int]] {
        guard let inputShape else { throw .notBuilt }
        var shapes = [inputShape]
        for layer in layers { shapes.append(try layer.outputShape(for: shapes[shapes.count - 1])) }
        return shapes
    }

    /// The per-sample output shape.
    public var outputShape: [Int]? { try? activationShapes().last }

    /// The total number of trainable scalars.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Whether the loss is computed from the output layer's logits (softmax + cross-entropy).
    var fusesSoftmax: Bool { loss == .categoricalCrossentropy && layers.last?.activation == .softmax }
}

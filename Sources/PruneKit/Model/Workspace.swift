import _PruneKitKernels

/// Memory for one model's activations and gradients at a given batch size, allocated once per
/// `fit`, `evaluate` or `predict` call and reused for every batch.
final class Workspace {
    /// Per-sample shapes of the input and of every layer's output.
    let shapes: [[Int]]
    /// The largest batch the buffers hold.
    let capacity: Int
    /// `activations[0]` is the input batch, `activations[i + 1]` the output of layer `i` (empty in
    /// training for a convolution fused with its pooling).
    let activations: [UnsafeMutableBufferPointer<Float>]
    /// Two buffers that hold, in turn, the gradient of the loss with respect to activation `i`
    /// (buffer `i % 2`): a layer reads the gradient of its output from one and writes that of its
    /// input into the other, and nothing older is needed, which halves the memory of gradients.
    let gradients: [UnsafeMutableBufferPointer<Float>]
    /// The output layer's values before its activation.
    let logits: UnsafeMutableBufferPointer<Float>
    /// One-hot targets of the batch.
    let targets: UnsafeMutableBufferPointer<Float>
    /// Gradients of each layer's parameters.
    let parameterGradients: [[UnsafeMutableBufferPointer<Float>]]
    /// How the layers compute their products.
    let kernelPolicy: KernelPolicy
    /// How each layer computes its products (``Sequential/layerKernels(_:freezingWeights:)``),
    /// refreshed when the masks change.
    var layerKernels: [LayerKernel]
    /// Outside training, the convolutions that hand their output to the next sparse layer in the
    /// layout it reads (``PlanesHandoff``), each with its buffer (the producer writes every value
    /// the consumer reads, padding included).
    let handoffs: [(handoff: PlanesHandoff, planes: UnsafeMutableBufferPointer<Float>)]
    /// In training, for each convolution fused with its pooling (by layer index), the switches of
    /// its pooling windows (``Conv2D/Pooling/switchSize`` bytes per sample), written by the forward
    /// pass and read by the backward pass.
    let switches: [Int: UnsafeMutableBufferPointer<UInt8>]

    init(model: Sequential, capacity: Int, training: Bool, kernels: KernelPolicy) throws(ModelError) {
        shapes = try model.activationShapes()
        kernelPolicy = kernels
        layerKernels = training ? model.layerKernels(kernels) : model.inferenceKernels.kernels(kernels, of: model)
        self.capacity = capacity
        func buffer(_ count: Int, zeroed: Bool = true) -> UnsafeMutableBufferPointer<Float> {
            let memory = UnsafeMutableBufferPointer(start: vectorBuffer(count), count: count)
            if zeroed, let base = memory.baseAddress { pk_fill(base, count, 0) } // Float is trivial: C may initialise it
            return memory
        }
        // In training, for each convolution fused with its pooling: its switches, written with the
        // pooled output; its own output and that output's gradient are never held.
        var switches: [Int: UnsafeMutableBufferPointer<UInt8>] = [:]
        for index in model.layers.indices where training {
            guard let window = model.fusedPooling(at: index, training: true), let conv = model.layers[index] as? Conv2D else { continue }
            let geometry = Conv2D.Geometry(inputShape: shapes[index], kernelSize: conv.kernelSize)
            let bytes = capacity * Conv2D.Pooling(window: window, geometry: geometry, filters: conv.filters).switchSize
            switches[index] = UnsafeMutableBufferPointer(start: vectorBuffer(bytes, of: UInt8.self), count: bytes)
        }
        self.switches = switches
        let unheld = Set(switches.keys.map { $0 + 1 })
        // Each layer writes its whole output before the next reads it, so activations need no
        // zeroing; outside training that pass over ~45 MB (the article CNN at batch 250) was 12%
        // of a sparse 250-image prediction in a profile.
        let sizes = shapes.enumerated().map { unheld.contains($0.offset) ? 0 : capacity * $0.element.reduce(1, *) }
        activations = sizes.map { buffer($0, zeroed: training) }
        gradients = training ? [0, 1].map { parity in
            buffer(sizes.indices.dropFirst().filter { $0 % 2 == parity }.map { sizes[$0] }.max() ?? 0)
        } : []
        let classes = shapes.last!.reduce(1, *)
        logits = buffer(capacity * classes)
        targets = buffer(capacity * classes)
        parameterGradients = training ? model.layers.map { $0.parameters.map { buffer($0.count) } } : []
        handoffs = training ? [] : model.planesHandoffs(kernels: layerKernels, shapes: shapes).map {
            ($0, buffer($0.floats(capacity: capacity), zeroed: false))
        }
    }

    /// The wide planes that layer `index` writes (`producer`) or reads (consumer), if any.
    func widePlanes(_ index: Int, producer: Bool) -> WidePlanes? {
        guard let (handoff, planes) = handoff(index, producer: producer), case .convolution(let layout) = handoff.layout
        else { return nil }
        return WidePlanes(base: planes.baseAddress!, sampleStride: layout.sampleStride, channelStride: layout.channelStride)
    }

    /// The feature rows that layer `index` writes (`producer`) or reads (consumer), if any.
    func featureRows(_ index: Int, producer: Bool) -> FeatureRows? {
        guard let (handoff, rows) = handoff(index, producer: producer), case .dense(let features) = handoff.layout else { return nil }
        return FeatureRows(base: rows.baseAddress!, features: features)
    }

    private func handoff(_ index: Int, producer: Bool) -> (handoff: PlanesHandoff, planes: UnsafeMutableBufferPointer<Float>)? {
        handoffs.first { (producer ? $0.handoff.producer : $0.handoff.consumer) == index }
    }

    deinit {
        for memory in activations + gradients + parameterGradients.flatMap({ $0 }) + handoffs.map(\.planes) + [logits, targets] {
            memory.deallocate()
        }
        switches.values.forEach { $0.deallocate() }
    }

    /// The values of activation `index` for the first `batchSize` samples.
    func activation(_ index: Int, batchSize: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(rebasing: activations[index][0 ..< batchSize * shapes[index].reduce(1, *)])
    }

    /// The gradient with respect to activation `index` (≥ 1) for the first `batchSize` samples.
    func gradient(_ index: Int, batchSize: Int) -> UnsafeMutableBufferPointer<Float> {
        UnsafeMutableBufferPointer(rebasing: gradients[index % 2][0 ..< batchSize * shapes[index].reduce(1, *)])
    }

    /// Fills the input and target buffers with the samples at `indices`.
    func load(_ data: Dataset, indices: ArraySlice<Int>) {
        data.writeImages(at: indices, to: activations[0].baseAddress!)
        let classes = shapes.last!.reduce(1, *)
        let batchTargets = UnsafeMutableBufferPointer(rebasing: targets[0 ..< indices.count * classes])
        batchTargets.initialize(repeating: 0)
        for (row, index) in indices.enumerated() { batchTargets[row * classes + Int(data.labels[index])] = 1 }
    }
}

/// A layer whose output equals its input outside training (``Dropout``; ``Flatten``, whose
/// output is its input reshaped): inference skips it rather than copy the batch.
protocol IdentityOutsideTraining: Layer {}

extension Dropout: IdentityOutsideTraining {}
extension Flatten: IdentityOutsideTraining {}

extension Sequential {
    /// The random key of layer `layer` at training step `step`: a pure function of the seed, the
    /// step and the layer, so a resumed run draws exactly what an uninterrupted one would.
    static func randomKey(seed: UInt64, step: Int, layer: Int) -> UInt64 {
        SplitMix64.mix(SplitMix64.mix(seed &+ UInt64(truncatingIfNeeded: step) &* 0x9E37_79B9_7F4A_7C15) &+ UInt64(layer))
    }

    /// Runs the batch in the workspace's input buffer through every layer. A Conv2D followed by a
    /// MaxPool2D runs as one fused pass (``Conv2D/forward(_:pooling:)``) outside training, and in
    /// training when ``fusedPooling(at:training:)`` says so; outside training a layer that
    /// then copies its input (``IdentityOutsideTraining``) is skipped, the next one reading its
    /// input: the same outputs, and the skipped layers' output buffers left unwritten.
    func forward(_ workspace: Workspace, batchSize: Int, training: Bool, seed: UInt64 = 0, step: Int = 0) {
        let fuse = fusesSoftmax
        var index = 0
        var source = 0 // the activation holding layer `index`'s input
        while index < layers.count {
            let layer = layers[index]
            if !training, index < layers.count - 1, layer is any IdentityOutsideTraining {
                index += 1
                continue
            }
            let pooling = fusedPooling(at: index, training: training)
            let outputIndex = pooling == nil ? index + 1 : index + 2
            let isLast = outputIndex == layers.count
            var pass = ForwardPass(
                batchSize: batchSize, inputShape: workspace.shapes[index], outputShape: workspace.shapes[outputIndex],
                input: UnsafeBufferPointer(workspace.activation(source, batchSize: batchSize)),
                output: workspace.activation(outputIndex, batchSize: batchSize),
                training: training, randomKey: Self.randomKey(seed: seed, step: step, layer: index),
                preActivation: isLast && fuse
                    ? UnsafeMutableBufferPointer(rebasing: workspace.logits[0 ..< batchSize * workspace.shapes[outputIndex].reduce(1, *)])
                    : nil)
            pass.kernel = workspace.layerKernels[index]
            pass.inputPlanes = workspace.widePlanes(index, producer: false)
            pass.outputPlanes = pooling == nil ? nil : workspace.widePlanes(index, producer: true)
            pass.inputRows = workspace.featureRows(index, producer: false)
            pass.outputRows = pooling == nil ? nil : workspace.featureRows(index, producer: true)
            pass.switches = training ? workspace.switches[index]?.baseAddress : nil
            if training, pooling == nil, index + 1 < layers.count, layer.activation != .softmax,
               let pool = layers[index + 1] as? MaxPool2D {
                pass.pooledBy = pool.poolSize
            }
            if let pooling, let conv = layer as? Conv2D {
                conv.forward(pass, pooling: pooling)
            } else {
                layer.forward(pass)
            }
            index = outputIndex
            source = outputIndex
        }
    }

    /// The window of the MaxPool2D that layer `index` runs fused with: a Conv2D with an
    /// element-wise activation, followed by a MaxPool2D that is not the last layer. In training
    /// the fused forward pass records each window's switch (``Workspace/switches``), from which the
    /// backward pass takes the gradient back through the pooling, so the convolution's full-size
    /// output is never kept; that needs windows of at most
    /// ``Conv2D/Pooling/largestSwitchedWindow`` values.
    func fusedPooling(at index: Int, training: Bool) -> (height: Int, width: Int)? {
        guard index + 2 < layers.count, let conv = layers[index] as? Conv2D, conv.activation != .softmax,
              let pool = layers[index + 1] as? MaxPool2D,
              !training || pool.poolSize.height * pool.poolSize.width <= Conv2D.Pooling.largestSwitchedWindow
        else { return nil }
        return pool.poolSize
    }

    /// Computes the batch's summed loss and correct count from the forward pass's output, writing
    /// the loss gradient into the last gradient buffer when `withGradient`.
    func score(_ workspace: Workspace, batchSize: Int, withGradient: Bool) -> (lossSum: Double, correct: Int) {
        let last = layers.count
        let classes = workspace.shapes[last].reduce(1, *)
        let output = workspace.activation(last, batchSize: batchSize).baseAddress!
        let lossSum = (loss ?? .categoricalCrossentropy).evaluate(
            output: output, logits: fusesSoftmax ? workspace.logits.baseAddress! : nil,
            targets: workspace.targets.baseAddress!, batchSize: batchSize, classes: classes,
            gradient: withGradient ? workspace.gradient(last, batchSize: batchSize).baseAddress! : nil)
        let correct = Metric.correctCount(output: output, targets: workspace.targets.baseAddress!,
                                          batchSize: batchSize, classes: classes)
        return (lossSum, correct)
    }

    /// Back-propagates the loss gradient through every layer into the parameter gradients.
    ///
    /// A convolution that ran fused with its MaxPool2D (``fusedPooling(at:training:)``)
    /// takes the pooled layer's gradient through the pooling itself. Otherwise a MaxPool2D right
    /// after a ReLU convolution takes the gradient through the ReLU as well
    /// (``MaxPool2D/backward(_:throughReLU:)``), so the convolution gets it pre-activation.
    func backward(_ workspace: Workspace, batchSize: Int, seed: UInt64, step: Int) {
        let fuse = fusesSoftmax
        func poolsReLU(_ index: Int) -> Bool {
            index > 0 && layers[index] is MaxPool2D && (layers[index - 1] as? Conv2D)?.activation == .relu
        }
        let kernels = workspace.layerKernels
        for index in layers.indices.reversed() {
            if index > 0, fusedPooling(at: index - 1, training: true) != nil { continue }
            let pooling = fusedPooling(at: index, training: true)
            let outputIndex = pooling == nil ? index + 1 : index + 2
            var pass = BackwardPass(
                batchSize: batchSize, inputShape: workspace.shapes[index], outputShape: workspace.shapes[outputIndex],
                input: UnsafeBufferPointer(workspace.activation(index, batchSize: batchSize)),
                output: UnsafeBufferPointer(workspace.activation(outputIndex, batchSize: batchSize)),
                outputGradient: workspace.gradient(outputIndex, batchSize: batchSize),
                inputGradient: index == 0 ? nil : workspace.gradient(index, batchSize: batchSize),
                parameterGradients: workspace.parameterGradients[index],
                randomKey: Self.randomKey(seed: seed, step: step, layer: index),
                gradientIsPreActivation: pooling == nil
                    && ((fuse && index == layers.count - 1) || (index + 1 < layers.count && poolsReLU(index + 1))))
            pass.kernel = kernels[index]
            pass.switches = workspace.switches[index].map { UnsafePointer($0.baseAddress!) }
            if let pooling, let conv = layers[index] as? Conv2D {
                conv.backward(pass, pooling: pooling)
            } else if poolsReLU(index), let pool = layers[index] as? MaxPool2D {
                pool.backward(pass, throughReLU: true)
            } else {
                layers[index].backward(pass)
            }
        }
    }
}

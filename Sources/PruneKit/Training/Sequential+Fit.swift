import Foundation

extension Sequential {
    /// Trains the model, as Keras's `fit`.
    ///
    /// - Parameters:
    ///   - data: the training images and labels (pixels are scaled to [0, 1], labels one-hot encoded).
    ///   - batchSize: samples per gradient step; the last batch of an epoch may be smaller.
    ///   - epochs: the epoch to train up to: epochs `initialEpoch ..< epochs` are run.
    ///   - validationSplit: the fraction of `data` held out for validation, taken from the end
    ///     before any shuffling (Keras's rule: the first `floor(count · (1 − split))` samples train).
    ///   - validationData: explicit validation data, used instead of `validationSplit`.
    ///   - shuffle: whether each epoch visits the training samples in a new random order.
    ///   - seed: the seed of shuffling and dropout; the model's ``seed`` by default. The order of
    ///     epoch `e` and the dropout of step `s` are pure functions of it, so a run resumed from a
    ///     checkpoint continues exactly as the uninterrupted run would.
    ///   - verbose: whether to print Keras-style progress (a live bar on a terminal, one line per
    ///     epoch otherwise).
    ///   - callbacks: hooks called through training, in order.
    ///   - initialEpoch: the epoch to start at, for resuming a run (Keras's `initial_epoch`): give a
    ///     ``Checkpoint``'s ``Checkpoint/epochsCompleted`` with its model, and the run continues with
    ///     the same shuffles, dropout, optimizer and pruning steps as if it had never stopped.
    ///   - kernels: dense or sparse products (``KernelPolicy``); by default each pruned layer
    ///     switches to sparse kernels once its mask is sparse enough to gain, re-decided at every
    ///     mask update.
    /// - Returns: the per-epoch losses and accuracies.
    /// - Throws: ``ModelError`` when the model is not compiled, an argument is out of range, the
    ///   data does not fit the model, or a callback fails; the model keeps the batches trained
    ///   before the error. ``ModelError/nonFiniteLoss(loss:epoch:epochs:batch:step:lastCheckpoint:)``
    ///   when a batch's loss (or an epoch's validation loss) is NaN or infinite: that batch's
    ///   gradients are not applied, and the error names the last file a ``ModelCheckpoint`` in `callbacks` saved.
    @discardableResult
    public mutating func fit(_ data: Dataset, batchSize: Int = 32, epochs: Int = 1,
                             validationSplit: Double = 0, validationData: Dataset? = nil,
                             shuffle: Bool = true, seed: UInt64? = nil, verbose: Bool = true,
                             callbacks: [any Callback] = [], initialEpoch: Int = 0,
                             kernels: KernelPolicy = .automatic) throws(ModelError) -> History {
        guard loss != nil, optimizer != nil else { throw .notCompiled }
        guard batchSize > 0 else { throw .invalidArgument(name: "batchSize", value: "\(batchSize)", allowed: "at least 1") }
        guard epochs >= 0 else { throw .invalidArgument(name: "epochs", value: "\(epochs)", allowed: "0 or more") }
        guard initialEpoch >= 0, initialEpoch <= epochs else {
            throw .invalidArgument(name: "initialEpoch", value: "\(initialEpoch)", allowed: "in 0...epochs (\(epochs))")
        }
        guard validationSplit >= 0, validationSplit < 1 else {
            throw .invalidArgument(name: "validationSplit", value: "\(validationSplit)", allowed: "in [0, 1)")
        }
        let trainingCount = validationData == nil ? Self.trainingCount(samples: data.count, validationSplit: validationSplit) : data.count
        guard trainingCount > 0 else {
            throw .dataMismatch("no training samples: \(data.count) samples with validationSplit \(validationSplit)")
        }
        let training = data.slice(0 ..< trainingCount)
        let validation = validationData ?? (trainingCount < data.count ? data.slice(trainingCount ..< data.count) : nil)
        try build(inputShape: data.imageShape)
        try checkLabels(data)
        if let validation { try checkLabels(validation) }
        try checkOptimizer()

        let workspace = try Workspace(model: self, capacity: min(batchSize, trainingCount), training: true, kernels: kernels)
        let steps = (trainingCount + batchSize - 1) / batchSize
        let seed = seed ?? self.seed
        let callbacks = callbacks + (verbose ? [ProgressLogger()] : [])
        var state = TrainingState(model: self, epochs: epochs, stepsPerEpoch: steps, trainingCount: trainingCount,
                                  validationCount: validation?.count ?? 0, seed: seed,
                                  step: optimizer?.iterations ?? 0,
                                  history: History(trainingCount: trainingCount, validationCount: validation?.count ?? 0))
        // Whatever happens, the model keeps the training it received, as a Keras model does.
        defer { self = state.model }
        try notify(callbacks, &state) { try $0.trainBegin(&$1) }
        epochLoop: for epoch in initialEpoch ..< epochs {
            state.epoch = epoch
            let started = Date()
            try notify(callbacks, &state) { try $0.epochBegin(&$1) }
            let order = shuffle ? Self.permutation(trainingCount, seed: seed, epoch: epoch) : Array(0 ..< trainingCount)
            var lossSum = 0.0, correct = 0, seen = 0
            for batch in 0 ..< steps {
                state.batch = batch
                try notify(callbacks, &state) { try $0.batchBegin(&$1) }
                let indices = order[batch * batchSize ..< min((batch + 1) * batchSize, trainingCount)]
                workspace.load(training, indices: indices)
                let result = try state.model.trainStep(workspace, batchSize: indices.count, seed: seed, step: state.step)
                guard result.lossSum.isFinite else {
                    throw Self.nonFiniteLoss(result.lossSum / Double(indices.count), state: state, batch: batch, callbacks: callbacks)
                }
                lossSum += result.lossSum
                correct += result.correct
                seen += indices.count
                state.batchLogs = BatchLogs(batchLoss: result.lossSum / Double(indices.count), loss: lossSum / Double(seen),
                                            accuracy: Double(correct) / Double(seen), size: indices.count)
                try notify(callbacks, &state) { try $0.batchEnd(&$1) }
                state.step += 1
                if state.stopTraining { break }
            }
            let trainingSeconds = Date().timeIntervalSince(started)
            let scored = validation.map { state.model.evaluate($0, in: workspace) }
            if let loss = scored?.loss, !loss.isFinite {
                throw Self.nonFiniteLoss(loss, state: state, batch: nil, callbacks: callbacks)
            }
            let logs = EpochLogs(epoch: epoch, loss: lossSum / Double(max(seen, 1)), accuracy: Double(correct) / Double(max(seen, 1)),
                                 validationLoss: scored?.loss, validationAccuracy: scored?.accuracy,
                                 seconds: Date().timeIntervalSince(started),
                                 samplesPerSecond: Double(seen) / max(trainingSeconds, 1e-9))
            state.epochLogs = logs
            state.history.epochs.append(logs)
            try notify(callbacks, &state) { try $0.epochEnd(&$1) }
            if state.stopTraining { break epochLoop }
        }
        try notify(callbacks, &state) { try $0.trainEnd(&$1) }
        return state.history
    }

    /// Calls `event` on every callback in order; a callback's error stops training, and so does a
    /// callback that gives the state a model of another architecture than this one (the buffers
    /// of the run are sized for it) or an optimizer whose state does not fit it.
    private func notify(_ callbacks: [any Callback], _ state: inout TrainingState,
                        _ event: (any Callback, inout TrainingState) throws -> Void) throws(ModelError) {
        for callback in callbacks {
            let name = String(describing: type(of: callback))
            do { try event(callback, &state) } catch {
                throw .callbackFailed(callback: name, detail: String(describing: error))
            }
            guard state.model.hasSameStructure(as: self) else {
                throw .callbackFailed(callback: name, detail: "it replaced the model with one of another architecture")
            }
            do { try state.model.checkOptimizer() } catch { throw .callbackFailed(callback: name, detail: "\(error)") }
        }
    }

    /// The error for a non-finite `loss`, naming where training stands and the newest checkpoint saved.
    private static func nonFiniteLoss(_ loss: Double, state: TrainingState, batch: Int?,
                                      callbacks: [any Callback]) -> ModelError {
        let checkpoint = callbacks.lazy.compactMap { ($0 as? ModelCheckpoint)?.lastSaved(before: state.epoch) }.first
        return .nonFiniteLoss(loss: loss, epoch: state.epoch, epochs: state.epochs, batch: batch, step: state.step,
                              lastCheckpoint: checkpoint)
    }

    /// One gradient step on the batch loaded in `workspace`: the pruning step and mask update (when
    /// pruned), forward, loss, backward, optimizer update, and the masks applied again. A batch
    /// whose loss is not finite is scored but not applied.
    mutating func trainStep(_ workspace: Workspace, batchSize: Int, seed: UInt64, step: Int) throws(ModelError) -> (lossSum: Double, correct: Int) {
        let lastUpdate = pruning?.lastUpdateStep
        do { try advancePruning() } catch { throw .pruning(error) }
        if pruning?.lastUpdateStep != lastUpdate { workspace.layerKernels = layerKernels(workspace.kernelPolicy) }
        forward(workspace, batchSize: batchSize, training: true, seed: seed, step: step)
        let result = score(workspace, batchSize: batchSize, withGradient: true)
        guard result.lossSum.isFinite else { return result }
        backward(workspace, batchSize: batchSize, seed: seed, step: step)
        applyGradients(workspace)
        applyPruningMasks()
        return result
    }

    /// Hands every parameter and its gradient to the optimizer.
    private mutating func applyGradients(_ workspace: Workspace) {
        var parameters: [Tensor] = []
        let counts = layers.map(\.parameters.count)
        for index in layers.indices {
            parameters += layers[index].parameters
            layers[index].parameters = []
        }
        let gradients = workspace.parameterGradients.flatMap { $0 }.map { UnsafeBufferPointer($0) }
        optimizer!.update(&parameters, gradients: gradients)
        var offset = 0
        for index in layers.indices {
            layers[index].parameters = Array(parameters[offset ..< offset + counts[index]])
            offset += counts[index]
        }
    }

    /// The visiting order of epoch `epoch`: a Fisher–Yates shuffle driven by the seed and the epoch.
    static func permutation(_ count: Int, seed: UInt64, epoch: Int) -> [Int] {
        var generator = SplitMix64(seed: SplitMix64.mix(seed ^ 0x5EED_5EED) &+ UInt64(epoch))
        var order = Array(0 ..< count)
        order.shuffle(using: &generator)
        return order
    }

    /// Checks that the dataset's images and classes fit the model.
    func checkLabels(_ data: Dataset) throws(ModelError) {
        guard data.imageShape == inputShape else {
            throw .dataMismatch("images are \(data.imageShape) but the model takes \(inputShape ?? [])")
        }
        let classes = outputShape?.reduce(1, *) ?? 0
        guard data.classCount == classes else {
            throw .dataMismatch("the data has \(data.classCount) classes but the model outputs \(classes)")
        }
    }
}

extension Sequential {
    /// This model wrapped for magnitude pruning, as tfmot's `prune_low_magnitude(model, …)`.
    ///
    /// Every mask starts all ones and the step at 0; during `fit` the step advances once per batch
    /// and the masks follow `policy` (see ``PruningState``). Pruning an already pruned model
    /// replaces its policy and masks.
    ///
    /// - Throws: ``PruningError/modelNotBuilt`` before the model has weights,
    ///   ``PruningError/unknownLayer(name:available:)`` or ``PruningError/notPrunable(layer:type:)``
    ///   for a bad layer name, and the block or m-by-n errors for kernels those patterns do not fit.
    public func pruned(_ policy: PruningPolicy) throws(PruningError) -> Sequential {
        guard isBuilt else { throw .modelNotBuilt }
        let prunable = kernels.map(\.layer)
        let chosen: [Int]
        if let names = policy.layerNames {
            chosen = try names.map { name throws(PruningError) in
                guard let index = layerNames.firstIndex(of: name) else {
                    throw .unknownLayer(name: name, available: prunable.map { layerNames[$0] })
                }
                guard prunable.contains(index) else { throw .notPrunable(layer: name, type: layers[index].typeName) }
                return index
            }.sorted()
        } else {
            chosen = prunable
        }
        let prunedLayers = chosen.compactMap { index in
            kernel(of: index).map { PrunedLayer(layerIndex: index, name: layerNames[index], mask: Tensor(repeating: 1, shape: $0.shape),
                                                threshold: 0, targetSparsity: 0) }
        }
        let state = PruningState(policy: policy, layers: prunedLayers)
        // A trial run of the mask computation rejects patterns that do not fit the kernels now.
        _ = try state.masks(for: prunedKernels(of: state), atStep: max(policy.schedule.beginStep, 1))
        var copy = self
        copy.pruning = state
        return copy
    }

    /// This model wrapped for pruning with `schedule` and the default policy (every Conv2D and Dense
    /// kernel, element-wise, per layer): `prune_low_magnitude(model, pruning_schedule=schedule)`.
    public func pruned(with schedule: any PruningSchedule, layers names: [String]? = nil) throws(PruningError) -> Sequential {
        try pruned(try PruningPolicy(schedule: schedule, layerNames: names))
    }

    /// The model without its pruning state, the zeros baked into the kernels: tfmot's
    /// `strip_pruning`. Training it further no longer keeps pruned weights at zero.
    ///
    /// Every pruned weight becomes +0.0. (Masking multiplies, so during training a pruned negative
    /// weight is −0.0: equal to zero in every product, but a different bit pattern, which a
    /// sparse model file would have to store to load back bit for bit.)
    public func strippingPruning() -> Sequential {
        var copy = self
        for layer in pruning?.layers ?? [] {
            copy.updateKernel(of: layer.layerIndex, maskShape: layer.mask.shape) { kernel in
                for index in kernel.indices where layer.mask.scalars[index] == 0 { kernel[index] = 0 }
            }
        }
        copy.pruning = nil
        return copy
    }

    /// Changes the kernel of layer `index` in place (its buffer not copied), when it has one of
    /// `maskShape` (or any shape, for `nil`). Every pruned layer has a kernel of its mask's shape
    /// (``pruned(_:)`` and the model file reader check it, and the public API cannot change a
    /// layer's shapes); the check only keeps memory safe.
    mutating func updateKernel(of index: Int, maskShape: [Int]? = nil, _ body: (inout UnsafeMutableBufferPointer<Float>) -> Void) {
        guard let kernelIndex = layers[index].prunableParameterIndex, layers[index].parameters.indices.contains(kernelIndex),
              maskShape.map({ $0 == layers[index].parameters[kernelIndex].shape }) ?? true else { return }
        var parameters = layers[index].parameters
        layers[index].parameters = []
        parameters[kernelIndex].scalars.withUnsafeMutableBufferPointer(body)
        layers[index].parameters = parameters
    }

    /// The kernel of layer `index`, or `nil` for a layer without one.
    func kernel(of index: Int) -> Tensor? {
        guard let kernel = layers[index].prunableParameterIndex, layers[index].parameters.indices.contains(kernel) else { return nil }
        return layers[index].parameters[kernel]
    }

    /// The indices of the layers with a kernel, and the kernels, in model order.
    var kernels: [(layer: Int, kernel: Tensor)] { layers.indices.compactMap { index in kernel(of: index).map { (index, $0) } } }

    /// The kernel of every layer `state` prunes, in its order.
    ///
    /// - Throws: ``PruningError/notPrunable(layer:type:)`` for a pruned layer without a kernel of
    ///   its mask's shape (a state made for another model).
    func prunedKernels(of state: PruningState) throws(PruningError) -> [Tensor] {
        try state.layers.map { layer throws(PruningError) in
            guard layers.indices.contains(layer.layerIndex), let kernel = kernel(of: layer.layerIndex),
                  kernel.shape == layer.mask.shape else {
                let type = layers.indices.contains(layer.layerIndex) ? layers[layer.layerIndex].typeName : "no layer"
                throw .notPrunable(layer: layer.name, type: type)
            }
            return kernel
        }
    }

    /// Advances the pruning step before a training batch and, on a mask-update step, recomputes the
    /// masks from the current kernels and applies them (tfmot's `conditional_mask_update` followed by
    /// `weight_mask_op`).
    mutating func advancePruning() throws(PruningError) {
        guard var state = pruning else { return }
        state.step += 1
        if state.updatesMasks(atStep: state.step) {
            let masks = try state.masks(for: prunedKernels(of: state), atStep: state.step)
            let target = state.policy.nmSparsity.map { Float($0.m) / Float($0.n) } ?? state.policy.schedule(step: state.step).sparsity
            for index in state.layers.indices {
                state.layers[index].mask = masks[index].mask
                state.layers[index].threshold = masks[index].threshold
                state.layers[index].targetSparsity = target
            }
            state.lastUpdateStep = state.step
            pruning = state
            applyPruningMasks()
        } else {
            pruning = state
        }
    }

    /// Multiplies every pruned kernel by its mask, so pruned weights are exactly zero.
    mutating func applyPruningMasks() {
        guard let state = pruning else { return }
        for layer in state.layers {
            updateKernel(of: layer.layerIndex, maskShape: layer.mask.shape) { kernel in
                layer.mask.scalars.withUnsafeBufferPointer { mask in
                    let pieces = Parallel.ranges(kernel.count, size: 1 << 15)
                    Parallel.forEach(pieces.count) { index in
                        let range = pieces[index]
                        Elementwise.multiply(kernel.baseAddress! + range.lowerBound, by: mask.baseAddress! + range.lowerBound,
                                             count: range.count)
                    }
                }
            }
        }
    }

    /// Layer, shape, weight count, non-zeros and sparsity of every kernel: one call to see what
    /// pruning did.
    public func sparsityTable() -> SparsityTable {
        let pruned = Set(pruning?.layers.map(\.layerIndex) ?? [])
        return SparsityTable(rows: kernels.map { index, kernel in
            SparsityTable.Row(layer: layerNames[index], type: layers[index].typeName, shape: kernel.shape,
                                     weights: kernel.count, nonZeros: kernel.nonZeroCount,
                                     pruned: pruned.contains(index))
        })
    }
}

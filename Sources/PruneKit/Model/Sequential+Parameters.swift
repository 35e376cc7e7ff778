extension Sequential {
    /// Replaces the parameters of the layer named `name` (in ``Layer/parameters`` order, such as
    /// `[kernel, bias]`), as Keras's `layer.set_weights`. When the layer is pruned, its mask is
    /// applied to the new kernel at once, so pruned weights stay exactly zero.
    ///
    /// - Throws: ``ModelError/notBuilt`` before the model has weights,
    ///   ``ModelError/unknownLayer(name:available:)`` for a name not in ``layerNames``, and
    ///   ``ModelError/parameterMismatch(layer:detail:)`` when the count or a shape differs from the
    ///   layer's own parameters.
    public mutating func setParameters(_ parameters: [Tensor], ofLayer name: String) throws(ModelError) {
        guard isBuilt else { throw .notBuilt }
        guard let index = layerNames.firstIndex(of: name) else { throw .unknownLayer(name: name, available: layerNames) }
        let current = layers[index].parameters
        guard parameters.count == current.count else {
            throw .parameterMismatch(layer: name, detail: "\(parameters.count) tensors given, the layer has \(current.count)")
        }
        let names = layers[index].parameterNames
        for (position, (new, old)) in zip(parameters, current).enumerated() where new.shape != old.shape {
            let parameter = names.indices.contains(position) ? names[position] : "parameter \(position)"
            throw .parameterMismatch(layer: name, detail: "\(parameter) has shape \(new.shape), the layer needs \(old.shape)")
        }
        layers[index].parameters = parameters
        applyPruningMasks()
    }

    /// Whether `other` has this model's architecture as training sees it: the same layer names,
    /// input and activation shapes and parameter shapes, so buffers sized for one fit the other.
    func hasSameStructure(as other: Sequential) -> Bool {
        layerNames == other.layerNames && inputShape == other.inputShape
            && layers.map { $0.parameters.map(\.shape) } == other.layers.map { $0.parameters.map(\.shape) }
            && (try? activationShapes()) == (try? other.activationShapes())
    }

    /// The shapes of every parameter, layer by layer, in the order the optimizer sees them.
    var parameterShapes: [[Int]] { layers.flatMap { $0.parameters.map(\.shape) } }

    /// Checks that the optimizer's state, if any, was made for this model's parameters.
    func checkOptimizer() throws(ModelError) {
        guard let optimizer, !optimizer.accepts(parameterShapes: parameterShapes) else { return }
        throw .incompatibleOptimizer("\(type(of: optimizer)) holds state for other parameters than this model's "
                                     + "\(parameterShapes.count) (\(parameterShapes)); compile with a new optimizer")
    }
}

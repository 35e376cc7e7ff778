extension Sequential {
    /// Writes the whole model to a PruneKit model file (see ``Checkpoint``): architecture, weights,
    /// loss and metrics, pruning state and, by default, the optimizer, as Keras's `model.save`.
    ///
    /// The file is written atomically: into a new file in the same directory, renamed over `path`
    /// once complete, so nothing that was at `path` is lost if saving fails.
    ///
    /// - Parameters:
    ///   - path: The file to create or replace.
    ///   - includeOptimizer: Whether to store Adam's hyperparameters, step count and moments, which
    ///     resuming training needs (Keras's `include_optimizer`).
    ///   - encoding: How tensors are stored (``ModelFileEncoding``): by default losslessly, with
    ///     pruned kernels as bitmap + non-zero values; ``ModelFileEncoding/sparseInt8`` also
    ///     quantizes the kernels to int8.
    /// - Throws: ``CheckpointError`` for a layer, optimizer or schedule the format cannot store, or
    ///   when the file cannot be written (naming `path`).
    public func save(to path: String, includeOptimizer: Bool = true, encoding: ModelFileEncoding = .sparse) throws(CheckpointError) {
        try Checkpoint(model: self).write(to: path, includeOptimizer: includeOptimizer, encoding: encoding)
    }

    /// Reads a model written by ``save(to:includeOptimizer:encoding:)`` or ``ModelCheckpoint``, as Keras's
    /// `load_model`. ``Checkpoint/init(contentsOf:customLayers:)`` also gives the epochs completed.
    ///
    /// - Parameters:
    ///   - path: The model file.
    ///   - customLayers: The ``SavableLayer`` types of your own the file may hold.
    /// - Throws: ``CheckpointError`` when the file is missing, not a model file, of another format
    ///   version, truncated, corrupt or malformed, or holds a layer type not given.
    public static func load(from path: String, customLayers: [any SavableLayer.Type] = []) throws(CheckpointError) -> Sequential {
        try Checkpoint(contentsOf: path, customLayers: customLayers).model
    }

    /// Replaces this model's weights with those of a model file, as Keras's `load_weights`, after
    /// checking that the file's model has the same layers (types, hyperparameters, order) and input
    /// shape. The optimizer and the pruning state are replaced by the file's when it has them and
    /// kept otherwise; the seed, loss and metrics stay this model's. An unbuilt model takes the
    /// file's input shape.
    ///
    /// - Throws: ``CheckpointError/architectureMismatch(path:detail:)`` naming the first layer or
    ///   shape that differs, or any error of ``load(from:customLayers:)``.
    public mutating func loadWeights(from path: String, customLayers: [any SavableLayer.Type] = []) throws(CheckpointError) {
        let saved = try Sequential.load(from: path, customLayers: customLayers)
        func mismatch(_ detail: String) -> CheckpointError { .architectureMismatch(path: path, detail: detail) }
        guard saved.layers.count == layers.count else {
            throw mismatch("the file has \(saved.layers.count) layers, the model \(layers.count)")
        }
        for index in layers.indices {
            let name = layerNames[index]
            guard let mine = layers[index] as? any SavableLayer else {
                throw mismatch("layer \(name) is a \(type(of: layers[index])), which model files cannot hold")
            }
            guard mine.hasSameConfiguration(as: saved.layers[index]) else {
                let theirs = (saved.layers[index] as? any SavableLayer)?.configurationDescription ?? saved.layers[index].typeName
                throw mismatch("layer \(name) (index \(index)) is \(mine.configurationDescription) in the model but \(theirs) in the file")
            }
        }
        guard let savedShape = saved.inputShape else { throw mismatch("the file's model has no weights (it was never built)") }
        if let inputShape, inputShape != savedShape {
            throw mismatch("the model takes inputs \(inputShape) but the file's model takes \(savedShape)")
        }
        self = Sequential(layers: saved.layers, layerNames: layerNames, seed: seed, inputShape: savedShape, loss: loss,
                          metrics: metrics, optimizer: saved.optimizer ?? optimizer, pruning: saved.pruning ?? pruning)
    }
}

extension Sequential {
    /// The mean loss and the accuracy on `data`, as Keras's `evaluate`. Dropout is off.
    ///
    /// `kernels` chooses dense or sparse products (``KernelPolicy``): by default a pruned or
    /// stripped layer sparse enough to gain runs on sparse kernels, with the same results.
    ///
    /// - Throws: ``ModelError/notBuilt`` before the model knows its input shape,
    ///   ``ModelError/dataMismatch(_:)`` when the data does not fit it.
    public func evaluate(_ data: Dataset, batchSize: Int = 250, kernels: KernelPolicy = .automatic) throws(ModelError) -> Evaluation {
        guard batchSize > 0 else { throw .invalidArgument(name: "batchSize", value: "\(batchSize)", allowed: "at least 1") }
        try checkLabels(data)
        return evaluate(data, in: try Workspace(model: self, capacity: min(batchSize, max(data.count, 1)), training: false,
                                                kernels: kernels))
    }

    /// Scores `data` batch by batch through `workspace`'s buffers.
    func evaluate(_ data: Dataset, in workspace: Workspace) -> Evaluation {
        var lossSum = 0.0, correct = 0
        for range in Parallel.ranges(data.count, size: workspace.capacity) {
            workspace.load(data, indices: Array(range)[...])
            forward(workspace, batchSize: range.count, training: false)
            let result = score(workspace, batchSize: range.count, withGradient: false)
            lossSum += result.lossSum
            correct += result.correct
        }
        let count = max(data.count, 1)
        return Evaluation(loss: lossSum / Double(count), accuracy: Double(correct) / Double(count), count: data.count)
    }

    /// The model's outputs (class probabilities) for every image of `data`, `[count, classes]`, as
    /// Keras's `predict`. `kernels` chooses dense or sparse products (``KernelPolicy``), with the same results.
    public func predict(_ data: Dataset, batchSize: Int = 250, kernels: KernelPolicy = .automatic) throws(ModelError) -> Tensor {
        guard batchSize > 0 else { throw .invalidArgument(name: "batchSize", value: "\(batchSize)", allowed: "at least 1") }
        try checkLabels(data)
        let workspace = try Workspace(model: self, capacity: min(batchSize, max(data.count, 1)), training: false, kernels: kernels)
        let classes = workspace.shapes.last!.reduce(1, *)
        var scalars = [Float](repeating: 0, count: data.count * classes)
        for range in Parallel.ranges(data.count, size: batchSize) {
            workspace.load(data, indices: Array(range)[...])
            forward(workspace, batchSize: range.count, training: false)
            let output = workspace.activation(layers.count, batchSize: range.count)
            scalars.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: range.lowerBound * classes).update(from: output.baseAddress!, count: output.count) }
        }
        return Tensor(shape: [data.count, classes], scalars: scalars)
    }
}

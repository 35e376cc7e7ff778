extension Sequential {
    /// Every ``Conv2D`` and ``Dense`` kernel quantized to int8 per output channel (see
    /// ``Int8Tensor``), with the index of its layer; biases are not quantized (they stay float32,
    /// as in TFLite's post-training weight quantization).
    ///
    /// - Throws: ``ModelError/invalidArgument(name:value:allowed:)`` naming the first kernel that
    ///   holds an infinite or NaN weight.
    public func int8Kernels() throws(ModelError) -> [(layerIndex: Int, kernel: Int8Tensor)] {
        var quantizedKernels: [(layerIndex: Int, kernel: Int8Tensor)] = []
        for (index, kernel) in kernels {
            guard let quantized = Int8Tensor(quantizing: kernel) else {
                throw .invalidArgument(name: "\(layerNames[index])/kernel", value: "with an infinite or NaN weight",
                                       allowed: "finite to be quantized to int8")
            }
            quantizedKernels.append((index, quantized))
        }
        return quantizedKernels
    }

    /// This model with its kernels quantized to int8 and dequantized back to float32: the model an
    /// int8 deployment runs (TFLite's post-training weight quantization), to `evaluate` or
    /// `predict` like any other. Biases, the optimizer and the pruning state are kept; pruned
    /// weights stay zero.
    ///
    ///     let int8 = try model.strippingPruning().quantizedToInt8()
    ///     print(try int8.evaluate(mnist.test).accuracy)
    ///
    /// - Throws: ``ModelError/invalidArgument(name:value:allowed:)`` for a kernel with an infinite
    ///   or NaN weight.
    public func quantizedToInt8() throws(ModelError) -> Sequential {
        var copy = self
        for (index, kernel) in try int8Kernels() {
            let dequantized = kernel.dequantized.scalars
            copy.updateKernel(of: index) { _ = $0.update(fromContentsOf: dequantized) }
        }
        return copy
    }
}

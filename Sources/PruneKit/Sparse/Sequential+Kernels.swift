import _PruneKitKernels

extension Sequential {
    /// The compressed kernel each layer runs on under `policy` (`nil`: dense GEMM), decided from
    /// the masks of pruned layers and the zeros of the others' kernels, never from timings.
    /// `freezingWeights` copies the current weights into them, for a model that will not change
    /// while they are used (inference).
    func sparseKernels(_ policy: KernelPolicy, freezingWeights: Bool = false) -> [SparseKernel?] {
        guard policy != .dense, pk_sparse_available() != 0 else { return Array(repeating: nil, count: layers.count) }
        let masks = Dictionary(uniqueKeysWithValues: (pruning?.layers ?? []).map { ($0.layerIndex, $0.mask) })
        return layers.indices.map { index in
            let layer = layers[index]
            guard let sparseLayer = layer as? any SparseComputable, let kernelIndex = layer.prunableParameterIndex,
                  kernelIndex < layer.parameters.count else { return nil }
            // A pruned layer keeps its mask's positions (kept weights that happen to be 0 still
            // get gradients); any other layer keeps its non-zeros.
            let kept = masks[index] ?? layer.parameters[kernelIndex]
            let columns = kept.shape.last ?? 0, rows = columns == 0 ? 0 : kept.count / columns
            if policy == .automatic {
                guard KernelPolicy.choosesSparse(layerType: sparseLayer.typeName, density: 1 - kept.zeroFraction,
                                                 inputsPerOutput: rows) else { return nil }
            }
            return kept.scalars.withUnsafeBufferPointer { kept in
                layer.parameters[kernelIndex].scalars.withUnsafeBufferPointer { weights in
                    SparseKernel(kept: kept, rows: rows, columns: columns, frozenWeights: freezingWeights ? weights : nil)
                }
            }
        }
    }
}

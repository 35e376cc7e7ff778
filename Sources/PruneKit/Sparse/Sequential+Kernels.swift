import _PruneKitKernels

/// How one layer computes its products (``Sequential/layerKernels(_:freezingWeights:)``).
enum LayerKernel: Sendable {
    /// Dense GEMM (im2col + GEMM for a convolution): every layer under ``KernelPolicy/dense``.
    case gemm
    /// A convolution computed directly, without im2col (``pk_conv_direct``), with im2col + GEMM's
    /// bits: ``KernelPolicy/automatic``'s choice for a convolution with few inputs per output.
    /// Its backward pass computes the kernel gradient directly too when the filters fill 16-lane
    /// vectors (``pk_conv_direct_kernel_gradient``, the same bits), and the input gradient on GEMM.
    case direct
    /// Sparse products on the kernel compressed to its kept positions.
    case sparse(SparseKernel)
    /// im2col + GEMM forward, as ``gemm``; when the patch fills 16-lane vectors, backward
    /// products that skip the output gradient's zeros in each chunk where at most
    /// ``GradientEntries/maximumDensity`` of it is non-zero (``GradientEntries``), with GEMM's
    /// bits: ``KernelPolicy/automatic``'s choice for a convolution on GEMM.
    case gradientSparse

    /// Whether the layer runs as a direct convolution.
    var isDirect: Bool {
        if case .direct = self { true } else { false }
    }

    /// Whether the layer's backward products skip the output gradient's zeros.
    var isGradientSparse: Bool {
        if case .gradientSparse = self { true } else { false }
    }

    /// The compressed kernel of a layer that runs sparse, else `nil`.
    var sparse: SparseKernel? {
        if case .sparse(let kernel) = self { kernel } else { nil }
    }
}

extension Sequential {
    /// The products each layer runs on under `policy`, decided from the masks of pruned layers and
    /// the zeros of the others' kernels (``SparseComputable/automaticKernel(density:inputsPerOutput:)``),
    /// never from timings. `freezingWeights` copies the current weights into the compressed
    /// kernels, for a model that will not change while they are used (inference).
    func layerKernels(_ policy: KernelPolicy, freezingWeights: Bool = false) -> [LayerKernel] {
        guard policy != .dense, pk_sparse_available() != 0 else { return Array(repeating: .gemm, count: layers.count) }
        let masks = Dictionary(uniqueKeysWithValues: (pruning?.layers ?? []).map { ($0.layerIndex, $0.mask) })
        return layers.indices.map { index in
            let layer = layers[index]
            guard let sparseLayer = layer as? any SparseComputable, let kernelIndex = layer.prunableParameterIndex,
                  kernelIndex < layer.parameters.count else { return .gemm }
            // A pruned layer keeps its mask's positions (kept weights that happen to be 0 still
            // get gradients); any other layer keeps its non-zeros.
            let kept = masks[index] ?? layer.parameters[kernelIndex]
            let columns = kept.shape.last ?? 0, rows = columns == 0 ? 0 : kept.count / columns
            if policy == .automatic {
                switch sparseLayer.automaticKernel(density: 1 - kept.zeroFraction, inputsPerOutput: rows) {
                case .gemm: return .gemm
                case .direct: return .direct
                case .gradientSparse: return .gradientSparse
                case .sparse: break
                }
            }
            return .sparse(kept.scalars.withUnsafeBufferPointer { kept in
                layer.parameters[kernelIndex].scalars.withUnsafeBufferPointer { weights in
                    SparseKernel(kept: kept, rows: rows, columns: columns, frozenWeights: freezingWeights ? weights : nil)
                }
            })
        }
    }
}

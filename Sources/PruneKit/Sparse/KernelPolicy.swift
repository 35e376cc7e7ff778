/// How a model's Conv2D and Dense layers compute their matrix products: dense GEMM, or sparse
/// kernels that skip the zeros of a pruned kernel.
///
/// Give it to ``Sequential/fit(_:batchSize:epochs:validationSplit:validationData:shuffle:seed:verbose:callbacks:initialEpoch:kernels:)``,
/// ``Sequential/evaluate(_:batchSize:kernels:)`` or ``Sequential/predict(_:batchSize:kernels:)``.
/// The choice depends only on the model (its masks, or the zeros of a stripped kernel) and the
/// policy, never on timings, so a run is reproducible.
///
/// Forward outputs and input gradients are the same bits on both kinds of kernel: the sparse
/// products sum the kept weights in the dense GEMM's order, and a skipped zero changes no sum
/// (for finite values). The sparse kernel gradient is computed only at kept positions (0 at
/// pruned ones, which the mask zeroes anyway) and in its own order (16 interleaved partial sums),
/// so training on sparse kernels differs from dense training in the last bits of the weights.
/// Sparse kernels need a fused multiply-add GEMM path; on the `portable` path every layer runs dense.
public enum KernelPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Sparse kernels for each layer whose kept fraction is at most its type's crossover
    /// (see ``crossoverDensity(ofLayerType:)``): the default.
    case automatic
    /// Dense GEMM for every layer, as an unpruned model runs: for comparisons.
    case dense
    /// Sparse kernels for every Conv2D and Dense layer, whatever its sparsity: for measurements.
    case sparse

    /// The largest kept fraction of a kernel at which ``automatic`` runs a layer type sparse, or
    /// `nil` for layer types without sparse kernels. Measured with `swift run -c release bench`
    /// (see Benchmarks/README.md): below it the sparse products are faster than dense GEMM.
    public static func crossoverDensity(ofLayerType typeName: String) -> Double? {
        switch typeName {
        case "Conv2D": Conv2D.sparseCrossover
        case "Dense": Dense.sparseCrossover
        default: nil
        }
    }
}

/// A layer with products on a compressed kernel (``SparseKernel``).
protocol SparseComputable: Layer {
    /// The largest kept fraction at which the sparse products beat dense GEMM.
    static var sparseCrossover: Double { get }
    func forwardSparse(_ pass: ForwardPass, kernel: SparseKernel)
    func backwardSparse(_ pass: BackwardPass, kernel: SparseKernel)
}

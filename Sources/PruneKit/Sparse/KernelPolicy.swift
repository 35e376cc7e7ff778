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
    /// Sparse kernels for each layer whose kept fraction is at most its type's crossover and
    /// whose outputs each sum enough inputs (see ``choosesSparse(layerType:density:inputsPerOutput:)``):
    /// the default.
    case automatic
    /// Dense GEMM for every layer, as an unpruned model runs: for comparisons.
    case dense
    /// Sparse kernels for every Conv2D and Dense layer, whatever its sparsity: for measurements.
    case sparse

    /// Whether ``automatic`` runs a layer of type `layerType` (``Layer/typeName``) on sparse
    /// kernels: a Conv2D or Dense layer whose kernel keeps at most the crossover fraction — 20%
    /// (80% sparsity) for both, where `swift run -c release bench --sparse` found the sparse
    /// kernels faster at batch 250 and at batch 1 (Benchmarks/README.md) — and whose outputs each
    /// sum at least 64 inputs (Conv2D: kernel height · width · input channels) or 1 (Dense).
    public static func choosesSparse(layerType: String, density: Double, inputsPerOutput: Int) -> Bool {
        let layer: (any SparseComputable.Type)? = switch layerType {
        case "Conv2D": Conv2D.self
        case "Dense": Dense.self
        default: nil
        }
        guard let layer else { return false }
        return density <= layer.sparseCrossover && inputsPerOutput >= layer.sparseMinimumInputs
    }
}

/// A layer with products on a compressed kernel (``SparseKernel``).
protocol SparseComputable: Layer {
    /// The largest kept fraction at which the sparse products beat dense GEMM.
    static var sparseCrossover: Double { get }
    /// The fewest inputs per output (kernel rows) at which the sparse products pay.
    static var sparseMinimumInputs: Int { get }
    func forwardSparse(_ pass: ForwardPass, kernel: SparseKernel)
    func backwardSparse(_ pass: BackwardPass, kernel: SparseKernel)
}

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
    /// The fastest exact kernels for each layer: sparse kernels for each layer whose kept fraction
    /// is at most its type's crossover (see ``choosesSparse(_:density:inputsPerOutput:)``), a
    /// direct convolution (no im2col) for a Conv2D with fewer than 64 inputs per output otherwise,
    /// dense GEMM for the rest — for a Conv2D on GEMM with a multiple of 16 inputs per output, a
    /// backward pass whose two products skip the output gradient's zeros (behind max pooling
    /// three in four or more), with GEMM's bits: the default.
    case automatic
    /// Dense GEMM for every layer (im2col + GEMM for a Conv2D, zeros of the gradient included),
    /// as an unpruned model ran before sparse and direct kernels: the baseline for comparisons.
    case dense
    /// Sparse kernels for every Conv2D and Dense layer, whatever its sparsity: for measurements.
    case sparse

    /// Whether ``automatic`` runs `layer` on sparse kernels: a Conv2D or Dense layer whose kernel
    /// keeps at most the crossover fraction — 20% (80% sparsity) for both, where
    /// `swift run -c release bench --sparse` found the sparse kernels faster at batch 250 and at
    /// batch 1 (Benchmarks/README.md), and 50% for a Conv2D whose outputs each sum fewer than 64
    /// inputs (kernel height · width · input channels), which above it runs as a direct
    /// convolution, with im2col + GEMM's bits. Other layers have no products to choose.
    public static func choosesSparse(_ layer: any Layer, density: Double, inputsPerOutput: Int) -> Bool {
        guard let layer = layer as? any SparseComputable else { return false }
        return layer.automaticKernel(density: density, inputsPerOutput: inputsPerOutput) == .sparse
    }
}

/// The products ``KernelPolicy/automatic`` picks for a layer (``SparseComputable``).
enum AutomaticKernel {
    /// Dense GEMM.
    case gemm
    /// A direct convolution (``pk_conv_direct``).
    case direct
    /// Dense GEMM forward, and backward products over the output gradient's non-zeros
    /// (``GradientEntries``).
    case gradientSparse
    /// Sparse products on the compressed kernel.
    case sparse
}

/// A layer with products on a compressed kernel (``SparseKernel``).
protocol SparseComputable: Layer {
    /// The products ``KernelPolicy/automatic`` runs the layer on when its kernel keeps `density`
    /// of its weights and each output sums `inputsPerOutput` inputs.
    func automaticKernel(density: Double, inputsPerOutput: Int) -> AutomaticKernel
    func forwardSparse(_ pass: ForwardPass, kernel: SparseKernel)
    func backwardSparse(_ pass: BackwardPass, kernel: SparseKernel)
}

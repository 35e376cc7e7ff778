import Synchronization

/// A model's inference kernels (``Sequential/layerKernels(_:freezingWeights:)`` with the weights
/// frozen in), kept across `predict` and `evaluate` calls so that each call does not compress the
/// kernels anew.
///
/// Invariant: a cache only ever holds kernels built from the layers and masks of the models that
/// share it. A new model starts with an empty cache, and ``Sequential/layers`` and
/// ``Sequential/pruning`` replace it with an empty one on every change (their `didSet`; any
/// mutation of a layer's parameters or of a mask goes through one of them), so a copy that changes
/// stops sharing the cache of the copies that do not, and a stale kernel is never served.
final class InferenceKernels: Sendable {
    private let built = Mutex<[KernelPolicy: [LayerKernel]]>([:])

    /// The kernels of `model` (whose cache this is) under `policy`, built on first use.
    func kernels(_ policy: KernelPolicy, of model: Sequential) -> [LayerKernel] {
        if let kernels = built.withLock({ $0[policy] }) { return kernels }
        let kernels = model.layerKernels(policy, freezingWeights: true)
        built.withLock { $0[policy] = kernels }
        return kernels
    }
}

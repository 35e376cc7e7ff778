extension MagnitudeMask {
    /// Global magnitude pruning (not in tfmot; as `torch.nn.utils.prune.global_unstructured` with
    /// L1 magnitude): one threshold over all `layers` together, with tfmot's rules applied to the
    /// concatenation of their weights:
    ///
    ///     k         = int32(max(round_half_even(float32(Σ sizes) · (1 − sparsity)), 1))
    ///     threshold = k-th largest |w| over all layers
    ///     mask_l    = |w_l| >= threshold   (ties kept)
    ///
    /// Layers with smaller weights lose more of them; each layer's sparsity differs from `sparsity`.
    ///
    /// - Parameters:
    ///   - layers: The kernels to prune together, any shapes.
    ///   - sparsity: The fraction of all their weights to prune, in `[0, 1)`.
    /// - Returns: One mask per layer, in order, all with the same threshold.
    /// - Throws: ``PruningError/sparsityOutOfRange(name:value:)`` for a NaN or out-of-range sparsity.
    public static func global(_ layers: [Tensor], sparsity: Float) throws(PruningError) -> [MagnitudeMask] {
        try validate(sparsity)
        let keys = layers.map { $0.scalars.map(MagnitudeRanking.key) }
        let thresholdKey = MagnitudeRanking.thresholdKey(Array(keys.joined()), sparsity: sparsity)
        return zip(layers, keys).map { layer, layerKeys in
            MagnitudeMask(mask: Tensor(shape: layer.shape, scalars: layerKeys.map { $0 >= thresholdKey ? 1 : 0 }),
                          threshold: Float(bitPattern: thresholdKey))
        }
    }
}

/// A batch laid out as a sparse convolution's wide input planes (``Conv2D/WideLayout``): sample
/// `s`, channel `c` at `base + s·sampleStride + c·channelStride`, row-major within the plane.
struct WidePlanes {
    let base: UnsafeMutablePointer<Float>
    let sampleStride: Int
    let channelStride: Int
}

/// Outside training, a sparse Conv2D fused with the MaxPool2D after it can write its pooled
/// output straight into the layout that the next sparse Conv2D reads (past layers that
/// inference skips, such as Dropout): no channels-last round trip and no transposes. The values
/// are the same; only their layout changes: the consumer's wide planes for batches of fewer than
/// 16 samples, its ``Conv2D/LaneLayout`` groups for larger ones (both convolutions choose by the
/// batch size, ``Conv2D/forwardSparse(_:kernel:pooling:)``).
struct PlanesHandoff {
    /// The convolution that writes the planes.
    let producer: Int
    /// The convolution that reads them.
    let consumer: Int
    /// The consumer's wide layout.
    let layout: Conv2D.WideLayout

    /// Floats that hold either layout of `capacity` samples.
    func floats(capacity: Int) -> Int {
        let lanes = Conv2D.LaneLayout(shape: [layout.geometry.inputHeight, layout.geometry.inputWidth, layout.geometry.channels])
        return max(capacity * layout.sampleStride, Conv2D.LaneLayout.groups(capacity) * lanes.groupStride)
    }
}

extension Sequential {
    /// The handoffs of an inference pass on `kernels`, for the per-sample activation `shapes`
    /// (input first): each pair of sparse convolutions as ``PlanesHandoff`` describes.
    func planesHandoffs(kernels: [LayerKernel], shapes: [[Int]]) -> [PlanesHandoff] {
        layers.indices.compactMap { index -> PlanesHandoff? in
            guard kernels[index].sparse != nil, fusedPooling(at: index, training: false, kernels: kernels) != nil else { return nil }
            var consumer = index + 2
            while consumer < layers.count - 1, layers[consumer] is any IdentityOutsideTraining { consumer += 1 }
            guard consumer < layers.count, let conv = layers[consumer] as? Conv2D, kernels[consumer].sparse != nil,
                  shapes[consumer] == shapes[index + 2] else { return nil }
            let geometry = Conv2D.Geometry(inputShape: shapes[consumer], kernelSize: conv.kernelSize)
            return PlanesHandoff(producer: index, consumer: consumer, layout: Conv2D.WideLayout(geometry: geometry))
        }
    }
}

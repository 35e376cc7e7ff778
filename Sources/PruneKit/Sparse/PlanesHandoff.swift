/// A batch laid out as a sparse convolution's wide input planes (``Conv2D/WideLayout``): sample
/// `s`, channel `c` at `base + s·sampleStride + c·channelStride`, row-major within the plane.
struct WidePlanes {
    let base: UnsafeMutablePointer<Float>
    let sampleStride: Int
    let channelStride: Int
}

/// A batch laid out feature-major in pieces of ``Dense/sparseForwardRows`` samples, as a sparse
/// Dense layer reads it (``Dense/forwardSparse(_:kernel:)``): feature `k` of sample `s` at
/// `base + (s / rows)·features·rows + k·rows + s mod rows`, `rows` = ``stride``.
struct FeatureRows {
    let base: UnsafeMutablePointer<Float>
    /// Features per sample.
    let features: Int
    /// Floats from one feature to the next within a piece: its samples.
    static let stride = Dense.sparseForwardRows

    /// Where the values of `sample` (a multiple of 16) and the samples after it start.
    func start(of sample: Int) -> UnsafeMutablePointer<Float> {
        base + sample / Self.stride * features * Self.stride + sample % Self.stride
    }

    /// Floats that hold `capacity` samples.
    static func floats(features: Int, capacity: Int) -> Int {
        (capacity + stride - 1) / stride * stride * features
    }
}

/// Outside training, a sparse Conv2D fused with the MaxPool2D after it can write its pooled
/// output straight into the layout that the next sparse layer reads (past layers that inference
/// skips, such as Dropout and Flatten): no channels-last round trip and no transposes. The values
/// are the same; only their layout changes. For a Conv2D consumer: its wide planes for batches of
/// fewer than 16 samples, its ``Conv2D/LaneLayout`` groups for larger ones. For a Dense consumer:
/// ``FeatureRows``, for batches of at least 16 samples (smaller ones go through the activation
/// buffers). Producer and consumer choose by the batch size alike
/// (``Conv2D/forwardSparse(_:kernel:pooling:)``, ``Dense/forwardSparse(_:kernel:)``).
struct PlanesHandoff {
    /// The layout the consumer reads.
    enum Layout {
        /// A sparse Conv2D's, with its wide layout.
        case convolution(Conv2D.WideLayout)
        /// A sparse Dense layer's, with its number of inputs.
        case dense(features: Int)
    }

    /// The convolution that writes the handed-over values.
    let producer: Int
    /// The layer that reads them.
    let consumer: Int
    let layout: Layout

    /// Floats that hold the handed-over values of `capacity` samples, in every layout used.
    func floats(capacity: Int) -> Int {
        let groups = Conv2D.LaneLayout.groups(capacity)
        switch layout {
        case .convolution(let wide):
            let geometry = wide.geometry
            let lanes = Conv2D.LaneLayout(shape: [geometry.inputHeight, geometry.inputWidth, geometry.channels])
            return max(capacity * wide.sampleStride, groups * lanes.groupStride)
        case .dense(let features):
            return FeatureRows.floats(features: features, capacity: capacity)
        }
    }
}

extension Sequential {
    /// The handoffs of an inference pass on `kernels`, for the per-sample activation `shapes`
    /// (input first): each sparse convolution fused with its pooling whose output goes, past
    /// layers inference skips, to a sparse Conv2D or Dense layer, as ``PlanesHandoff`` describes.
    func planesHandoffs(kernels: [LayerKernel], shapes: [[Int]]) -> [PlanesHandoff] {
        layers.indices.compactMap { index -> PlanesHandoff? in
            // Producer and consumer must agree on the layout at every batch size: both run on lane groups from 16 samples.
            guard kernels[index].sparse != nil, fusedPooling(at: index, training: false) != nil,
                  Conv2D.LaneLayout(shape: shapes[index]).hasInt32Offsets else { return nil }
            var consumer = index + 2
            while consumer < layers.count - 1, layers[consumer] is any IdentityOutsideTraining { consumer += 1 }
            guard consumer < layers.count, kernels[consumer].sparse != nil else { return nil }
            let pooledSize = shapes[index + 2].reduce(1, *)
            if let conv = layers[consumer] as? Conv2D, shapes[consumer] == shapes[index + 2],
               Conv2D.LaneLayout(shape: shapes[consumer]).hasInt32Offsets {
                let geometry = Conv2D.Geometry(inputShape: shapes[consumer], kernelSize: conv.kernelSize)
                return PlanesHandoff(producer: index, consumer: consumer, layout: .convolution(Conv2D.WideLayout(geometry: geometry)))
            }
            if layers[consumer] is Dense, shapes[consumer] == [pooledSize] {
                return PlanesHandoff(producer: index, consumer: consumer, layout: .dense(features: pooledSize))
            }
            return nil
        }
    }
}

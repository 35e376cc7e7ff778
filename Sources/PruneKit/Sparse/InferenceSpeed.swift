import Dispatch

/// A model's inference speed on dense and on sparse kernels (``KernelPolicy``), measured
/// alternately in one run so that drift in the machine's speed affects both alike, and whether
/// the two give the same predictions.
public struct InferenceSpeed: Sendable, Equatable, Codable {
    /// Samples per batch.
    public let batchSize: Int
    /// Samples predicted per timed pass.
    public let samples: Int
    /// Timed passes of each policy (after one warm-up pass of each); the seconds are the best of them.
    public let repeats: Int
    /// The best wall time of one pass with ``KernelPolicy/dense``, in seconds.
    public let denseSeconds: Double
    /// The best wall time of one pass with the compared policy, in seconds.
    public let sparseSeconds: Double
    /// The layers the compared policy ran on sparse kernels.
    public let sparseLayers: [String]
    /// The largest absolute difference between the two policies' outputs.
    public let maxAbsoluteDifference: Float
    /// The number of samples whose predicted class (largest output, first on ties) differs.
    public let argmaxDisagreements: Int

    /// `denseSeconds / sparseSeconds`: how many times faster the sparse kernels ran.
    public var speedup: Double { denseSeconds / sparseSeconds }
    /// Samples per second on dense kernels.
    public var denseSamplesPerSecond: Double { Double(samples) / denseSeconds }
    /// Samples per second on the compared policy.
    public var sparseSamplesPerSecond: Double { Double(samples) / sparseSeconds }
    /// Milliseconds per batch on dense kernels.
    public var denseBatchMilliseconds: Double { denseSeconds * 1000 / Double(batches) }
    /// Milliseconds per batch on the compared policy.
    public var sparseBatchMilliseconds: Double { sparseSeconds * 1000 / Double(batches) }
    private var batches: Int { max(1, (samples + batchSize - 1) / batchSize) }
}

extension Sequential {
    /// Times ``predict(_:batchSize:kernels:)`` over `data` with ``KernelPolicy/dense`` and with
    /// `policy`, alternately, `repeats` times each after one warm-up pass of each, and compares
    /// their outputs. Use a stripped or pruned model to see what its zeros buy.
    ///
    /// - Throws: ``ModelError/invalidArgument(name:value:allowed:)`` for `repeats` below 1, and
    ///   what `predict` throws for data that does not fit the model.
    public func measureInferenceSpeed(on data: Dataset, batchSize: Int = 250, repeats: Int = 3,
                                      comparedWith policy: KernelPolicy = .automatic) throws(ModelError) -> InferenceSpeed {
        guard repeats >= 1 else { throw .invalidArgument(name: "repeats", value: "\(repeats)", allowed: "at least 1") }
        var denseOutput = try predict(data, batchSize: batchSize, kernels: .dense)
        var sparseOutput = try predict(data, batchSize: batchSize, kernels: policy)
        var best = (dense: Double.infinity, sparse: Double.infinity)
        for _ in 0 ..< repeats {
            var start = DispatchTime.now().uptimeNanoseconds
            denseOutput = try predict(data, batchSize: batchSize, kernels: .dense)
            best.dense = min(best.dense, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            start = DispatchTime.now().uptimeNanoseconds
            sparseOutput = try predict(data, batchSize: batchSize, kernels: policy)
            best.sparse = min(best.sparse, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let classes = denseOutput.shape.last ?? 1
        func argmax(_ scalars: ArraySlice<Float>) -> Int {
            scalars.indices.reduce(scalars.startIndex) { scalars[$1] > scalars[$0] ? $1 : $0 }
        }
        let disagreements = (0 ..< data.count).filter { sample in
            let range = sample * classes ..< (sample + 1) * classes
            return argmax(denseOutput.scalars[range]) != argmax(sparseOutput.scalars[range])
        }.count
        let difference = zip(denseOutput.scalars, sparseOutput.scalars).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
        let kernels = inferenceKernels.kernels(policy, of: self)
        return InferenceSpeed(batchSize: batchSize, samples: data.count, repeats: repeats, denseSeconds: best.dense, sparseSeconds: best.sparse,
                              sparseLayers: layers.indices.filter { kernels[$0].sparse != nil }.map { layerNames[$0] },
                              maxAbsoluteDifference: difference, argmaxDisagreements: disagreements)
    }
}

import PruneKit

/// What the pruned model is worth once shipped: what each step of Deep Compression buys for it
/// (`CompressionStages`), and how fast the stripped model predicts on its default kernels —
/// sparse for the layers pruned past the crossover — against dense ones (`InferenceSpeed`).
/// Measured once both models are trained (``PreparedExperiment/deployment(pruned:baseline:)``),
/// stored in `results.json`.
public struct DeploymentResults: Sendable, Codable, Equatable {
    /// The model file at each stage, raw and gzip -9, with the accuracies of the stages that
    /// change the numbers.
    public var stages: CompressionStages
    /// Whether the dense float32 stage is the trained baseline. When `false` it is the same network
    /// before pruning: its raw file is the size a trained dense model's is, but its gzip size is
    /// that of its initial weights and its accuracy is not a trained one.
    public var denseIsBaseline: Bool
    /// The stripped pruned model's inference speed on its default kernels against forced dense ones.
    public var inference: InferenceSpeed

    /// Test images the inference speed is measured on, at most (the first ones), so that a
    /// full-MNIST run spends seconds on it, not minutes.
    public static let speedImages = 1_000
    /// Timed passes of each kernel choice, after one warm-up pass of each.
    public static let speedRepeats = 3

    public init(stages: CompressionStages, denseIsBaseline: Bool, inference: InferenceSpeed) {
        self.stages = stages
        self.denseIsBaseline = denseIsBaseline
        self.inference = inference
    }
}

import PruneKit

/// Everything the experiment measured, written to `results.json` in its log directory so that the
/// report can be rendered again from the logs alone.
public struct ExperimentResults: Sendable, Codable, Equatable {
    /// The parameters of the run.
    public var configuration: ExperimentConfiguration
    /// Where the data came from (`MNIST.source`).
    public var dataSource: String
    /// Training images before the validation split, images trained per epoch, validation and test images.
    public var trainingImages: Int, fitImages: Int, validationImages: Int, testImages: Int
    /// The model summary, as `Sequential.summary()` prints it.
    public var modelSummary: String
    /// Steps per epoch and in total.
    public var stepsPerEpoch: Int, totalSteps: Int
    /// The schedule's first and last step, resolved from the configuration.
    public var beginStep: Int, endStep: Int
    /// The pruned model's results.
    public var pruned: RunResults
    /// The unpruned model's results, when a baseline was trained.
    public var baseline: RunResults?
    /// When the experiment finished (ISO 8601) and on how many cores it ran.
    public var finished: String, cores: Int
    /// The pruned model's compression stages and inference speed; `nil` in results written before
    /// they were measured.
    public var deployment: DeploymentResults?
}

/// One trained model's results.
public struct RunResults: Sendable, Codable, Equatable {
    /// Loss and accuracy on the test images (the stripped model, for the pruned run).
    public var test: Evaluation
    /// The kernels' sparsity at the end.
    public var sparsity: SparsityTable
    /// The saved model's size: the file without optimizer state, raw and gzip-compressed.
    public var fileBytes: Int, gzipBytes: Int
    /// Training images per second (fit images / median epoch, validation included) and total seconds.
    public var imagesPerSecond: Double, trainingSeconds: Double
}

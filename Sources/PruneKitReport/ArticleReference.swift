import PruneKit

/// What the article ran and reported: its configuration (``ExperimentConfiguration``'s defaults)
/// on the full MNIST (60,000 training and 10,000 test images), and the pruned model's test
/// accuracy it printed, 99.21%. The steps and mask updates are resolved by the same code that
/// resolves a run's.
public struct ArticleReference: Sendable {
    /// The article's configuration.
    public let configuration = ExperimentConfiguration()
    /// The full MNIST's training and test images.
    public let trainingImages = 60_000, testImages = 10_000
    /// The pruned model's test accuracy the article reports.
    public let testAccuracy = 0.9921

    public init() {}

    /// Images trained per epoch.
    public var fitImages: Int { configuration.fitCount(trainingImages: trainingImages) }
    /// Training steps in the article's run.
    public var totalSteps: Int { configuration.stepsPerEpoch(trainingImages: trainingImages) * configuration.epochs }
    /// The article's mask updates.
    public var updates: [PruningTimeline.Update] {
        (try? configuration.makeSchedule(totalSteps: totalSteps))?.timeline(through: totalSteps).updates ?? []
    }
}

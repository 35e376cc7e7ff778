import PruneKit

/// The parameters of the article's experiment: data, training, pruning schedule and seed.
/// The defaults are the article's.
public struct ExperimentConfiguration: Sendable, Equatable, Hashable, Codable {
    /// Which pruning schedule to use.
    public enum ScheduleKind: String, Sendable, Codable, CaseIterable {
        case polynomial, constant
    }

    /// A directory of MNIST IDX files or a Keras `mnist.npz`; `nil` for the bundled sample.
    public var dataPath: String?
    /// Keep only the first this many training images (before the validation split); `nil` keeps all.
    public var trainingSubset: Int?
    public var epochs = 30
    public var batchSize = 250
    /// Keras's `validation_split`: the last fraction of the training images, held out.
    public var validationSplit = 0.2
    public var schedule = ScheduleKind.polynomial
    /// PolynomialDecay's starting sparsity.
    public var initialSparsity = 0.0
    /// The sparsity pruning ends at (ConstantSparsity's target).
    public var finalSparsity = 0.875
    /// The first pruning step.
    public var begin = StepPosition.fraction(0.2)
    /// The last pruning step.
    public var end = StepPosition.fraction(1.0)
    /// Masks are updated every `frequency` steps.
    public var frequency = 100
    /// The seed of initialisation, shuffling and dropout (the pruned and baseline models start from
    /// the same weights).
    public var seed: UInt64 = 1
    /// Whether to train the same model unpruned too, for comparison.
    public var baseline = true

    public init() {}

    /// Training images per epoch for a training set of `count` images.
    public func fitCount(trainingImages count: Int) -> Int {
        Sequential.trainingCount(samples: count, validationSplit: validationSplit)
    }

    /// Training steps per epoch for a training set of `count` images.
    public func stepsPerEpoch(trainingImages count: Int) -> Int {
        Sequential.stepsPerEpoch(samples: count, batchSize: batchSize, validationSplit: validationSplit)
    }

    /// The schedule, with `begin` and `end` resolved against `totalSteps`.
    public func makeSchedule(totalSteps: Int) throws(PruningError) -> any PruningSchedule {
        let (beginStep, endStep) = (begin.resolve(totalSteps: totalSteps), end.resolve(totalSteps: totalSteps))
        switch schedule {
        case .polynomial:
            return try PolynomialDecay(initialSparsity: initialSparsity, finalSparsity: finalSparsity,
                                       beginStep: beginStep, endStep: endStep, frequency: frequency)
        case .constant:
            return try ConstantSparsity(targetSparsity: finalSparsity, beginStep: beginStep, endStep: endStep, frequency: frequency)
        }
    }

    /// Checks the parameters that need no data: counts at least 1, sparsities in [0, 1), a
    /// validation split in [0, 1).
    ///
    /// - Throws: ``ReportError/invalidParameter(_:)`` naming the option and its value.
    public func validate() throws(ReportError) {
        for (name, value) in [("--epochs", epochs), ("--batch-size", batchSize), ("--frequency", frequency)] where value < 1 {
            throw .invalidParameter("\(name) must be at least 1, got \(value)")
        }
        if let trainingSubset, trainingSubset < 2 {
            throw .invalidParameter("--subset must be at least 2 (some images to train on, some to validate), got \(trainingSubset)")
        }
        guard validationSplit >= 0, validationSplit < 1 else {
            throw .invalidParameter("validation split must be in [0, 1), got \(validationSplit)")
        }
        for (name, value) in [("--initial-sparsity", initialSparsity), ("--final-sparsity", finalSparsity)] where !(value >= 0 && value < 1) {
            throw .invalidParameter("\(name) must be in [0, 1), got \(value)")
        }
    }

    /// The configuration a resumed run uses: `stored` (read from the log directory at `path`), with
    /// each parameter of `self` left at its default taken from it.
    ///
    /// - Throws: ``ReportError/invalidParameter(_:)`` naming every parameter of `self` that is not
    ///   at its default and differs from `stored`.
    public func resuming(_ stored: ExperimentConfiguration, from path: String) throws(ReportError) -> ExperimentConfiguration {
        let defaults = Mirror(reflecting: ExperimentConfiguration()).children.map { String(describing: $0.value) }
        let saved = Mirror(reflecting: stored).children.map { String(describing: $0.value) }
        let contradictions = Mirror(reflecting: self).children.enumerated().compactMap { index, field -> String? in
            let value = String(describing: field.value)
            guard value != defaults[index], value != saved[index] else { return nil }
            return "\(field.label ?? "?") is \(value) on the command line but \(saved[index]) in the stored run"
        }
        guard contradictions.isEmpty else {
            throw .invalidParameter("--resume \(path): \(contradictions.joined(separator: "; ")) (leave the options out to resume it, or start a new run without --resume)")
        }
        return stored
    }

    /// The command that reproduces this experiment, every parameter spelled out.
    public var command: String {
        var words = ["swift", "run", "-c", "release", "report"]
        if let dataPath { words += ["--data", dataPath] }
        if let trainingSubset { words += ["--subset", "\(trainingSubset)"] }
        words += ["--epochs", "\(epochs)", "--batch-size", "\(batchSize)", "--schedule", schedule.rawValue]
        if schedule == .polynomial { words += ["--initial-sparsity", "\(initialSparsity)"] }
        words += ["--final-sparsity", "\(finalSparsity)", "--begin", begin.description, "--end", end.description,
                  "--frequency", "\(frequency)", "--seed", "\(seed)"]
        if !baseline { words.append("--no-baseline") }
        return words.joined(separator: " ")
    }
}

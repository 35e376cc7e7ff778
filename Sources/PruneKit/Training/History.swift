/// What one epoch of training measured, as Keras's `logs` at `on_epoch_end`.
public struct EpochLogs: Sendable, Codable, Equatable {
    /// The epoch, counted from 0.
    public var epoch: Int
    /// Mean training loss over the epoch's samples (with dropout active, as Keras reports it).
    public var loss: Double
    /// Training accuracy over the epoch's samples.
    public var accuracy: Double
    /// Loss on the validation data, when there is any.
    public var validationLoss: Double?
    /// Accuracy on the validation data, when there is any.
    public var validationAccuracy: Double?
    /// Wall-clock seconds for the epoch, validation included.
    public var seconds: Double
    /// Training samples per second over the epoch's training batches.
    public var samplesPerSecond: Double
}

/// The record of a `fit` call: one ``EpochLogs`` per epoch, as Keras's `History`.
public struct History: Sendable, Codable, Equatable {
    /// Every finished epoch, in order.
    public var epochs: [EpochLogs] = []
    /// Training samples per epoch.
    public var trainingCount: Int
    /// Validation samples scored after each epoch (0 without validation).
    public var validationCount: Int

    /// A history of `epochs` for a run on these sample counts.
    public init(epochs: [EpochLogs] = [], trainingCount: Int, validationCount: Int) {
        self.epochs = epochs
        self.trainingCount = trainingCount
        self.validationCount = validationCount
    }

    /// The median epoch time in seconds, validation included (0 before any epoch).
    public var medianEpochSeconds: Double {
        let sorted = epochs.map(\.seconds).sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    /// Training samples per second of the median epoch, validation time included (the way Keras
    /// throughput is usually quoted: fit images / epoch time).
    public var imagesPerSecond: Double {
        medianEpochSeconds > 0 ? Double(trainingCount) / medianEpochSeconds : 0
    }

    /// Training loss per epoch (Keras's `history["loss"]`).
    public var loss: [Double] { epochs.map(\.loss) }
    /// Training accuracy per epoch.
    public var accuracy: [Double] { epochs.map(\.accuracy) }
    /// Validation loss per epoch (empty without validation data).
    public var validationLoss: [Double] { epochs.compactMap(\.validationLoss) }
    /// Validation accuracy per epoch (empty without validation data).
    public var validationAccuracy: [Double] { epochs.compactMap(\.validationAccuracy) }
}

/// Loss and accuracy of a model on a dataset.
public struct Evaluation: Sendable, Codable, Equatable {
    /// Mean loss per sample.
    public var loss: Double
    /// Fraction of samples classified correctly.
    public var accuracy: Double
    /// How many samples were scored.
    public var count: Int
}

/// The records of a summaries log (`summaries.jsonl`), one JSON object per line, each with a
/// `"kind"` field. The schema is versioned by ``RunRecord/schemaVersion``; fields are only ever
/// added, never renamed or removed, within a version.
///
/// - `run` (first line of a run): what is being trained and how it is pruned.
/// - `step`: losses and per-layer sparsity after a training batch.
/// - `epoch`: the epoch's losses and accuracies (validation included) and per-layer sparsity.
/// - `weights`: a magnitude histogram of each pruned (or, unpruned, each) kernel.
public enum SummaryRecord: Sendable, Equatable {
    /// The first record of a run.
    case run(RunRecord)
    /// After a training batch.
    case step(StepRecord)
    /// After an epoch.
    case epoch(EpochRecord)
    /// A snapshot of the weight magnitudes.
    case weights(WeightsRecord)
}

/// The first record of a run.
public struct RunRecord: Sendable, Codable, Equatable {
    /// The version of this schema (1).
    public var schemaVersion = 1
    /// The seed of shuffling and dropout.
    public var seed: UInt64
    /// The number of epochs `fit` was asked for.
    public var epochs: Int
    /// Training batches per epoch.
    public var stepsPerEpoch: Int
    /// Training samples per epoch.
    public var trainingCount: Int
    /// Validation samples (0 without validation).
    public var validationCount: Int
    /// The batches trained before this run started (non-zero when resuming).
    public var startStep: Int
    /// Every layer with a kernel.
    public var layers: [KernelDescription]
    /// How the model is pruned, or `nil` for an unpruned run.
    public var pruning: PruningDescription?
}

/// A kernel of the model.
public struct KernelDescription: Sendable, Codable, Equatable {
    /// The layer's name (``Sequential/layerNames``).
    public var name: String
    /// The layer's Keras class name, such as `Dense`.
    public var type: String
    /// The kernel's shape.
    public var shape: [Int]
    /// Whether the run prunes this kernel.
    public var pruned: Bool
}

/// A pruning policy, written out.
public struct PruningDescription: Sendable, Codable, Equatable {
    /// `"PolynomialDecay"`, `"ConstantSparsity"` or the type name of a custom schedule.
    public var schedule: String
    /// ``PolynomialDecay``'s starting sparsity; `nil` for other schedules.
    public var initialSparsity: Double?
    /// The sparsity the schedule ends at.
    public var finalSparsity: Double
    /// The schedule's first pruning step.
    public var beginStep: Int
    /// The schedule's last pruning step (`-1`: prune for ever).
    public var endStep: Int
    /// Masks are updated every this many steps.
    public var frequency: Int
    /// ``PolynomialDecay``'s exponent; `nil` for other schedules.
    public var power: Double?
    /// Whether ``PolynomialDecay`` also updates at its end step; `nil` for other schedules.
    public var updatesAtEndStep: Bool?
    /// `perLayer` or `global`.
    public var scope: String
    /// `[rows, columns]` of block sparsity, if any.
    public var blockSize: [Int]?
    /// `AVG` or `MAX`, with block sparsity.
    public var blockPooling: String?
    /// `[m, n]` of m-by-n sparsity, if any.
    public var mByN: [Int]?
    /// Every mask update the schedule makes during the run, with its target: the staircase.
    public var updates: [PruningTimeline.Update]
    /// The final target minus the last targeted sparsity (tfmot's end-step shortfall), 0 if reached.
    public var shortfall: Float
}

/// One pruned kernel's state at a moment.
public struct LayerSparsity: Sendable, Codable, Equatable {
    /// The layer's name.
    public var name: String
    /// The fraction of the kernel that is exactly zero.
    public var sparsity: Double
    /// The fraction the mask prunes (tfmot's `1 − mean(mask)`), `nil` unpruned.
    public var maskSparsity: Double?
    /// The magnitude the last mask update cut at, `nil` unpruned.
    public var threshold: Float?
    /// The sparsity the last mask update targeted, `nil` unpruned.
    public var targetSparsity: Float?
}

/// After a training batch.
public struct StepRecord: Sendable, Codable, Equatable {
    /// Batches trained so far (the pruning step of the batch just trained).
    public var step: Int
    /// The epoch the batch belongs to, counted from 0.
    public var epoch: Int
    /// This batch's loss.
    public var batchLoss: Double
    /// The epoch's running mean loss.
    public var loss: Double
    /// The epoch's running accuracy.
    public var accuracy: Double
    /// Each reported kernel's sparsity after the batch.
    public var layers: [LayerSparsity]
}

/// After an epoch.
public struct EpochRecord: Sendable, Codable, Equatable {
    /// The epoch, counted from 0.
    public var epoch: Int
    /// Batches trained so far.
    public var step: Int
    /// Mean training loss over the epoch.
    public var loss: Double
    /// Training accuracy over the epoch.
    public var accuracy: Double
    /// Validation loss, `nil` without validation data.
    public var validationLoss: Double?
    /// Validation accuracy, `nil` without validation data.
    public var validationAccuracy: Double?
    /// Wall time of the epoch, validation included.
    public var seconds: Double
    /// Training samples per second over the epoch's batches.
    public var samplesPerSecond: Double
    /// Each reported kernel's sparsity at the end of the epoch.
    public var layers: [LayerSparsity]
}

/// Weight-magnitude histograms of the kernels at a moment.
public struct WeightsRecord: Sendable, Codable, Equatable {
    /// Batches trained so far.
    public var step: Int
    /// `"start"`, `"epoch N"` (1-based, after that epoch) or `"end"`.
    public var label: String
    /// One histogram per reported kernel.
    public var layers: [MagnitudeHistogram]
}

/// The distribution of one kernel's |w|: exact zeros counted apart, the rest in equal bins.
public struct MagnitudeHistogram: Sendable, Codable, Equatable {
    /// The layer's name.
    public var name: String
    /// All weights.
    public var count: Int
    /// Weights exactly zero.
    public var zeros: Int
    /// The largest |w|; bin `i` holds the non-zero weights with |w| in `[i, i + 1) · maxMagnitude / bins`
    /// (the last bin includes `maxMagnitude`).
    public var maxMagnitude: Float
    /// The number of non-zero weights in each bin.
    public var counts: [Int]
    /// The pruning threshold at that moment, `nil` unpruned.
    public var threshold: Float?

    /// Bins `values` by magnitude.
    public init(name: String, values: [Float], bins: Int, threshold: Float?) {
        self.name = name
        self.threshold = threshold
        count = values.count
        zeros = values.withUnsafeBufferPointer { Elementwise.countZeros($0.baseAddress, count: $0.count) }
        maxMagnitude = values.lazy.map { abs($0) }.max() ?? 0
        var counts = [Int](repeating: 0, count: bins)
        if maxMagnitude > 0 {
            let scale = Float(bins) / maxMagnitude
            for value in values where value != 0 { counts[min(Int(abs(value) * scale), bins - 1)] += 1 }
        }
        self.counts = counts
    }
}

extension SummaryRecord: Codable {
    private enum Kind: String, Codable { case run, step, epoch, weights }
    private enum Key: String, CodingKey { case kind }

    public init(from decoder: any Decoder) throws {
        switch try decoder.container(keyedBy: Key.self).decode(Kind.self, forKey: .kind) {
        case .run: self = .run(try RunRecord(from: decoder))
        case .step: self = .step(try StepRecord(from: decoder))
        case .epoch: self = .epoch(try EpochRecord(from: decoder))
        case .weights: self = .weights(try WeightsRecord(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .run(let record): try container.encode(Kind.run, forKey: .kind); try record.encode(to: encoder)
        case .step(let record): try container.encode(Kind.step, forKey: .kind); try record.encode(to: encoder)
        case .epoch(let record): try container.encode(Kind.epoch, forKey: .kind); try record.encode(to: encoder)
        case .weights(let record): try container.encode(Kind.weights, forKey: .kind); try record.encode(to: encoder)
        }
    }
}

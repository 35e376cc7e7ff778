import Foundation

/// tfmot's `PruningSummaries` and Keras's `TensorBoard` callback in one, opened up: records loss,
/// accuracy and, for every pruned layer, the actual sparsity of its kernel and the mask threshold,
/// into a log directory that both people and programs can read:
///
/// - `summaries.jsonl`: one JSON record per line (see ``SummaryRecord`` for the schema), the file
///   the report generator reads;
/// - `train/`, `validation/`, `metrics/`: TensorBoard event files with the tags tfmot and Keras
///   write (`epoch_loss`, `epoch_accuracy`; `prune_low_magnitude_<layer>/mask:0/sparsity` and
///   `prune_low_magnitude_<layer>/threshold:0/threshold`; `<layer>/kernel` histograms), so
///   `tensorboard --logdir` shows the run as it shows a tfmot run.
///
/// Every record reaches the operating system as it is written: a run that is killed leaves a
/// readable log up to its last step. Weight histograms are taken at the start, after each epoch and
/// at the end.
public final class PruningSummaries: Callback {
    /// How often per-step records are written.
    public enum UpdateFrequency: Sendable, Equatable {
        /// Only after each epoch (tfmot's `update_freq='epoch'`).
        case epoch
        /// After every `n`-th training batch, and after each epoch.
        case steps(Int)
    }

    /// The log directory.
    public let logDirectory: String
    /// How often per-step records are written.
    public let updateFrequency: UpdateFrequency
    /// Bins of the weight-magnitude histograms in `summaries.jsonl`.
    public let histogramBins: Int

    private var records: AppendOnlyFile?
    private var train: EventFileWriter?
    private var validation: EventFileWriter?
    private var metrics: EventFileWriter?
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The name of the JSON Lines file in the log directory.
    public static let recordsFileName = "summaries.jsonl"

    /// Creates the callback; nothing is written before training starts.
    public init(logDirectory: String, updateFrequency: UpdateFrequency = .epoch, histogramBins: Int = 100) {
        precondition(histogramBins > 0, "histogramBins must be positive")
        if case .steps(let n) = updateFrequency { precondition(n > 0, "updateFrequency .steps(n) needs n > 0") }
        self.logDirectory = logDirectory
        self.updateFrequency = updateFrequency
        self.histogramBins = histogramBins
    }

    public func trainBegin(_ state: inout TrainingState) throws {
        let resuming = state.step > 0
        let path = (logDirectory as NSString).appendingPathComponent(Self.recordsFileName)
        records = try AppendOnlyFile(path: path, keepingContents: resuming)
        train = try EventFileWriter(directory: (logDirectory as NSString).appendingPathComponent("train"))
        validation = try EventFileWriter(directory: (logDirectory as NSString).appendingPathComponent("validation"))
        metrics = try EventFileWriter(directory: (logDirectory as NSString).appendingPathComponent("metrics"))
        try write(.run(runRecord(state)))
        if !resuming {
            try writeMetrics(state.model, step: 0)
            try writeWeights(state.model, step: 0, label: "start")
        }
    }

    public func batchEnd(_ state: inout TrainingState) throws {
        guard case .steps(let n) = updateFrequency, let logs = state.batchLogs else { return }
        let step = state.step + 1
        guard step % n == 0 else { return }
        try write(.step(StepRecord(step: step, epoch: state.epoch, batchLoss: logs.batchLoss, loss: logs.loss,
                                   accuracy: logs.accuracy, layers: Self.sparsity(of: state.model))))
        try writeMetrics(state.model, step: step)
        try train?.addScalar(tag: "batch_loss", value: logs.batchLoss, step: step)
    }

    public func epochEnd(_ state: inout TrainingState) throws {
        guard let logs = state.epochLogs else { return }
        try write(.epoch(EpochRecord(epoch: logs.epoch, step: state.step, loss: logs.loss, accuracy: logs.accuracy,
                                     validationLoss: logs.validationLoss, validationAccuracy: logs.validationAccuracy,
                                     seconds: logs.seconds, samplesPerSecond: logs.samplesPerSecond,
                                     layers: Self.sparsity(of: state.model))))
        try train?.addScalar(tag: "epoch_loss", value: logs.loss, step: logs.epoch)
        try train?.addScalar(tag: "epoch_accuracy", value: logs.accuracy, step: logs.epoch)
        if let loss = logs.validationLoss, let accuracy = logs.validationAccuracy {
            try validation?.addScalar(tag: "epoch_loss", value: loss, step: logs.epoch)
            try validation?.addScalar(tag: "epoch_accuracy", value: accuracy, step: logs.epoch)
        }
        if updateFrequency == .epoch { try writeMetrics(state.model, step: state.step) }
        try writeWeights(state.model, step: state.step, label: "epoch \(logs.epoch + 1)")
    }

    public func trainEnd(_ state: inout TrainingState) throws {
        try writeWeights(state.model, step: state.step, label: "end")
        for writer in [train, validation, metrics] { try writer?.close() }
        try records?.close()
        (records, train, validation, metrics) = (nil, nil, nil, nil)
    }

    // MARK: - Records

    private func write(_ record: SummaryRecord) throws {
        guard let records else { return }
        try records.append(Array(try encoder.encode(record)) + [UInt8(ascii: "\n")])
    }

    /// tfmot's pruning scalars: mask sparsity and threshold per pruned layer.
    private func writeMetrics(_ model: Sequential, step: Int) throws {
        guard let metrics, let pruning = model.pruning else { return }
        for layer in pruning.layers {
            try metrics.addScalar(tag: "prune_low_magnitude_\(layer.name)/mask:0/sparsity", value: layer.maskSparsity, step: step)
            try metrics.addScalar(tag: "prune_low_magnitude_\(layer.name)/threshold:0/threshold", value: Double(layer.threshold), step: step)
        }
    }

    private func writeWeights(_ model: Sequential, step: Int, label: String) throws {
        let thresholds = Dictionary(uniqueKeysWithValues: (model.pruning?.layers ?? []).map { ($0.layerIndex, $0.threshold) })
        var histograms: [MagnitudeHistogram] = []
        for (index, kernel) in Self.reportedKernels(of: model) {
            histograms.append(MagnitudeHistogram(name: model.layerNames[index], values: kernel.scalars, bins: histogramBins,
                                                 threshold: thresholds[index]))
            try train?.addHistogram(tag: "\(model.layerNames[index])/kernel", values: kernel.scalars, step: step)
        }
        try write(.weights(WeightsRecord(step: step, label: label, layers: histograms)))
    }

    /// The pruned layers, or every layer with a kernel when the model is not pruned, with their kernels.
    private static func reportedKernels(of model: Sequential) -> [(layer: Int, kernel: Tensor)] {
        guard let pruned = model.pruning.map({ Set($0.layers.map(\.layerIndex)) }) else { return model.kernels }
        return model.kernels.filter { pruned.contains($0.layer) }
    }

    private static func sparsity(of model: Sequential) -> [LayerSparsity] {
        let pruned = Dictionary(uniqueKeysWithValues: (model.pruning?.layers ?? []).map { ($0.layerIndex, $0) })
        return reportedKernels(of: model).map { index, kernel in
            let layer = pruned[index]
            return LayerSparsity(name: model.layerNames[index], sparsity: kernel.zeroFraction,
                                 maskSparsity: layer?.maskSparsity, threshold: layer?.threshold, targetSparsity: layer?.targetSparsity)
        }
    }

    private func runRecord(_ state: TrainingState) -> RunRecord {
        let model = state.model
        let pruned = Set(model.pruning?.layers.map(\.layerIndex) ?? [])
        let kernels = model.kernels.map { index, kernel in
            KernelDescription(name: model.layerNames[index], type: model.layers[index].typeName,
                              shape: kernel.shape, pruned: pruned.contains(index))
        }
        let lastStep = state.step + state.stepsPerEpoch * (state.epochs - state.epoch)
        return RunRecord(seed: state.seed, epochs: state.epochs, stepsPerEpoch: state.stepsPerEpoch,
                         trainingCount: state.trainingCount, validationCount: state.validationCount, startStep: state.step,
                         layers: kernels, pruning: model.pruning.map { PruningDescription($0.policy, lastStep: lastStep) })
    }
}

extension PruningDescription {
    /// Describes `policy` for a run whose last training step is `lastStep`.
    init(_ policy: PruningPolicy, lastStep: Int) {
        let schedule = policy.schedule
        let timeline = schedule.timeline(through: max(lastStep, 0))
        self.init(schedule: String(describing: type(of: schedule)),
                  initialSparsity: (schedule as? PolynomialDecay)?.initialSparsity,
                  finalSparsity: Double(schedule.finalTargetSparsity),
                  beginStep: schedule.beginStep, endStep: schedule.endStep, frequency: schedule.frequency,
                  power: (schedule as? PolynomialDecay)?.power,
                  updatesAtEndStep: (schedule as? PolynomialDecay)?.updatesAtEndStep,
                  scope: policy.scope.rawValue,
                  blockSize: policy.blockSparsity.map { [$0.rows, $0.columns] },
                  blockPooling: policy.blockSparsity?.pooling.rawValue,
                  mByN: policy.nmSparsity.map { [$0.m, $0.n] },
                  updates: timeline.updates, shortfall: timeline.shortfall)
    }
}

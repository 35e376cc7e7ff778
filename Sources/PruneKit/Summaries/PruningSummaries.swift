import Foundation
import PruneKitFiles

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
///
/// Resuming: after each epoch the length of every log file is recorded in
/// ``positionsFileName``. When training resumes from a checkpoint (`fit(initialEpoch:)` on a model
/// whose optimizer has taken steps), each file is cut back to its length at the checkpoint's step
/// and the event files written after it are removed, so what a killed run wrote after its last
/// checkpoint (a torn last line included) is dropped and the log holds each step once, as
/// TensorBoard reads it. A fresh start removes the event files and positions of an earlier run
/// in the same directory, as it empties `summaries.jsonl`.
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

    /// The name of the file, in the log directory, that records each log file's length after every
    /// epoch, which a resumed run cuts the logs back to.
    public static let positionsFileName = "summaries-positions.json"

    /// The subdirectories holding TensorBoard event files.
    private static let eventDirectories = ["train", "validation", "metrics"]

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
        if resuming { try cutLogs(back: state.step) } else { try removeEarlierLogs() }
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
        try recordPositions(step: state.step)
    }

    public func trainEnd(_ state: inout TrainingState) throws {
        try writeWeights(state.model, step: state.step, label: "end")
        for writer in [train, validation, metrics] { try writer?.close() }
        try records?.close()
        (records, train, validation, metrics) = (nil, nil, nil, nil)
    }

    // MARK: - Resuming

    /// Each log file's length (path relative to the log directory) after the epoch ending at `step`.
    struct Position: Codable, Equatable {
        var step: Int
        var lengths: [String: Int]
    }

    private var positionsPath: String { (logDirectory as NSString).appendingPathComponent(Self.positionsFileName) }

    /// The log files: `summaries.jsonl` and the event files, relative to the log directory.
    private func logFiles() -> [String] {
        var files = [Self.recordsFileName]
        for directory in Self.eventDirectories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: (logDirectory as NSString).appendingPathComponent(directory))) ?? []
            files += names.filter { $0.hasPrefix("events.out.tfevents.") }.sorted().map { "\(directory)/\($0)" }
        }
        return files
    }

    private func readPositions() throws(SummaryError) -> [Position] {
        guard let data = FileManager.default.contents(atPath: positionsPath) else { return [] }
        do { return try JSONDecoder().decode([Position].self, from: data) } catch {
            throw .unreadableLog(path: positionsPath, detail: "not a positions file: \(error)")
        }
    }

    /// Appends the current length of every log file, as the position after the epoch ending at `step`.
    private func recordPositions(step: Int) throws(SummaryError) {
        var lengths: [String: Int] = [:]
        for file in logFiles() {
            let path = (logDirectory as NSString).appendingPathComponent(file)
            lengths[file] = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
        }
        let positions = try readPositions().filter { $0.step < step } + [Position(step: step, lengths: lengths)]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do { try AtomicFile.write(Array(try encoder.encode(positions)), to: positionsPath) } catch let error as AtomicFile.WriteError {
            throw .writeFailed(path: error.path, detail: error.detail)
        } catch {
            throw .writeFailed(path: positionsPath, detail: "\(error)")
        }
    }

    /// Cuts every log file back to its length after the epoch ending at `step` and removes the
    /// files created after it.
    ///
    /// - Throws: ``SummaryError/unreadableLog(path:detail:)`` when no position was recorded at `step`.
    private func cutLogs(back step: Int) throws(SummaryError) {
        let positions = try readPositions()
        guard let position = positions.first(where: { $0.step == step }) else {
            throw .unreadableLog(path: positionsPath, detail: "no record of the logs after step \(step), where training resumes (were they written by PruningSummaries with this checkpoint?)")
        }
        for file in logFiles() {
            let path = (logDirectory as NSString).appendingPathComponent(file)
            if let length = position.lengths[file] {
                try AppendOnlyFile.truncate(path, toLength: length)
            } else {
                try AppendOnlyFile.remove(path)
            }
        }
    }

    /// Removes the event files and positions an earlier run left in the log directory.
    private func removeEarlierLogs() throws(SummaryError) {
        for file in logFiles().dropFirst() { try AppendOnlyFile.remove((logDirectory as NSString).appendingPathComponent(file)) }
        if FileManager.default.fileExists(atPath: positionsPath) { try AppendOnlyFile.remove(positionsPath) }
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

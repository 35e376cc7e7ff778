import PruneKit

/// Facts about a pruned run, computed from its summaries log, that the report's and the
/// notebooks' sentences state. Every sentence about the run is built from one of these, so that
/// it changes when the run does.
public struct RunFindings: Sendable {
    /// The pruned run's log.
    public let log: SummaryLog

    public init(log: SummaryLog) { self.log = log }

    private var pruning: PruningDescription? { log.run.pruning }

    /// The first mask update that asks for more than 0% (the begin step's update asks for 0%).
    public var firstCut: PruningTimeline.Update? { pruning?.updates.first { $0.sparsity > 0 } }

    /// Mask updates that prune something.
    public var cuts: [PruningTimeline.Update] { pruning?.updates.filter { $0.sparsity > 0 } ?? [] }

    /// The weights snapshot the histograms call "before pruning": the last one taken before the
    /// first non-zero cut (trained weights), or the first snapshot when none precedes it.
    public var beforeSnapshot: WeightsRecord? {
        guard let cut = firstCut else { return log.weights.first }
        return log.weights.last { $0.step < cut.step } ?? log.weights.first
    }

    /// The last weights snapshot (the end of training).
    public var finalSnapshot: WeightsRecord? { log.weights.last }

    /// The last step trained.
    public var lastStep: Int { log.steps.last?.step ?? log.epochs.last?.step ?? 0 }

    // MARK: Weights below the threshold

    /// Non-zero weights of a layer whose magnitude is below its final threshold, bounded from the
    /// histogram's bins: `atLeast` counts the bins wholly below the threshold, `atMost` adds the bin
    /// that holds it; `smallest` is the lower edge of the first non-empty bin.
    public struct BelowThreshold: Sendable, Equatable {
        public var layer: String, threshold: Double, atLeast: Int, atMost: Int, smallest: Double
    }

    /// For each pruned layer with a threshold, the surviving weights below it at the end.
    public var survivorsBelowThreshold: [BelowThreshold] {
        guard let end = finalSnapshot else { return [] }
        return end.layers.compactMap { histogram in
            guard let threshold = histogram.threshold.map(Double.init), threshold > 0, histogram.maxMagnitude > 0 else { return nil }
            let width = Double(histogram.maxMagnitude) / Double(histogram.counts.count)
            var atLeast = 0, atMost = 0
            var smallest = Double.infinity
            for (bin, count) in histogram.counts.enumerated() where count > 0 {
                let (low, high) = (Double(bin) * width, Double(bin + 1) * width)
                if low < threshold { smallest = min(smallest, low); atMost += count }
                if high <= threshold { atLeast += count }
            }
            return BelowThreshold(layer: histogram.name, threshold: threshold, atLeast: atLeast, atMost: atMost, smallest: smallest)
        }
    }

    // MARK: Targets

    /// A layer's final sparsity against the schedule's final target.
    public struct LayerTarget: Sendable, Equatable {
        public var layer: String, sparsity: Double, weights: Int
        /// Whether the layer holds no more weights than the final target allows (rounded as
        /// tfmot rounds the kept count).
        public var reached: Bool
        /// Points below the target (0 when reached).
        public var shortBy: Double
        /// Non-zero weights beyond what the target allows (0 when reached).
        public var extraWeights: Int
    }

    /// Every pruned layer's final sparsity against the final target.
    public var layerTargets: [LayerTarget] {
        guard let pruning, let final = log.steps.last?.layers ?? log.epochs.last?.layers else { return [] }
        let sizes = Dictionary(uniqueKeysWithValues: log.run.layers.map { ($0.name, $0.shape.reduce(1, *)) })
        return final.map { layer in
            let size = sizes[layer.name] ?? 1
            let allowed = (Double(size) * (1 - pruning.finalSparsity)).rounded(.toNearestOrEven)
            let nonZeros = (Double(size) * (1 - layer.sparsity)).rounded()
            let reached = nonZeros <= allowed
            return LayerTarget(layer: layer.name, sparsity: layer.sparsity, weights: size, reached: reached,
                               shortBy: reached ? 0 : (pruning.finalSparsity - layer.sparsity) * 100,
                               extraWeights: max(0, Int(nonZeros - allowed)))
        }
    }

    // MARK: Thresholds

    /// The largest fall of a layer's threshold between one mask update and a later one.
    public struct ThresholdFall: Sendable, Equatable {
        public var layer: String, from: Double, fromStep: Int, to: Double, toStep: Int
    }

    /// Per layer, the threshold just after each non-zero mask update.
    public var thresholdsAtCuts: [String: [(step: Int, threshold: Double)]] {
        let cutSteps = Set(cuts.map(\.step))
        var result: [String: [(step: Int, threshold: Double)]] = [:]
        for record in log.steps where cutSteps.contains(record.step) {
            for layer in record.layers { if let t = layer.threshold { result[layer.name, default: []].append((record.step, Double(t))) } }
        }
        return result
    }

    /// The layers whose threshold fell at some later mask update, with the largest such fall.
    public var thresholdFalls: [ThresholdFall] {
        let thresholds = thresholdsAtCuts
        return log.run.layers.filter(\.pruned).compactMap { layer in
            guard let series = thresholds[layer.name], series.count > 1 else { return nil }
            var best: ThresholdFall?
            var peak = series[0]
            for point in series.dropFirst() {
                if point.threshold > peak.threshold { peak = point; continue }
                let fall = peak.threshold - point.threshold
                if fall > 0, fall > (best.map { $0.from - $0.to } ?? 0) {
                    best = ThresholdFall(layer: layer.name, from: peak.threshold, fromStep: peak.step, to: point.threshold, toStep: point.step)
                }
            }
            return best
        }
    }

    // MARK: Accuracy

    /// The epoch (0-based) in which `step` was trained.
    public func epoch(ofStep step: Int) -> Int { max(0, (step - 1) / max(log.run.stepsPerEpoch, 1)) }

    /// The largest fall of validation accuracy from one epoch to the next after pruning began,
    /// with the mask updates made during the epoch that fell.
    public struct AccuracyFall: Sendable, Equatable {
        public var epoch: Int, before: Double, after: Double, updates: [PruningTimeline.Update]
    }

    /// The largest epoch-to-epoch fall of validation accuracy in an epoch with a non-zero mask update.
    public var largestFallAtCut: AccuracyFall? {
        let epochs = log.epochs.filter { $0.validationAccuracy != nil }
        var best: AccuracyFall?
        for (previous, record) in zip(epochs, epochs.dropFirst()) {
            let updates = cuts.filter { epoch(ofStep: $0.step) == record.epoch }
            guard !updates.isEmpty, let before = previous.validationAccuracy, let after = record.validationAccuracy, after < before else { continue }
            if before - after > (best.map { $0.before - $0.after } ?? 0) {
                best = AccuracyFall(epoch: record.epoch, before: before, after: after, updates: updates)
            }
        }
        return best
    }

    /// After a fall to `value` at `epoch` below `reference`, the first later epoch whose validation
    /// accuracy is back within `tolerance` of `reference`.
    public func recovery(after epoch: Int, reference: Double, tolerance: Double) -> EpochRecord? {
        log.epochs.first { $0.epoch > epoch && ($0.validationAccuracy ?? -1) >= reference - tolerance }
    }
}

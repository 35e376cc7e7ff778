import PruneKit

/// The article's open question, answered from the logs: at what sparsity, and at which step, did
/// validation loss start to rise or validation accuracy start to fall during pruning?
///
/// Rule: after pruning begins, the first epoch whose validation loss exceeds the lowest loss of all
/// earlier epochs by more than `lossTolerance` (relative), and the first whose validation accuracy
/// falls more than `accuracyTolerance` (absolute) below the best earlier accuracy. The sparsity
/// quoted is the mean measured sparsity of the pruned kernels at that epoch's end, weighted by size.
struct PruningImpact {
    struct Turn {
        let epoch: Int, step: Int, sparsity: Double, value: Double, reference: Double
    }

    let lossRise: Turn?
    let accuracyDrop: Turn?

    static let lossTolerance = 0.10
    static let accuracyTolerance = 0.005

    init(log: SummaryLog, beginStep: Int) {
        let sizes = Dictionary(uniqueKeysWithValues: log.run.layers.map { ($0.name, $0.shape.reduce(1, *)) })
        func sparsity(_ record: EpochRecord) -> Double {
            let total = record.layers.reduce(0) { $0 + (sizes[$1.name] ?? 0) }
            return record.layers.reduce(0.0) { $0 + $1.sparsity * Double(sizes[$1.name] ?? 0) } / Double(max(total, 1))
        }
        var bestLoss = Double.infinity, bestAccuracy = -Double.infinity
        var lossRise: Turn?, accuracyDrop: Turn?
        for record in log.epochs {
            guard let loss = record.validationLoss, let accuracy = record.validationAccuracy else { continue }
            if record.step > beginStep {
                if lossRise == nil, loss > bestLoss * (1 + Self.lossTolerance) {
                    lossRise = Turn(epoch: record.epoch, step: record.step, sparsity: sparsity(record), value: loss, reference: bestLoss)
                }
                if accuracyDrop == nil, accuracy < bestAccuracy - Self.accuracyTolerance {
                    accuracyDrop = Turn(epoch: record.epoch, step: record.step, sparsity: sparsity(record), value: accuracy,
                                        reference: bestAccuracy)
                }
            }
            bestLoss = min(bestLoss, loss)
            bestAccuracy = max(bestAccuracy, accuracy)
        }
        self.lossRise = lossRise
        self.accuracyDrop = accuracyDrop
    }
}

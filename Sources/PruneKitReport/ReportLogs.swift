import Foundation
import PruneKit

/// What the report is made from: an experiment's log directory read back (`results.json`, the
/// `pruned/` and `baseline/` summaries, and the pruned model's last checkpoint), as TensorBoard
/// reads a log directory.
public struct ReportLogs: Sendable {
    public var results: ExperimentResults
    public var pruned: SummaryLog
    public var baseline: SummaryLog?
    /// The pruned model as training left it, from `pruned/checkpoint.prunekit`; `nil` for logs
    /// written before checkpoints were saved.
    public var prunedModel: Sequential?

    /// Reads the logs in `directory`.
    ///
    /// - Throws: ``ReportError/unreadableLog(path:detail:)`` naming the file that is missing or damaged.
    public init(directory: String) throws(ReportError) {
        let resultsPath = ArticleExperiment.path(directory, ArticleExperiment.resultsFileName)
        guard let data = FileManager.default.contents(atPath: resultsPath) else {
            throw .unreadableLog(path: resultsPath, detail: "no such file (is \(directory) a log directory written by `report`?)")
        }
        do { results = try JSONDecoder().decode(ExperimentResults.self, from: data) } catch {
            throw .unreadableLog(path: resultsPath, detail: "not a results file: \(error)")
        }
        if let stages = results.deployment?.stages.stages, stages.count != 4 {
            throw .unreadableLog(path: resultsPath, detail: "the deployment holds \(stages.count) compression stages, not 4 (dense float32, pruned float32, sparse, sparse + int8)")
        }
        do {
            pruned = try SummaryLog(directory: ArticleExperiment.path(directory, "pruned"))
            if results.baseline != nil { baseline = try SummaryLog(directory: ArticleExperiment.path(directory, "baseline")) }
        } catch {
            throw .unreadableLog(path: directory, detail: error.description)
        }
        let prunedDirectory = ArticleExperiment.path(directory, ExperimentModel.pruned.rawValue)
        let checkpoint = ArticleExperiment.path(prunedDirectory, PreparedExperiment.checkpointFileName)
        if FileManager.default.fileExists(atPath: checkpoint) {
            let model = try ArticleExperiment.trainedModel(directory: prunedDirectory, epochs: results.configuration.epochs)
            guard model.sparsityTable().rows.map(\.nonZeros) == results.pruned.sparsity.rows.map(\.nonZeros) else {
                throw .unreadableLog(path: checkpoint, detail: "its kernels' non-zero counts differ from the pruned results in \(resultsPath): not this run's model")
            }
            prunedModel = model
        }
    }
}

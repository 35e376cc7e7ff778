import Foundation
import PruneKit

/// What the report is made from: an experiment's log directory read back (`results.json` and the
/// `pruned/` and `baseline/` summaries), as TensorBoard reads a log directory.
public struct ReportLogs: Sendable {
    public var results: ExperimentResults
    public var pruned: SummaryLog
    public var baseline: SummaryLog?

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
        do {
            pruned = try SummaryLog(directory: ArticleExperiment.path(directory, "pruned"))
            if results.baseline != nil { baseline = try SummaryLog(directory: ArticleExperiment.path(directory, "baseline")) }
        } catch {
            throw .unreadableLog(path: directory, detail: error.description)
        }
    }
}

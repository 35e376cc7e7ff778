import Foundation
import Testing
@testable import PruneKitReport

/// README quotes no figure that a committed report does not back: every row of its results table
/// links a committed report, and every percentage in the row is one that report's `summary.json`
/// holds (or the article's own 99.21%).
@Suite struct ReadmeFiguresTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private struct SingleSummary: Decodable {
        struct Model: Decodable { var testAccuracy: Double; var sparsity: Double }
        var pruned: Model
        var baseline: Model?
    }

    private struct SweepSummary: Decodable {
        struct Point: Decodable { var sparsity: Double; var accuracies: [Double]; var mean: Double }
        var grid: [Point], variants: [Point]
        var kneeSparsity: Double?
        var recommendation: Point?
    }

    /// The percentages a report backs, formatted as README writes them.
    private func backedFigures(report: String) throws -> Set<String> {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("Reports/\(report)/summary.json"))
        func percent(_ value: Double) -> [String] {
            [String(format: "%.2f%%", value * 100), SweepPoint.percent(value)]
        }
        if report.hasSuffix("-sweep") {
            let summary = try JSONDecoder().decode(SweepSummary.self, from: data)
            var figures = Set<String>()
            for point in summary.grid + summary.variants {
                figures.formUnion(percent(point.sparsity) + percent(point.mean) + point.accuracies.flatMap(percent))
            }
            return figures
        }
        let summary = try JSONDecoder().decode(SingleSummary.self, from: data)
        return Set([summary.pruned.testAccuracy, summary.pruned.sparsity, summary.baseline?.testAccuracy].compactMap { $0 }.flatMap(percent))
    }

    @Test func everyFigureOfTheResultsTableIsInTheReportItLinks() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| [") && $0.contains("](Reports/") }
        #expect(rows.count >= 3, "README's results table should link the committed reports")
        let percentage = try Regex("[0-9]+(\\.[0-9]+)?%")
        for row in rows {
            let link = try #require(row.firstMatch(of: try Regex("\\]\\(Reports/([^/]+)/report\\.md\\)")))
            let report = String(try #require(link.output[1].substring))
            let backed = try backedFigures(report: report).union([String(format: "%.2f%%", ArticleReference().testAccuracy * 100)])
            for match in row.matches(of: percentage) {
                let figure = String(row[match.range])
                #expect(backed.contains(figure), "README quotes \(figure) for Reports/\(report), which its summary.json does not hold")
            }
        }
    }

    /// The pruned test accuracies of `Reports/mnist-seeds`, by seed: PruneKit's and Keras's.
    private func seedAccuracies() throws -> (prunekit: [Double], keras: [Double]) {
        struct PruneKitSummary: Decodable { struct Model: Decodable { var testAccuracy: Double }; var pruned: Model }
        struct KerasResult: Decodable { var test_accuracy: Double }
        let directory = Self.root.appendingPathComponent("Reports/mnist-seeds")
        let prunekit = try (1 ... 3).map { seed in
            try JSONDecoder().decode(PruneKitSummary.self, from: Data(contentsOf: directory.appendingPathComponent("prunekit-seed\(seed).summary.json"))).pruned.testAccuracy
        }
        let keras = try (1 ... 3).map { seed in
            try JSONDecoder().decode(KerasResult.self, from: Data(contentsOf: directory.appendingPathComponent("keras-seed\(seed).result.json"))).test_accuracy
        }
        return (prunekit, keras)
    }

    @Test func theSeedSpreadQuotesTheCommittedRuns() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "**Seed spread, PruneKit against Keras + tfmot**"))
        // The paragraph, its line breaks read as spaces.
        let paragraph = String(readme[start.lowerBound...]).components(separatedBy: "\n\n")[0]
            .replacingOccurrences(of: "\n", with: " ")
        let (prunekit, keras) = try seedAccuracies()
        let listed = { (values: [Double]) in values.map { String(format: "%.2f%%", $0 * 100) }.joined(separator: " / ") }
        #expect(paragraph.contains("PruneKit \(listed(prunekit)),"), "README's PruneKit seeds should read \(listed(prunekit))")
        #expect(paragraph.contains(" \(listed(keras));"), "README's Keras seeds should read \(listed(keras))")
        let within = prunekit.allSatisfy { (keras.min()! ... keras.max()!).contains($0) }
        #expect(paragraph.contains("every PruneKit seed lies within the range of Keras's seeds") == within)
        // The hero's seed-1 figure is the full-MNIST report's.
        #expect(readme.contains("**\(String(format: "%.2f%%", prunekit[0] * 100))** at 87.50% sparsity"))
    }
}

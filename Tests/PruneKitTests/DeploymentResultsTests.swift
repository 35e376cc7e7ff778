import Foundation
import Testing
@testable import PruneKit
@testable import PruneKitReport
import _PruneKitKernels

/// The deployment results of a run: measured on the trained models once both exist, stored in
/// `results.json` (which older runs wrote without them), and measured again from the checkpoints
/// when a resumed run reuses its trained models.
@Suite(.serialized) struct DeploymentResultsTests {
    private var logs: ReportLogs { ReportTests.run.logs }
    private var logDirectory: String { ReportTests.run.directory.path("logs") }

    /// A copy of the tiny run's log directory in `directory`.
    private func copiedLogs(in directory: TemporaryDirectory) throws -> String {
        let copy = directory.path("logs")
        try FileManager.default.copyItem(atPath: logDirectory, toPath: copy)
        return copy
    }

    @Test func theStagesAreThoseOfTheTrainedModels() throws {
        let results = logs.results
        let deployment = try #require(results.deployment)
        let stages = deployment.stages.stages
        #expect(stages.map(\.name) == ["dense float32", "pruned float32", "sparse", "sparse + int8"])
        #expect(deployment.denseIsBaseline)
        // The same models as sections 3 and 7's files: the baseline, the stripped pruned model.
        #expect(stages[0].testAccuracy == results.baseline?.test.accuracy)
        #expect(stages[1].testAccuracy == results.pruned.test.accuracy)
        #expect((stages[2].fileBytes, stages[2].gzipBytes) == (results.pruned.fileBytes, results.pruned.gzipBytes))
        // 50 test images, batches of 50; at 50% sparsity only the first convolution (9 inputs per
        // output) has passed its crossover, with the dense path's bits.
        let speed = deployment.inference
        #expect((speed.samples, speed.batchSize, speed.repeats) == (50, 50, DeploymentResults.speedRepeats))
        #expect(speed.sparseLayers == (pk_sparse_available() != 0 ? ["conv2d"] : []))
        #expect(speed.maxAbsoluteDifference == 0 && speed.argmaxDisagreements == 0)
    }

    @Test func resultsJSONRoundTrips() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: (logDirectory as NSString).appendingPathComponent(ArticleExperiment.resultsFileName)))
        let decoded = try JSONDecoder().decode(ExperimentResults.self, from: data)
        #expect(decoded == logs.results)
        #expect(decoded.deployment != nil)
        #expect(try JSONDecoder().decode(ExperimentResults.self, from: JSONEncoder().encode(decoded)) == decoded)
    }

    @Test func olderResultsWithoutTheDeploymentStillRead() throws {
        let directory = try TemporaryDirectory()
        let copy = try copiedLogs(in: directory)
        let path = (copy as NSString).appendingPathComponent(ArticleExperiment.resultsFileName)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        object["deployment"] = nil
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        let read = try ReportLogs(directory: copy)
        #expect(read.results.deployment == nil)
        var expected = logs.results
        expected.deployment = nil
        #expect(read.results == expected)
    }

    @Test func aResumedRunMeasuresTheReusedModelsFromTheirCheckpoints() throws {
        let directory = try TemporaryDirectory()
        let copy = try copiedLogs(in: directory)
        try FileManager.default.removeItem(atPath: (copy as NSString).appendingPathComponent(ArticleExperiment.resultsFileName))
        // Both models are trained: nothing is trained again, and the stages come from their checkpoints.
        let resumed = try ArticleExperiment(configuration: logs.results.configuration).run(logDirectory: copy, verbose: false, resuming: true)
        let original = try #require(logs.results.deployment)
        let deployment = try #require(resumed.deployment)
        #expect(deployment.stages == original.stages)
        #expect(deployment.denseIsBaseline)
        #expect(deployment.inference.sparseLayers == original.inference.sparseLayers)
        #expect(deployment.inference.maxAbsoluteDifference == original.inference.maxAbsoluteDifference)
    }

    @Test func aCheckpointThatIsNotTheRunsIsRefusedNamingIt() throws {
        let directory = try TemporaryDirectory()
        let copy = try copiedLogs(in: directory)
        let checkpoint = ((copy as NSString).appendingPathComponent("pruned") as NSString).appendingPathComponent(PreparedExperiment.checkpointFileName)
        let untrained = try ArticleExperiment(configuration: logs.results.configuration).prepare().model
        func expectRefused(_ detail: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(sourceLocation: sourceLocation) {
                _ = try ReportLogs(directory: copy)
            } throws: { error in
                guard case .unreadableLog(let path, let text) = error as? ReportError else { return false }
                return path == checkpoint && text.contains(detail)
            }
        }
        // Another epoch count: an unfinished run's checkpoint.
        try Checkpoint(model: untrained, epochsCompleted: 1).write(to: checkpoint)
        expectRefused("the checkpoint was saved after epoch 1, not after the run's last, 3")
        // The right epoch count but other weights.
        try Checkpoint(model: untrained, epochsCompleted: 3).write(to: checkpoint)
        expectRefused("non-zero counts differ from the pruned results")
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: checkpoint))
        expectRefused("cannot read the trained model")
    }

    @Test func aRunWithoutABaselineComparesWithTheNetworkBeforePruning() throws {
        let directory = try TemporaryDirectory()
        let configuration = try ReportTests.onePrunedEpoch(in: directory)
        let out = directory.path("report")
        let results = try ArticleExperiment(configuration: configuration).writeReport(into: out, verbose: false)
        let deployment = try #require(results.deployment)
        #expect(!deployment.denseIsBaseline)
        // The dense stage is the untrained network both models start from.
        let untrained = try ArticleExperiment(configuration: configuration).prepare().model
        #expect(deployment.stages.stages[0].fileBytes == (try untrained.storageSize(encoding: .dense)).fileBytes)
        #expect(deployment.stages.stages[0].testAccuracy == (try untrained.evaluate(try MNIST.load(from: directory.url.path).test)).accuracy)
        let markdown = try String(contentsOfFile: (out as NSString).appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("| not trained |"))
        #expect(markdown.contains("The dense float32 stage is the network before pruning, untrained (no trained baseline)"))
        #expect(!markdown.contains(String(format: "| %.4f |\n| pruned float32", try #require(deployment.stages.stages[0].testAccuracy))))
    }
}

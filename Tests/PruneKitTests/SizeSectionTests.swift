import Foundation
import Testing
@testable import PruneKit
@testable import PruneKitONNX
@testable import PruneKitReport

/// Section 7 of the report, "Size": each sentence fed results in which it holds and results in
/// which it does not, and the files the writer puts beside the report (`model.onnx`, `size.png`).
@Suite struct SizeSectionTests {
    private var logs: ReportLogs { ReportTests.run.logs }

    /// Section 7 of the report made from `logs`.
    private func section(_ logs: ReportLogs, onnx: ReportONNX? = nil) -> String {
        let markdown = ReportDocument(logs: logs, logDirectory: "logs", images: ReportImages(), onnx: onnx).markdown
        guard let start = markdown.range(of: "## 7. Size"), let end = markdown.range(of: "## 8. ") else { return "" }
        return String(markdown[start.lowerBound ..< end.lowerBound])
    }

    /// The run's logs with its deployment results changed by `change`.
    private func with(_ change: (inout DeploymentResults) -> Void) -> ReportLogs {
        var logs = self.logs
        change(&logs.results.deployment!)
        return logs
    }

    /// A measurement of 1,000 images in batches of 250, 3 passes each.
    private func speed(dense: Double, sparse: Double, sparseLayers: [String] = ["conv2d_1", "dense"],
                       difference: Float = 0, disagreements: Int = 0) -> InferenceSpeed {
        InferenceSpeed(batchSize: 250, samples: 1_000, repeats: 3, denseSeconds: dense, sparseSeconds: sparse, sparseLayers: sparseLayers,
                       maxAbsoluteDifference: difference, argmaxDisagreements: disagreements)
    }

    @Test func int8sChangeInAccuracyIsSignedByTheData() throws {
        func int8(_ accuracy: Double) -> String {
            section(with { deployment in
                deployment.stages.stages[1].testAccuracy = 0.9
                deployment.stages.stages[3].testAccuracy = accuracy
            })
        }
        let losing = int8(0.88)
        #expect(losing.contains("int8 kernels cost 2.00 points of test accuracy against the float32 stripped model (0.9000 → 0.8800)."))
        #expect(!losing.contains("int8 kernels gain"))
        let gaining = int8(0.92)
        #expect(gaining.contains("int8 kernels gain 2.00 points of test accuracy against the float32 stripped model (0.9000 → 0.9200)."))
        #expect(!gaining.contains("int8 kernels cost"))
        #expect(int8(0.9).contains("int8 kernels leave test accuracy unchanged against the float32 stripped model (0.9000)."))
    }

    @Test func theSpeedUpIsToldFasterSlowerOrWithinNoise() throws {
        func inference(_ speed: InferenceSpeed) -> String { section(with { $0.inference = speed }) }
        let faster = inference(speed(dense: 1, sparse: 0.5))
        #expect(faster.contains("On its default kernels (sparse for `conv2d_1` and `dense`) the stripped pruned model predicted 2.00× as fast as on dense kernels — faster: 2,000 against 1,000 images/s, the best of 3 timed passes each over 1,000 test images in batches of 250"))
        let slower = inference(speed(dense: 1, sparse: 2))
        #expect(slower.contains("predicted 0.50× as fast as on dense kernels — slower: 500 against 1,000 images/s"))
        #expect(!slower.contains("faster"))
        #expect(inference(speed(dense: 1, sparse: 0.98)).contains("1.02× as fast as on dense kernels — within 5%, timing noise on a shared machine"))
        let dense = inference(speed(dense: 1, sparse: 0.9, sparseLayers: []))
        #expect(dense.contains("No layer of this model is sparse enough for the sparse kernels (`KernelPolicy`), so its default kernels are the dense ones: both runs used dense kernels, and their ratio, 1.11×, is timing noise"))
        #expect(!dense.contains("On its default kernels (sparse for"))
    }

    @Test func whetherPredictionsMatchedIsAsMeasured() throws {
        func inference(_ speed: InferenceSpeed) -> String { section(with { $0.inference = speed }) }
        #expect(inference(speed(dense: 1, sparse: 0.5)).contains("Both gave identical outputs."))
        let close = inference(speed(dense: 1, sparse: 0.5, difference: 2e-7))
        #expect(close.contains("Their outputs differ by at most 2.0e-07, and every predicted class is the same."))
        #expect(!close.contains("identical"))
        #expect(inference(speed(dense: 1, sparse: 0.5, difference: 0.3, disagreements: 3))
            .contains("Their outputs differ by at most 3.0e-01, and 3 of 1,000 predicted classes differ."))
    }

    @Test func aDenseStageThatIsNotATrainedBaselineHasItsAccuracyLeftOut() throws {
        let stages = try #require(logs.results.deployment).stages
        let trained = section(logs)
        #expect(trained.contains("| dense float32 | \(stages.stages[0].fileBytes.byteCount) | 1.0× |"))
        #expect(trained.contains(String(format: "| %.4f |", try #require(stages.stages[0].testAccuracy))))
        #expect(!trained.contains("not trained"))
        let untrained = with { $0.denseIsBaseline = false }
        let text = section(untrained)
        #expect(text.contains(String(format: "| dense float32 | %@ | 1.0× | %@ | %.1f× | not trained |", stages.stages[0].fileBytes.byteCount,
                                     stages.stages[0].gzipBytes.byteCount, stages.reduction(of: stages.stages[0], compressed: true))))
        #expect(text.contains("The dense float32 stage is the network before pruning, untrained (no trained baseline)"))
        #expect(ReportSummary(untrained).stages?.first?.testAccuracy == nil)
        #expect(ReportSummary(untrained).denseStageIsBaseline == false)
        #expect(ReportSummary(logs).stages?.first?.testAccuracy == stages.stages[0].testAccuracy)
    }

    @Test func theFileSentencesFollowTheSizes() throws {
        let text = section(logs)
        let stages = try #require(logs.results.deployment).stages
        let (dense, pruned, sparse) = (stages.stages[0], stages.stages[1], stages.stages[2])
        #expect(text.contains("Stored value by value, the pruned file is the same size as the dense float32 one (\(dense.fileBytes.byteCount)): a zero takes 4 bytes like any other weight; only gzip -9 squeezes its zeros, to \(pruned.gzipBytes.byteCount)"))
        #expect(text.contains(String(format: "is %.1f× smaller than the dense float32 file before any compression, and %.1f× smaller than it gzip-compressed.",
                                     stages.reduction(of: sparse), stages.reduction(of: sparse, compressed: true))))
        // A pruned float32 file of another size that gzip does not shrink below the dense one; a
        // sparse file larger than the dense one.
        let falsified = section(with { deployment in
            deployment.stages.stages[1].fileBytes = dense.fileBytes + 1_000
            deployment.stages.stages[1].gzipBytes = dense.gzipBytes
            deployment.stages.stages[2].fileBytes = dense.fileBytes * 2
        })
        #expect(falsified.contains("Stored value by value, the pruned file takes \((dense.fileBytes + 1_000).byteCount) against the dense float32 one's \(dense.fileBytes.byteCount); gzip -9 takes it to \(dense.gzipBytes.byteCount), no smaller than the dense file's"))
        #expect(falsified.contains("is 2.0× larger than the dense float32 file before any compression"))
        #expect(!falsified.contains("the same size as the dense float32 one"))
        #expect(!falsified.contains("squeezes its zeros"))
    }

    @Test func resultsWithoutTheStagesRenderTheFilesTableAndNothingUnmeasured() throws {
        var old = logs
        old.results.deployment = nil
        let text = section(old)
        #expect(text.contains("| Model | Kernel weights | Non-zero | Model file | gzip -9 | File / gzip |"))
        for absent in ["size.png", "int8", "Inference", "model.onnx", "Smaller"] {
            #expect(!text.contains(absent), "section 7 without stages or a model should not mention \(absent)")
        }
        #expect(ReportSummary(old).stages == nil && ReportSummary(old).inference == nil)
    }

    @Test func theONNXSentenceIsReadBackFromTheFile() throws {
        let path = (ReportTests.run.report as NSString).appendingPathComponent("model.onnx")
        let summary = try ONNXModelSummary(contentsOf: path)
        #expect(summary.opset == Sequential.onnxOpset)
        let model = try #require(logs.prunedModel).strippingPruning()
        #expect(summary.storedValues == model.parameterCount)
        let bytes = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let markdown = try String(contentsOfFile: (ReportTests.run.report as NSString).appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("[`model.onnx`](model.onnx) is the stripped pruned model in ONNX: opset 13, \(summary.nodes.count) nodes, \(bytes.byteCount), float32, storing all \(model.parameterCount.grouped) parameters, zeros included"))
        // A file that stores other values than the model's parameters is not said to store them all.
        let other = section(logs, onnx: ReportONNX(summary: summary, bytes: bytes, parameters: model.parameterCount + 1))
        #expect(other.contains("storing \(summary.storedValues.grouped) values for the model's \((model.parameterCount + 1).grouped) parameters"))
        #expect(!other.contains("storing all"))
    }

    @Test func logsWithoutACheckpointOrStagesGetNoONNXFileOrWaterfall() throws {
        let directory = try TemporaryDirectory()
        var old = logs
        (old.results.deployment, old.prunedModel) = (nil, nil)
        try ReportWriter(logs: old, logDirectory: "logs").write(into: directory.url.path)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.url.path)
        #expect(files.contains("report.md") && !files.contains("model.onnx") && !files.contains("size.png"))
        let written = ReportWriter(logs: logs, logDirectory: "logs")
        let again = try TemporaryDirectory()
        try written.write(into: again.url.path)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: again.url.path)).isSuperset(of: ["model.onnx", "size.png"]))
    }
}

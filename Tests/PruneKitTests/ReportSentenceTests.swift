import Foundation
import Testing
@testable import PruneKit
@testable import PruneKitReport

/// Each sentence of the report that states a fact about the run, fed logs in which the fact holds
/// and logs in which it does not: the sentence must change with the data.
@Suite struct ReportSentenceTests {
    private var logs: ReportLogs { ReportTests.run.logs }

    private func markdown(_ logs: ReportLogs) -> String {
        var images = ReportImages()
        images.histograms = logs.pruned.run.layers.filter(\.pruned).map { ($0.name, "histogram-\($0.name).png") }
        return ReportDocument(logs: logs, logDirectory: "logs", images: images).markdown
    }

    /// The final snapshot's `dense` histogram with all its non-zero weights in one bin.
    private func withFinalDenseWeights(inBin bin: Int, threshold: Float) -> ReportLogs {
        var logs = self.logs
        let last = logs.pruned.weights.count - 1
        let index = logs.pruned.weights[last].layers.firstIndex { $0.name == "dense" }!
        var histogram = logs.pruned.weights[last].layers[index]
        let nonZeros = histogram.count - histogram.zeros
        histogram.counts = histogram.counts.indices.map { $0 == bin ? nonZeros : 0 }
        histogram.maxMagnitude = 1
        histogram.threshold = threshold
        logs.pruned.weights[last].layers[index] = histogram
        for other in logs.pruned.weights[last].layers.indices where other != index {
            // Every other layer: survivors well above the threshold.
            var layer = logs.pruned.weights[last].layers[other]
            let count = layer.count - layer.zeros
            layer.counts = layer.counts.indices.map { $0 == layer.counts.count - 1 ? count : 0 }
            layer.threshold = layer.maxMagnitude / 2
            logs.pruned.weights[last].layers[other] = layer
        }
        return logs
    }

    @Test func survivorsBelowTheThresholdAreCountedNotDenied() throws {
        let bins = logs.pruned.weights.last!.layers[0].counts.count
        // All dense survivors in the first bin, threshold half-way up: they lie below it.
        let below = markdown(withFinalDenseWeights(inBin: 0, threshold: 0.5))
        #expect(below.contains("Not every survivor lies above the final threshold"))
        #expect(below.contains("`dense` weights"))
        #expect(!below.contains("Every surviving weight lies at or above"))
        // All in the last bin: every survivor is above.
        let above = markdown(withFinalDenseWeights(inBin: bins - 1, threshold: 0.5))
        #expect(above.contains("Every surviving weight lies at or above its layer's final threshold"))
    }

    @Test func histogramsCompareTrainedWeightsBeforeTheFirstCut() throws {
        let text = markdown(logs)
        let findings = RunFindings(log: logs.pruned)
        let cut = try #require(findings.firstCut)
        let before = try #require(findings.beforeSnapshot)
        #expect(before.step > 0 && before.step < cut.step)
        #expect(text.contains("the trained weights at step \(before.step), just before the first mask update that prunes (step \(cut.step)"))
        // With no snapshot before the first cut but the initial one, the page says so.
        var early = logs
        early.pruned.weights = early.pruned.weights.filter { $0.step == 0 || $0.step >= cut.step }
        #expect(markdown(early).contains("the weights at initialisation (step 0)"))
    }

    private func withThresholds(_ values: [Float], layer: String) -> ReportLogs {
        var logs = self.logs
        let cuts = RunFindings(log: logs.pruned).cuts.map(\.step)
        for (step, value) in zip(cuts, values) {
            for index in logs.pruned.steps.indices where logs.pruned.steps[index].step >= step {
                let layerIndex = logs.pruned.steps[index].layers.firstIndex { $0.name == layer }!
                logs.pruned.steps[index].layers[layerIndex].threshold = value
            }
        }
        return logs
    }

    @Test func aFallingThresholdIsNamed() throws {
        #expect(RunFindings(log: logs.pruned).cuts.count == 2)
        let falling = markdown(withThresholds([0.096, 0.061], layer: "dense"))
        #expect(falling.contains("It does not simply rise with the target sparsity: `dense` fell from 0.096 (step 6) to 0.061 (step 10)"))
        var rising = withThresholds([0.05, 0.06], layer: "dense")
        for layer in ["conv2d", "conv2d_1", "dense_1"] { rising = ReportSentenceTestsHelper.rising(rising, layer: layer) }
        #expect(markdown(rising).contains("every layer's threshold rose or held"))
    }

    private func withFinalSparsity(_ sparsity: [String: Double]) -> ReportLogs {
        var logs = self.logs
        let last = logs.pruned.steps.count - 1
        for index in logs.pruned.steps[last].layers.indices {
            if let value = sparsity[logs.pruned.steps[last].layers[index].name] { logs.pruned.steps[last].layers[index].sparsity = value }
        }
        return logs
    }

    @Test func layersReachingTheTargetAreTold() throws {
        let all = markdown(withFinalSparsity(["conv2d": 0.5, "conv2d_1": 0.5, "dense": 0.5, "dense_1": 0.5]))
        #expect(all.contains("All four layers hold no more non-zero weights than the final target of 50.00% allows"))
        let one = markdown(withFinalSparsity(["conv2d": 0.5, "conv2d_1": 0.5, "dense": 0.49, "dense_1": 0.5]))
        #expect(one.contains("`conv2d`, `conv2d_1` and `dense_1` reach the final target of 50.00%"))
        #expect(one.contains("`dense` stops 1.000 points short (4,096 weights more than the target allows)"))
        #expect(!one.contains("All four layers"))
    }

    private func withValidationAccuracy(_ values: [Double]) -> ReportLogs {
        var logs = self.logs
        for (index, value) in zip(logs.pruned.epochs.indices, values) { logs.pruned.epochs[index].validationAccuracy = value }
        return logs
    }

    @Test func accuracyThatRecoversIsToldApartFromAccuracyThatDoesNot() throws {
        // Epochs 1–3; pruning begins at step 2, so epochs 2 and 3 count.
        let recovers = markdown(withValidationAccuracy([0.90, 0.80, 0.899]))
        #expect(recovers.contains("first fell more than 0.5 points below its best after epoch 2"))
        #expect(recovers.contains("it was back within 0.5 points of that best by epoch 3 (0.8990)"))
        let stays = markdown(withValidationAccuracy([0.90, 0.80, 0.85]))
        #expect(stays.contains("and it never came back within 0.5 points of that best"))
        // The largest epoch-to-epoch fall is tied to the update made in that epoch (step 6, epoch 2).
        #expect(stays.contains("**The largest fall** from one epoch to the next, 10.00 points (0.9000 → 0.8000), came in epoch 2, with the mask update at step 6"))
        let never = markdown(withValidationAccuracy([0.80, 0.85, 0.90]))
        #expect(never.contains("never fell more than 0.5 points below its best"))
        #expect(!never.contains("**The largest fall**"))
    }

    @Test func theHeadlineComparesWithTheArticleOrSaysWhyItDiffers() throws {
        // The tiny run: not the article's configuration, on part of MNIST.
        var sample = logs
        sample.results.dataSource = "bundled MNIST sample (mnist-5k): 250 train + 50 test images"
        let tiny = markdown(sample)
        #expect(tiny.contains("The article's 99.21% comes from the full MNIST: 48,000 images trained, 5,760 steps, 47 mask updates (46 that prune)"))
        #expect(tiny.contains("This run trained on 200 images for 12 steps, so its schedule made 3 mask updates (2 that prune)"))
        // The article's configuration on 60,000 + 10,000 images: a direct comparison.
        var full = sample
        full.results.dataSource = "IDX files in /data/mnist: 60,000 train + 10,000 test images"
        full.results.configuration = ExperimentConfiguration()
        full.results.configuration.dataPath = "/data/mnist"
        (full.results.trainingImages, full.results.testImages) = (60_000, 10_000)
        full.results.pruned.test.accuracy = 0.9925
        #expect(markdown(full).contains("The article reports 99.21% for this configuration on the same data; this run (seed 1) is +0.04 points from it."))
        // Fashion-MNIST: no comparison with an MNIST figure.
        full.results.dataSource = "IDX files in /usr/share/datasets/fashion-mnist: 60,000 train + 10,000 test images"
        #expect(!markdown(full).contains("99.21%"))
    }

    @Test func theHeadlinesSizeRatioIsTheStagesTables() throws {
        let text = markdown(logs)
        let stages = try #require(logs.results.deployment).stages
        let sparse = stages.stages[2]
        let ratio = String(format: "%.1f×", stages.reduction(of: sparse, compressed: true))
        #expect(text.contains("its sparse model file takes \(sparse.gzipBytes.byteCount), \(ratio) smaller than the dense float32 file's \(stages.stages[0].fileBytes.byteCount)"))
        #expect(text.contains("| sparse | \(sparse.fileBytes.byteCount) | \(String(format: "%.1f×", stages.reduction(of: sparse))) | \(sparse.gzipBytes.byteCount) | \(ratio) | unchanged |"))
        #expect(text.contains("so the headline's \(ratio) is the sparse row's gzip column"))
        // Results without the stages: the headline compares the two gzipped files, and section 7 says so.
        var old = logs
        old.results.deployment = nil
        let results = old.results
        let gzipRatio = Double(results.baseline!.gzipBytes) / Double(results.pruned.gzipBytes)
        let legacy = markdown(old)
        #expect(legacy.contains(String(format: "(%.1f× smaller)", gzipRatio)))
        #expect(legacy.contains(String(format: "the headline's %.1f× compares the two gzipped files", gzipRatio)))
        #expect(!legacy.contains("sparse row's gzip column"))
    }
}

enum ReportSentenceTestsHelper {
    /// `layer`'s threshold made to rise at every logged step.
    static func rising(_ logs: ReportLogs, layer: String) -> ReportLogs {
        var logs = logs
        for index in logs.pruned.steps.indices {
            let layerIndex = logs.pruned.steps[index].layers.firstIndex { $0.name == layer }!
            logs.pruned.steps[index].layers[layerIndex].threshold = Float(index + 1) * 0.01
        }
        return logs
    }
}

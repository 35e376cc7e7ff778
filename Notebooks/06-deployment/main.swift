/*:
 # 6. Deploy: strip, save, measure

 A pruned model still carries its training machinery: masks, thresholds and the pruning step.
 `strippingPruning()` is tfmot's `strip_pruning`: the zeros are baked into the kernels and the
 rest is dropped, leaving a plain model. Then the article's two questions: how much smaller is the
 saved model, and is it any faster?
 */
import Foundation
import PruneKit
import PruneKitNotebook
import PruneKitReport

let epochs = parameter("epochs", default: 30, quick: 1)
let batchSize = parameter("batchSize", default: 250)
let finalSparsity = parameter("finalSparsity", default: 0.875)
let frequency = parameter("frequency", default: 100, quick: 1)
let subset = parameter("subset", default: 0, quick: 1_000)
let seed = parameter("seed", default: 1)
/// Timed inference passes over the test set per model (after one warm-up pass each).
let repetitions = parameter("repetitions", default: 21, quick: 1)

/*:
 ## The trained models

 As in notebook 5: loaded from notebook 4's run when it used the same parameters, otherwise
 trained here. The dense model to compare with is notebook 4's baseline when there is one, else
 the same network untrained (same size and same speed; only its accuracy would differ).
 */
cell("Load or train the models")
var configuration = ExperimentConfiguration()
(configuration.epochs, configuration.batchSize, configuration.finalSparsity) = (epochs, batchSize, finalSparsity)
(configuration.frequency, configuration.seed) = (frequency, UInt64(seed))
configuration.trainingSubset = subset > 0 ? subset : nil
let artifacts = try artifactsDirectory(key: "e\(epochs)-b\(batchSize)-s\(finalSparsity)-f\(frequency)-n\(subset)-seed\(seed)")
let prunedPath = artifacts + "/pruned.prunekit", baselinePath = artifacts + "/baseline.prunekit"
let experiment = try ArticleExperiment(configuration: configuration).prepare(logDirectory: artifacts)
let mnist = experiment.data
let pruned: Sequential
if FileManager.default.fileExists(atPath: prunedPath) {
    pruned = try Sequential.load(from: prunedPath)
    print("loaded the pruned model from notebook 4")
} else {
    pruned = try experiment.train(.pruned).model
    try pruned.save(to: prunedPath, includeOptimizer: false)
    print("trained the pruned model (notebook 4 had not run with these parameters)")
}
let dense: Sequential
if FileManager.default.fileExists(atPath: baselinePath) {
    dense = try Sequential.load(from: baselinePath)
    print("dense model: notebook 4's baseline, trained without pruning")
} else {
    dense = experiment.model
    print("dense model: the same CNN, untrained (no baseline from notebook 4)")
}

/*:
 ## Strip pruning

 After stripping, the model has no pruning state; its kernels hold the same zeros, so it scores
 exactly as the pruned model did.
 */
cell("Strip pruning")
let stripped = pruned.strippingPruning()
print("pruning state before:", pruned.pruning != nil, "/ after:", stripped.pruning != nil)
print(String(format: "kernel sparsity: %.2f%%", 100 * stripped.sparsityTable().totalSparsity))
let before = try pruned.evaluate(mnist.test), after = try stripped.evaluate(mnist.test)
print(String(format: "test accuracy: pruned %.4f, stripped %.4f", before.accuracy, after.accuracy))

/*:
 ## Size, raw and compressed

 Both models are saved without optimizer state, then gzip-compressed (level 9), as the article
 compresses Keras's `.h5` files. A float32 file stores a zero like any other weight, so the raw
 sizes depend only on the architecture; compression is where the zeros can pay off. The sizes and
 ratios are measured below.
 */
cell("Save and compare sizes")
let densePath = artifacts + "/dense-deploy.prunekit", strippedPath = artifacts + "/pruned-deploy.prunekit"
try dense.save(to: densePath, includeOptimizer: false)
try stripped.save(to: strippedPath, includeOptimizer: false)
let denseSize = try dense.storageSize(), prunedSize = try stripped.storageSize()
func megabytes(_ bytes: Int) -> String { String(format: "%.2f MB", Double(bytes) / 1_000_000) }
show(headers: ["Model", "File (raw)", "gzip -9", "Compression"], rows: [
    ["dense", megabytes(denseSize.fileBytes), megabytes(denseSize.gzipBytes), String(format: "%.2f×", denseSize.compressionRatio)],
    ["pruned, stripped", megabytes(prunedSize.fileBytes), megabytes(prunedSize.gzipBytes), String(format: "%.2f×", prunedSize.compressionRatio)],
])
show(markdown: String(format: "The raw files take %@ and %@; gzipped, the pruned model takes %@ against the dense one's %@, %.1f× smaller.",
                      megabytes(denseSize.fileBytes), megabytes(prunedSize.fileBytes), megabytes(prunedSize.gzipBytes),
                      megabytes(denseSize.gzipBytes), Double(denseSize.gzipBytes) / Double(prunedSize.gzipBytes)))
let reloaded = try Sequential.load(from: strippedPath)
print(String(format: "reloaded from disk: test accuracy %.4f", try reloaded.evaluate(mnist.test).accuracy))

/*:
 ## Speed

 Inference throughput on the test set (`predict`, batches of 250): the two models take turns,
 pass after pass, and each gets the median of its passes, so that drift in the machine's speed
 affects both alike. Whether the zeros make the pruned model any faster depends on the kernels:
 a dense GEMM multiplies by zero as fast as by anything else. The measured ratio is below.
 */
cell("Inference speed")
let models = [dense, stripped]
for model in models { _ = try model.predict(mnist.test) }
var seconds: [[Double]] = [[], []]
for _ in 0 ..< repetitions {
    for (index, model) in models.enumerated() {
        let started = Date()
        _ = try model.predict(mnist.test)
        seconds[index].append(Date().timeIntervalSince(started))
    }
}
let speeds = seconds.map { Double(mnist.test.count) / $0.sorted()[$0.count / 2] }
let (denseSpeed, prunedSpeed) = (speeds[0], speeds[1])
show(headers: ["Model", "Inference, images/s", "Relative"], rows: [
    ["dense", String(format: "%.0f", denseSpeed), "1.00"],
    ["pruned, stripped", String(format: "%.0f", prunedSpeed), String(format: "%.2f", prunedSpeed / denseSpeed)],
])

let relative = prunedSpeed / denseSpeed
show(markdown: String(format: "In this run the stripped pruned model ran at %.2f× the dense model's speed over %d timed passes each (%@).",
                      relative, repetitions, abs(relative - 1) < 0.05 ? "within 5%, which is timing noise on a shared machine" : (relative > 1 ? "faster" : "slower")))

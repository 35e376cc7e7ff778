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

 Inference throughput of the stripped pruned model on the test set (`predict`, batches of 250),
 on dense kernels (`kernels: .dense`: a dense GEMM multiplies by zero as fast as by anything
 else) and on the kernels `predict` picks by default, which skip the zeros of the layers pruned
 past the crossover (`KernelPolicy`). `measureInferenceSpeed` runs the two in turns, pass after
 pass, keeps each one's best pass, so that drift in the machine's speed affects both alike, and
 compares their outputs.
 */
cell("Inference speed")
let speed = try stripped.measureInferenceSpeed(on: mnist.test, repeats: repetitions)
show(headers: ["Kernels", "Inference, images/s", "Relative"], rows: [
    ["dense", String(format: "%.0f", speed.denseSamplesPerSecond), "1.00"],
    ["default (sparse: \(speed.sparseLayers.isEmpty ? "none" : speed.sparseLayers.joined(separator: ", ")))",
     String(format: "%.0f", speed.sparseSamplesPerSecond), String(format: "%.2f", speed.speedup)],
])
show(markdown: speed.sparseLayers.isEmpty
    ? "No layer of this model is sparse enough for the sparse kernels, so both runs used dense kernels."
    : String(format: "In this run the stripped pruned model ran %.2f× as fast on its default kernels as on dense ones (%@ over %d timed passes each); the outputs differ by at most %.1e and %d of %d predicted classes differ.",
             speed.speedup, abs(speed.speedup - 1) < 0.05 ? "within 5%, which is timing noise on a shared machine" : (speed.speedup > 1 ? "faster" : "slower"),
             repetitions, Double(speed.maxAbsoluteDifference), speed.argmaxDisagreements, speed.samples))

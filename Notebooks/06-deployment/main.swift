/*:
 # 6. Deploy: strip, save, measure

 A pruned model still carries its training machinery: masks, thresholds and the pruning step.
 `strippingPruning()` is tfmot's `strip_pruning`: the zeros are baked into the kernels and the
 rest is dropped, leaving a plain model. Then the article's two questions: how much smaller is the
 saved model, and is it any faster?
 */
import Foundation
import PruneKit
import PruneKitCharts
import PruneKitNotebook
import PruneKitONNX
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
let denseIsTrained = FileManager.default.fileExists(atPath: baselinePath)
if denseIsTrained {
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
 ## Size: what each stage buys

 Deep Compression's stages (Han et al., 2016) for this model, each file saved without optimizer
 state and also gzip-compressed (level 9), as the article compresses Keras's `.h5` files: the dense
 model as float32; the pruned model still stored value by value, where a zero takes 4 bytes like any
 weight and only the compressor squeezes it; the sparse file (`save`'s default), a bitmap of the kept
 weights plus their values, lossless; and the same with int8 kernels, one scale per output channel,
 as TFLite's post-training weight quantization. Test accuracy is measured for every stage that
 changes the numbers the model computes.
 */
cell("Compression stages")
let stages = try CompressionStages(model: stripped, dense: dense, testData: mnist.test)
show(headers: CompressionStages.tableHeaders, rows: stages.tableRows(denseIsTrained: denseIsTrained))
let waterfall = stages.waterfallChart
try show(image: waterfall.render(width: 900, height: 500), name: "stages", alt: waterfall.title)
show(markdown: stages.findings(denseIsTrained: denseIsTrained).map { "- " + $0 }.joined(separator: "\n"))

/*:
 ## Save, reload, export

 The sparse file loads back bit for bit, so the reloaded model predicts exactly what the stripped
 one does; the int8 file loads as the int8 model. The ONNX files (opset 13, Keras's layer names,
 float32 or int8 kernels with `DequantizeLinear`) are read back to check what they hold; the test
 suite runs them in onnxruntime against PruneKit's predictions.
 */
cell("Save, reload, export")
let sparsePath = artifacts + "/pruned-deploy.prunekit", int8Path = artifacts + "/pruned-deploy-int8.prunekit"
try stripped.save(to: sparsePath, includeOptimizer: false)
try stripped.save(to: int8Path, includeOptimizer: false, encoding: .sparseInt8)
let reloaded = try Sequential.load(from: sparsePath), reloadedInt8 = try Sequential.load(from: int8Path)
let predictions = try stripped.predict(mnist.test).scalars.map(\.bitPattern)
print("sparse file: predictions after reloading identical bit for bit:", try reloaded.predict(mnist.test).scalars.map(\.bitPattern) == predictions)
print("int8 file: predictions after reloading identical to the int8 model's:",
      try reloadedInt8.predict(mnist.test).scalars == stripped.quantizedToInt8().predict(mnist.test).scalars)
let onnxPath = artifacts + "/model.onnx", onnxInt8Path = artifacts + "/model-int8.onnx"
try stripped.exportONNX(to: onnxPath)
try stripped.exportONNX(to: onnxInt8Path, kernelPrecision: .int8)
for (name, path) in [("float32", onnxPath), ("int8", onnxInt8Path)] {
    let summary = try ONNXModelSummary(contentsOf: path)
    let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    print("ONNX \(name): opset \(summary.opset.map(String.init) ?? "none"), \(summary.nodes.count) nodes, \(summary.storedValues.grouped) stored values, \(bytes.byteCount)")
}
print("ONNX nodes:", try ONNXModelSummary(contentsOf: onnxPath).nodes.map { "\($0.name) (\($0.opType))" }.joined(separator: ", "))
print("float32 ONNX holds every weight:", try ONNXModelSummary(contentsOf: onnxPath).storedValues == stripped.parameterCount)

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
show(markdown: speed.finding)

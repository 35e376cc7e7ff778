/*:
 # 5. Evaluate the pruned model

 Notebook 4 trained the CNN while pruning it towards 87.5% sparsity. Here we score it on the
 1,000 held-out test digits, next to the same network trained without pruning, then look inside:
 how sparse each layer ended up, how sparsity grew step by step, and what pruning did to the
 distribution of the weights.
 */
import Foundation
import PruneKit
import PruneKitCharts
import PruneKitNotebook
import PruneKitReport

let epochs = parameter("epochs", default: 30, quick: 1)
let batchSize = parameter("batchSize", default: 250)
let finalSparsity = parameter("finalSparsity", default: 0.875)
let frequency = parameter("frequency", default: 100, quick: 1)
let subset = parameter("subset", default: 0, quick: 1_000)
let seed = parameter("seed", default: 1)
let baseline = parameter("baseline", default: true, quick: false)

/*:
 ## The trained models

 When notebook 4 has run with the same parameters, its models and logs are loaded; otherwise the
 experiment component trains them the same way (so this notebook also stands on its own).
 */
cell("Load or train the models")
var configuration = ExperimentConfiguration()
(configuration.epochs, configuration.batchSize, configuration.finalSparsity) = (epochs, batchSize, finalSparsity)
(configuration.frequency, configuration.seed) = (frequency, UInt64(seed))
configuration.trainingSubset = subset > 0 ? subset : nil
let artifacts = try artifactsDirectory(key: "e\(epochs)-b\(batchSize)-s\(finalSparsity)-f\(frequency)-n\(subset)-seed\(seed)")
let prunedPath = artifacts + "/pruned.prunekit", baselinePath = artifacts + "/baseline.prunekit", logDirectory = artifacts + "/logs"
let experiment = try ArticleExperiment(configuration: configuration).prepare(logDirectory: artifacts)
let mnist = experiment.data
let pruned: Sequential
if FileManager.default.fileExists(atPath: prunedPath), (try? SummaryLog(directory: logDirectory)) != nil {
    pruned = try Sequential.load(from: prunedPath)
    print("loaded the pruned model and its logs from notebook 4")
} else {
    try? FileManager.default.removeItem(atPath: logDirectory)
    pruned = try experiment.train(.pruned, logDirectory: logDirectory).model
    try pruned.save(to: prunedPath, includeOptimizer: false)
    print("trained the pruned model (notebook 4 had not run with these parameters)")
}
var dense: Sequential?
if baseline {
    if FileManager.default.fileExists(atPath: baselinePath) {
        dense = try Sequential.load(from: baselinePath)
    } else {
        dense = try experiment.train(.baseline).model
        try dense!.save(to: baselinePath, includeOptimizer: false)
    }
}
let log = try SummaryLog(directory: logDirectory)
let findings = RunFindings(log: log)
let (beginStep, endStep) = (experiment.schedule.beginStep, experiment.schedule.endStep)

/*:
 ## Test accuracy

 The article's measure: loss and accuracy on the test digits, which neither model saw while
 training. Below the table: how many test images one point of accuracy is, and how many steps the
 last mask update left the network to recover.
 */
cell("Evaluate")
let prunedScore = try pruned.evaluate(mnist.test)
var rows = [["pruned", String(format: "%.1f%%", 100 * pruned.sparsityTable().totalSparsity),
             String(format: "%.4f", prunedScore.loss), String(format: "%.4f", prunedScore.accuracy)]]
if let dense {
    let denseScore = try dense.evaluate(mnist.test)
    rows.insert(["baseline (no pruning)", String(format: "%.1f%%", 100 * dense.sparsityTable().totalSparsity),
                 String(format: "%.4f", denseScore.loss), String(format: "%.4f", denseScore.accuracy)], at: 0)
}
show(headers: ["Model", "Kernel sparsity", "Test loss", "Test accuracy"], rows: rows)
print(String(format: "Pruned CNN - Test loss: %.4f / Test accuracy: %.4f", prunedScore.loss, prunedScore.accuracy))
var accuracyFacts = [String(format: "With %@ test images, one image is %.2f percentage points.", mnist.test.count.grouped, 100 / Double(mnist.test.count))]
if let last = findings.cuts.last {
    accuracyFacts.append(String(format: "The last mask update came at step %d, in epoch %d of %d, leaving %d training step%@ to recover from it.",
                                last.step, findings.epoch(ofStep: last.step) + 1, epochs, findings.lastStep - last.step,
                                findings.lastStep - last.step == 1 ? "" : "s"))
}
show(markdown: accuracyFacts.joined(separator: " "))

/*:
 ## Sparsity per layer

 `sparsityTable()` counts the zeros in every kernel (biases are not counted). Each layer was
 pruned to the schedule's targets on its own (per-layer magnitude thresholds, as tfmot); how each
 ended against the final target is computed below the table.
 */
cell("Sparsity table")
let table = pruned.sparsityTable()
show(headers: ["Layer", "Type", "Kernel shape", "Weights", "Non-zeros", "Sparsity"],
     rows: table.rows.map { row in
         [row.layer, row.type, row.shape.map(String.init).joined(separator: "×"), row.weights.grouped, row.nonZeros.grouped,
          String(format: "%.2f%%", 100 * row.sparsity)]
     } + [["Total", "", "", table.totalWeights.grouped, table.totalNonZeros.grouped, String(format: "%.2f%%", 100 * table.totalSparsity)]])
let targets = findings.layerTargets
let reached = targets.filter(\.reached).map { "`\($0.layer)`" }, short = targets.filter { !$0.reached }
var sparsityFacts = String(format: "The last mask update asked for %.3f%% (the final target is %.3f%%). ",
                           100 * Double(log.run.pruning?.updates.last?.sparsity ?? 0), 100 * finalSparsity)
if short.isEmpty {
    sparsityFacts += "All \(targets.count) pruned layers hold no more non-zero weights than the final target allows."
} else {
    sparsityFacts += (reached.isEmpty ? "No layer reaches the final target; " : reached.joined(separator: ", ") + " reach the final target; ")
        + short.map { String(format: "`%@` keeps %d weight%@ more than it allows", $0.layer, $0.extraWeights, $0.extraWeights == 1 ? "" : "s") }.joined(separator: ", ")
        + " (the last update asked for slightly less than the final target)."
}
show(markdown: sparsityFacts)

/*:
 ## Sparsity over the steps

 The measured fraction of zero weights in each kernel after every training step, from the
 summaries log, over the schedule's staircase (drawn on top). Masks change only on pruning turns,
 and between turns the optimizer cannot revive a pruned weight because the masks are applied after
 every update. Layers that coincide are drawn as nested bands, the first widest. How far the
 measured lines stray from the staircase is computed below the chart.
 */
cell("Sparsity over steps")
var chart = LineChart(title: "Sparsity per layer at every step", xLabel: "Training step", yLabel: "Sparsity (zero weights)")
chart.yAxis = .percent(0 ... 1)
chart.legendPlacement = .bottomRight
if let pruning = log.run.pruning {
    let staircase = [(x: 0.0, y: 0.0)] + pruning.updates.map { (x: Double($0.step), y: Double($0.sparsity)) }
        + [(x: Double(endStep), y: Double(pruning.updates.last?.sparsity ?? 0))]
    let layerNames = log.run.layers.filter(\.pruned).map(\.name)
    for (index, name) in layerNames.enumerated() {
        chart.add(Series(name: name, points: log.steps.map { (Double($0.step), $0.layers[index].sparsity) },
                         color: Color.palette[index], lineWidth: 2.5 + 4 * Double(layerNames.count - 1 - index)))
    }
    chart.add(Series(name: "schedule target", points: staircase, style: .steps, dashed: true, color: .black, lineWidth: 1.5))
    chart.verticalLine(x: Double(pruning.beginStep), label: "begin \(pruning.beginStep): first update, \(String(format: "%.0f%%", 100 * (pruning.updates.first?.sparsity ?? 0)))")
}
let layerNames = log.run.layers.filter(\.pruned).map(\.name)
try show(chart, name: "sparsity-steps")
// The largest gap between a layer's measured sparsity and the latest update's target.
var targetAt = 0.0, largestGap = 0.0
let updatesByStep = Dictionary(uniqueKeysWithValues: (log.run.pruning?.updates ?? []).map { ($0.step, Double($0.sparsity)) })
for record in log.steps {
    if let target = updatesByStep[record.step] { targetAt = target }
    for layer in record.layers { largestGap = max(largestGap, abs(layer.sparsity - targetAt)) }
}
show(markdown: String(format: "Over all %@ steps, no layer's measured sparsity is more than %.3f points from the latest mask update's target.",
                      log.steps.count.grouped, 100 * largestGap))

/*:
 ## Weights before and after

 For each pruned kernel, the distribution of weight magnitudes |w| of the trained weights just
 before the first mask update that removes weights, and at the end of training, drawn as outlines.
 Counts are on a log scale and exact zeros fall in the first bar; the dashed line is the final
 threshold. What the histograms show, per layer, is computed below them.
 */
cell("Weight histograms")
let before = findings.beforeSnapshot ?? log.weights[0]
let after = findings.finalSnapshot ?? log.weights[log.weights.count - 1]
for name in layerNames {
    var histogram = HistogramChart(title: "\(name): weight magnitudes", xLabel: "|w|", yLabel: "Weights (log scale)")
    histogram.yAxis = .logarithmic()
    histogram.barOpacity = 0
    for (snapshot, label, color) in [(before, "trained, step \(before.step)", Color.blue), (after, "final, step \(after.step)", .vermillion)] {
        guard let layer = snapshot.layers.first(where: { $0.name == name }) else { continue }
        let width = Double(layer.maxMagnitude) / Double(layer.counts.count)
        var counts = layer.counts.map(Double.init)
        counts[0] += Double(layer.zeros)
        histogram.add(Histogram(name: label + String(format: ", %.1f%% zeros", 100 * Double(layer.zeros) / Double(layer.count)),
                                edges: (0 ... counts.count).map { Double($0) * width }, counts: counts, color: color))
    }
    if let threshold = after.layers.first(where: { $0.name == name })?.threshold, threshold > 0 {
        histogram.verticalLine(x: Double(threshold), label: String(format: "threshold %.3g", threshold))
    }
    try show(histogram, name: "weights-\(name)", width: 800, height: 420)
}
var weightFacts: [String] = []
for layer in layerNames {
    guard let first = before.layers.first(where: { $0.name == layer }), let last = after.layers.first(where: { $0.name == layer }) else { continue }
    weightFacts.append(String(format: "`%@`: the largest |w| went from %.3g to %.3g", layer, first.maxMagnitude, last.maxMagnitude))
}
let below = findings.survivorsBelowThreshold.filter { $0.atLeast > 0 }
show(markdown: weightFacts.joined(separator: "; ") + ". " + (below.isEmpty
    ? "No survivor lies in a histogram bin wholly below its layer's final threshold."
    : "At least " + below.map { "\($0.atLeast.grouped) surviving `\($0.layer)` weights" }.joined(separator: ", ")
        + " lie below the final threshold: they survived the last mask update and shrank in the steps trained after it."))

/*:
 Next, [deployment](06-deployment.md): strip the pruning wrappers, save, and measure size and speed.
 */

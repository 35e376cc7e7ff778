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

let epochs = parameter("epochs", default: 30, quick: 1)
let batchSize = parameter("batchSize", default: 250)
let finalSparsity = parameter("finalSparsity", default: 0.875)
let frequency = parameter("frequency", default: 100, quick: 1)
let subset = parameter("subset", default: 0, quick: 1_000)
let seed = parameter("seed", default: 1)
let baseline = parameter("baseline", default: true, quick: false)

/*:
 ## The trained models

 When notebook 4 has run with the same parameters, its models and logs are loaded; otherwise this
 cell trains them the same way (so this notebook also stands on its own).
 */
cell("Load or train the models")
var mnist = try MNIST.load()
if subset > 0 { mnist.train = mnist.train.slice(0 ..< min(subset, mnist.train.count)) }
let stepsPerEpoch = Sequential.stepsPerEpoch(samples: mnist.train.count, batchSize: batchSize, validationSplit: 0.2)
let endStep = stepsPerEpoch * epochs, beginStep = endStep / 5
let artifacts = try artifactsDirectory(key: "e\(epochs)-b\(batchSize)-s\(finalSparsity)-f\(frequency)-n\(subset)-seed\(seed)")
let prunedPath = artifacts + "/pruned.prunekit", baselinePath = artifacts + "/baseline.prunekit", logDirectory = artifacts + "/logs"
var model = try Sequential.articleCNN(seed: UInt64(seed))
model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
let pruned: Sequential
if FileManager.default.fileExists(atPath: prunedPath), (try? SummaryLog(directory: logDirectory)) != nil {
    pruned = try Sequential.load(from: prunedPath)
    print("loaded the pruned model and its logs from notebook 4")
} else {
    let schedule = try PolynomialDecay(initialSparsity: 0, finalSparsity: finalSparsity,
                                       beginStep: beginStep, endStep: endStep, frequency: frequency)
    var training = try model.pruned(with: schedule)
    try training.fit(mnist.train, batchSize: batchSize, epochs: epochs, validationSplit: 0.2, verbose: false,
                     callbacks: [PruningSummaries(logDirectory: logDirectory, updateFrequency: .steps(1))])
    try training.save(to: prunedPath, includeOptimizer: false)
    pruned = training
    print("trained the pruned model (notebook 4 had not run with these parameters)")
}
var dense: Sequential?
if baseline {
    if FileManager.default.fileExists(atPath: baselinePath) {
        dense = try Sequential.load(from: baselinePath)
    } else {
        var training = model
        try training.fit(mnist.train, batchSize: batchSize, epochs: epochs, validationSplit: 0.2, verbose: false)
        try training.save(to: baselinePath, includeOptimizer: false)
        dense = training
    }
}
let log = try SummaryLog(directory: logDirectory)

/*:
 ## Test accuracy

 The article's measure: loss and accuracy on the test digits, which neither model saw while
 training. With 1,000 test images, one digit is 0.1 percentage point; a few tenths are within the
 noise of a different seed, larger gaps are the price of pruning. Part of that price here is the
 schedule: the last mask update falls in the last epoch (notebook 4), leaving the network a few
 steps to recover from it.
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

/*:
 ## Sparsity per layer

 `sparsityTable()` counts the zeros in every kernel. Each layer was pruned to the schedule's last
 target on its own (per-layer magnitude thresholds, as tfmot), so all four sit at the same
 sparsity, the target of the schedule's last mask update (notebook 3); biases are not counted.
 */
cell("Sparsity table")
let table = pruned.sparsityTable()
show(headers: ["Layer", "Type", "Kernel shape", "Weights", "Non-zeros", "Sparsity"],
     rows: table.rows.map { row in
         [row.layer, row.type, row.shape.map(String.init).joined(separator: "×"), row.weights.grouped, row.nonZeros.grouped,
          String(format: "%.2f%%", 100 * row.sparsity)]
     } + [["Total", "", "", table.totalWeights.grouped, table.totalNonZeros.grouped, String(format: "%.2f%%", 100 * table.totalSparsity)]])

/*:
 ## Sparsity over the steps

 The measured fraction of zero weights in each kernel after every training step, from the
 summaries log, over the schedule's staircase. The measured lines sit on the staircase: masks
 change only on pruning turns, and between turns the optimizer cannot revive a pruned weight
 because the masks are applied after every update.
 */
cell("Sparsity over steps")
var chart = LineChart(title: "Sparsity per layer at every step", xLabel: "Training step", yLabel: "Sparsity (zero weights)")
chart.yAxis = .percent(0 ... 1)
chart.legendPlacement = .bottomRight
if let pruning = log.run.pruning {
    let staircase = [(x: 0.0, y: 0.0)] + pruning.updates.map { (x: Double($0.step), y: Double($0.sparsity)) }
        + [(x: Double(endStep), y: Double(pruning.updates.last?.sparsity ?? 0))]
    chart.add(Series(name: "schedule target", points: staircase, style: .steps, dashed: true, color: .gray, lineWidth: 3))
    chart.verticalLine(x: Double(pruning.beginStep), label: "begin \(pruning.beginStep)")
}
let layerNames = log.run.layers.filter(\.pruned).map(\.name)
for (index, name) in layerNames.enumerated() {
    chart.add(Series(name: name, points: log.steps.map { (Double($0.step), $0.layers[index].sparsity) },
                     color: Color.palette[index], lineWidth: 1.5))
}
try show(chart, name: "sparsity-steps")

/*:
 ## Weights before and after

 For each pruned kernel, the distribution of weight magnitudes |w| just before the first mask
 update that removes weights, and at the end of training. Counts are on a log scale and exact
 zeros fall in the first bar. Pruning cuts away the bulk of small weights below the final
 threshold (dashed line) and leaves a long tail of large ones, which kept training and grew.
 */
cell("Weight histograms")
let firstCut = log.run.pruning?.updates.first { $0.sparsity > 0 }?.step ?? beginStep
let before = log.weights.last { $0.step < firstCut } ?? log.weights[0]
let after = log.weights[log.weights.count - 1]
for name in layerNames {
    var histogram = HistogramChart(title: "\(name): weight magnitudes", xLabel: "|w|", yLabel: "Weights (log scale)")
    histogram.yAxis = .logarithmic()
    for (snapshot, label, color) in [(before, "before pruning (step \(before.step))", Color.sky), (after, "after (step \(after.step))", .vermillion)] {
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

/*:
 Next, [deployment](06-deployment.md): strip the pruning wrappers, save, and measure size and speed.
 */

/*:
 # 4. Train with pruning

 This is the article's run: the CNN of notebook 2 wrapped with the schedule of notebook 3 and
 trained for 30 epochs in batches of 250, with 20% of the training images held out for
 validation. Pruning happens inside `fit`: before each batch the pruning step advances, on a
 pruning turn the masks are recomputed from the current weights, and after every optimizer update
 the masks are applied again, so pruned weights stay exactly zero. A `PruningSummaries` callback
 logs sparsity, thresholds and weight histograms at every step, which notebook 5 reads.
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
/// Also train the same network without pruning, for notebooks 5 and 6 to compare against.
let baseline = parameter("baseline", default: true, quick: false)

/*:
 ## Data, model and schedule

 The same steps as notebooks 1–3, done by the experiment component that `swift run report` uses:
 `ArticleExperiment(configuration:).prepare(logDirectory:)` loads the data, builds the CNN,
 resolves the schedule from the fractions (begin at 20% of the steps, end at the last), and checks
 all of it before the first training step. The trained models and logs go to a directory named
 after these parameters, where notebooks 5 and 6 look for them.
 */
cell("Data, model and schedule")
var configuration = ExperimentConfiguration()
(configuration.epochs, configuration.batchSize, configuration.finalSparsity) = (epochs, batchSize, finalSparsity)
(configuration.frequency, configuration.seed) = (frequency, UInt64(seed))
configuration.trainingSubset = subset > 0 ? subset : nil
let artifacts = try artifactsDirectory(key: "e\(epochs)-b\(batchSize)-s\(finalSparsity)-f\(frequency)-n\(subset)-seed\(seed)")
let logDirectory = artifacts + "/logs"
try? FileManager.default.removeItem(atPath: logDirectory)
let experiment = try ArticleExperiment(configuration: configuration).prepare(logDirectory: logDirectory)
let (stepsPerEpoch, endStep) = (experiment.stepsPerEpoch, experiment.schedule.endStep)
print("\(experiment.data.train.count) training images, \(stepsPerEpoch) steps per epoch, pruning from step \(experiment.schedule.beginStep) to \(endStep)")

/*:
 ## Watch sparsity rise

 `train(.pruned, …)` runs `fit` with a `PruningSummaries` callback (sparsity, thresholds and
 weight histograms at every step, which notebook 5 reads) and, here, a small callback that prints
 one line per epoch with the losses, the accuracies and the sparsity of each pruned kernel. The
 first epochs train the dense network; from the begin step the kernels empty out in the stairs of
 notebook 3's plot.
 */
cell("Train with pruning")
final class EpochLine: Callback {
    func epochEnd(_ state: inout TrainingState) throws {
        guard let logs = state.epochLogs else { return }
        let sparsity = state.model.sparsityTable().rows.map { String(format: "%8.1f%%", 100 * $0.sparsity) }
        print(String(format: "%5d %6d %8.4f %7.4f %8.4f %7.4f  ", logs.epoch + 1, state.step, logs.loss, logs.accuracy,
                     logs.validationLoss ?? .nan, logs.validationAccuracy ?? .nan) + sparsity.joined(separator: " "))
    }
}
print("epoch   step     loss     acc val_loss val_acc  " + experiment.model.sparsityTable().rows.map { String(repeating: " ", count: max(0, 9 - $0.layer.count)) + $0.layer }.joined(separator: " "))
let pruned = try experiment.train(.pruned, logDirectory: logDirectory, callbacks: [EpochLine()])
let history = pruned.history
print(String(format: "trained in %.1f s (%.0f images/s)", pruned.results.trainingSeconds, history.imagesPerSecond))

/*:
 ## Accuracy while pruning

 Validation accuracy per epoch, with the steps where the masks changed (labelled with their
 target). What the updates did to accuracy in this run, computed from the history below the chart:
 */
cell("Plot accuracy")
var chart = LineChart(title: "Accuracy while pruning", xLabel: "Epoch", yLabel: "Accuracy")
chart.yAxis = .percent()
chart.legendPlacement = .bottomRight
chart.add(Series(name: "validation", points: history.epochs.map { (Double($0.epoch + 1), $0.validationAccuracy ?? .nan) }, color: .blue, markers: true))
chart.add(Series(name: "training (with dropout)", points: history.epochs.map { (Double($0.epoch + 1), $0.accuracy) }, dashed: true, color: .blue))
for update in experiment.schedule.timeline(through: endStep).updates where update.sparsity > 0 {
    chart.verticalLine(x: Double(update.step) / Double(stepsPerEpoch), label: String(format: "%.0f%%", 100 * update.sparsity))
}
try show(chart, name: "accuracy")
let findings = RunFindings(log: try SummaryLog(directory: logDirectory))
var facts: [String] = []
if let fall = findings.largestFallAtCut {
    let updates = fall.updates.map { String(format: "step %d (to %.1f%%)", $0.step, 100 * $0.sparsity) }.joined(separator: ", ")
    facts.append(String(format: "The largest fall from one epoch to the next, %.2f points (%.4f → %.4f), came in epoch %d, with the mask update at %@.",
                        100 * (fall.before - fall.after), fall.before, fall.after, fall.epoch + 1, updates))
    if let back = findings.recovery(after: fall.epoch, reference: fall.before, tolerance: 0.005) {
        facts.append(String(format: "Validation accuracy was back within 0.5 points of %.4f by epoch %d.", fall.before, back.epoch + 1))
    } else {
        facts.append(String(format: "Validation accuracy never came back within 0.5 points of %.4f.", fall.before))
    }
} else {
    facts.append("No epoch with a mask update that prunes was followed by a fall in validation accuracy" + (history.epochs.count < 2 ? " (with a single epoch there is no epoch-to-epoch change to measure)." : "."))
}
if let last = findings.cuts.last {
    let left = findings.lastStep - last.step
    let best = history.validationAccuracy.max() ?? .nan, final = history.validationAccuracy.last ?? .nan
    facts.append(String(format: "The last update, at step %d, left %d step%@ to recover; the final validation accuracy is %.4f against the best epoch's %.4f.",
                        last.step, left, left == 1 ? "" : "s", final, best))
}
show(markdown: facts.joined(separator: " "))

/*:
 ## Keep the results

 The pruned model (weights, masks and pruning state) and, for comparison, the same network trained
 without pruning from the same initial weights and with the same batches, are saved for
 notebooks 5 and 6.
 */
cell("Save for the next notebooks")
try pruned.model.save(to: artifacts + "/pruned.prunekit", includeOptimizer: false)
if baseline {
    let dense = try experiment.train(.baseline)
    try dense.model.save(to: artifacts + "/baseline.prunekit", includeOptimizer: false)
    print(String(format: "baseline (no pruning): validation accuracy %.4f after %d epochs",
                 dense.history.validationAccuracy.last ?? .nan, epochs))
}
print("saved in", artifacts)

/*:
 Next, [evaluation](05-evaluation.md): what pruning did to accuracy and to each layer's weights.
 */

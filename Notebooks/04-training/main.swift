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

 The same steps as notebooks 1–3, in a few lines. The trained models and logs go to a directory
 named after these parameters, where notebooks 5 and 6 look for them.
 */
cell("Data, model and schedule")
var mnist = try MNIST.load()
if subset > 0 { mnist.train = mnist.train.slice(0 ..< min(subset, mnist.train.count)) }
let stepsPerEpoch = Sequential.stepsPerEpoch(samples: mnist.train.count, batchSize: batchSize, validationSplit: 0.2)
let endStep = stepsPerEpoch * epochs, beginStep = endStep / 5
let schedule = try PolynomialDecay(initialSparsity: 0, finalSparsity: finalSparsity,
                                   beginStep: beginStep, endStep: endStep, frequency: frequency)
var model = try Sequential.articleCNN(seed: UInt64(seed))
model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
var pruned = try model.pruned(with: schedule)
let artifacts = try artifactsDirectory(key: "e\(epochs)-b\(batchSize)-s\(finalSparsity)-f\(frequency)-n\(subset)-seed\(seed)")
print("\(mnist.train.count) training images, \(stepsPerEpoch) steps per epoch, pruning from step \(beginStep) to \(endStep)")

/*:
 ## Watch sparsity rise

 `fit(verbose: false)` keeps Keras's progress lines off the page; instead a small callback prints
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
print("epoch   step     loss     acc val_loss val_acc  " + pruned.sparsityTable().rows.map { String(repeating: " ", count: max(0, 9 - $0.layer.count)) + $0.layer }.joined(separator: " "))
let logDirectory = artifacts + "/logs"
try? FileManager.default.removeItem(atPath: logDirectory)
let started = Date()
let history = try pruned.fit(mnist.train, batchSize: batchSize, epochs: epochs, validationSplit: 0.2, verbose: false,
                             callbacks: [PruningSummaries(logDirectory: logDirectory, updateFrequency: .steps(1)), EpochLine()])
print(String(format: "trained in %.1f s (%.0f images/s)", Date().timeIntervalSince(started), history.imagesPerSecond))

/*:
 ## Accuracy while pruning

 Validation accuracy per epoch, with the steps where the masks changed (labelled with their
 target). Each update removes a slab of small weights at once, so accuracy drops right after it —
 most sharply at the jump from 60% to 83% — and the following epochs win most of it back. The last
 update comes in the last epoch, with only a few steps left to recover, which is why the final
 accuracy sits below the best epochs.
 */
cell("Plot accuracy")
var chart = LineChart(title: "Accuracy while pruning", xLabel: "Epoch", yLabel: "Accuracy")
chart.yAxis = .percent()
chart.legendPlacement = .bottomRight
chart.add(Series(name: "validation", points: history.epochs.map { (Double($0.epoch + 1), $0.validationAccuracy ?? .nan) }, color: .blue, markers: true))
chart.add(Series(name: "training (with dropout)", points: history.epochs.map { (Double($0.epoch + 1), $0.accuracy) }, dashed: true, color: .blue))
for update in schedule.timeline(through: endStep).updates where update.sparsity > 0 {
    chart.verticalLine(x: Double(update.step) / Double(stepsPerEpoch), label: String(format: "%.0f%%", 100 * update.sparsity))
}
try show(chart, name: "accuracy")

/*:
 ## Keep the results

 The pruned model (weights, masks and pruning state) and, for comparison, the same network trained
 without pruning from the same initial weights and with the same batches, are saved for
 notebooks 5 and 6.
 */
cell("Save for the next notebooks")
try pruned.save(to: artifacts + "/pruned.prunekit", includeOptimizer: false)
if baseline {
    var dense = model
    let denseHistory = try dense.fit(mnist.train, batchSize: batchSize, epochs: epochs, validationSplit: 0.2, verbose: false)
    try dense.save(to: artifacts + "/baseline.prunekit", includeOptimizer: false)
    print(String(format: "baseline (no pruning): validation accuracy %.4f after %d epochs",
                 denseHistory.validationAccuracy.last ?? .nan, epochs))
}
print("saved in", artifacts)

/*:
 Next, [evaluation](05-evaluation.md): what pruning did to accuracy and to each layer's weights.
 */

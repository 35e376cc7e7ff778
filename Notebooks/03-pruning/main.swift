/*:
 # 3. Configure pruning

 Pruning follows a schedule: at chosen training steps it recomputes each layer's mask so that a
 given fraction of the kernel — the smallest weights by magnitude — is zero. The article uses
 tfmot's `PolynomialDecay`: sparsity rises from 0 to 87.5% along a cubic curve between a begin
 and an end step. Those steps count training batches, so they follow from the data size, the
 batch size and the number of epochs. This notebook works them out and plots the target the
 schedule will follow, before anything is trained.
 */
import PruneKit
import PruneKitCharts
import PruneKitNotebook

let epochs = parameter("epochs", default: 30, quick: 1)
let batchSize = parameter("batchSize", default: 250)
let validationSplit = parameter("validationSplit", default: 0.2)
let finalSparsity = parameter("finalSparsity", default: 0.875)
/// Masks are updated every `frequency` steps (tfmot's default, 100).
let frequency = parameter("frequency", default: 100, quick: 1)
let subset = parameter("subset", default: 0, quick: 1_000)

/*:
 ## Steps from the data size

 `fit` holds out the last 20% of the training images for validation (Keras's `validation_split`),
 trains on the rest in batches of 250, and each batch is one step. As in the article, pruning ends
 at the last step of training and begins after the first 20% of the steps, so the network first
 learns something worth keeping.
 */
cell("Steps from the data size")
var mnist = try MNIST.load()
if subset > 0 { mnist.train = mnist.train.slice(0 ..< min(subset, mnist.train.count)) }
let fitImages = Int((Double(mnist.train.count) * (1 - validationSplit)).rounded(.down))
let stepsPerEpoch = (fitImages + batchSize - 1) / batchSize
let endStep = stepsPerEpoch * epochs
let beginStep = Int((0.2 * Double(endStep)).rounded(.down))
show(headers: ["Quantity", "Value", "How"], rows: [
    ["training images", mnist.train.count.grouped, "bundled sample"],
    ["fit images", fitImages.grouped, "⌊\(mnist.train.count) × (1 − \(validationSplit))⌋"],
    ["steps per epoch", String(stepsPerEpoch), "⌈\(fitImages) / \(batchSize)⌉"],
    ["end step", String(endStep), "\(stepsPerEpoch) × \(epochs) epochs"],
    ["begin step", String(beginStep), "⌊0.2 × \(endStep)⌋"],
])

/*:
 ## The schedule

 `PolynomialDecay` reproduces tfmot's arithmetic bit for bit (float32, `powf`). Masks are only
 updated on *pruning turns*: from the begin step, every `frequency` steps. `timeline(through:)`
 lists those updates and how far the last one falls short of the final target. The first turn,
 at the begin step itself, targets 0%: it prunes nothing. And when `end − begin` is not a multiple
 of `frequency`, the end step is not a turn, so the masks never reach the final target exactly —
 tfmot behaves the same way. Where this run's last turn falls, and what it leaves, is computed
 below the table.
 */
cell("Configure the schedule")
let schedule = try PolynomialDecay(initialSparsity: 0, finalSparsity: finalSparsity,
                                   beginStep: beginStep, endStep: endStep, frequency: frequency)
let timeline = schedule.timeline(through: endStep)
show(headers: ["Mask update at step", "Epoch", "Target sparsity"],
     rows: timeline.updates.map { update in
         [String(update.step), String((update.step - 1) / stepsPerEpoch + 1), String(format: "%.2f%%", 100 * update.sparsity)]
     })
print(String(format: "final target %.3f%%, last update %.3f%%, shortfall %.3f points",
             100 * timeline.finalTargetSparsity, 100 * (timeline.lastTargetedSparsity ?? 0), 100 * timeline.shortfall))
if let last = timeline.updates.last {
    let epoch = (last.step - 1) / stepsPerEpoch + 1
    show(markdown: String(format: "The last turn is at step %d, %d step%@ before the end step %d, in epoch %d of %d; it falls %.3f points short of the final target.",
                          last.step, endStep - last.step, endStep - last.step == 1 ? "" : "s", endStep, epoch, epochs, 100 * timeline.shortfall))
}

/*:
 ## The target, plotted

 The smooth curve is the schedule's sparsity at every step; the staircase is what the masks will
 actually follow, since they only change on pruning turns. The cubic curve is steepest at the
 begin step, but the masks only follow it at the turns: when the first cut comes, and how much it
 takes, is computed below the chart.
 */
cell("Plot the target sparsity")
var chart = LineChart(title: "Target sparsity of PolynomialDecay", xLabel: "Training step", yLabel: "Sparsity")
chart.yAxis = .percent(0 ... 1)
chart.legendPlacement = .bottomRight
chart.add(Series(name: "schedule curve", points: (0 ... endStep).map { (Double($0), Double(schedule.sparsity(atStep: $0))) },
                 dashed: true, color: .gray))
let staircase = [(x: 0.0, y: 0.0)] + timeline.updates.map { (x: Double($0.step), y: Double($0.sparsity)) }
    + [(x: Double(endStep), y: Double(timeline.lastTargetedSparsity ?? 0))]
chart.add(Series(name: "mask target (updates every \(frequency) steps)", points: staircase, style: .steps, color: .blue, lineWidth: 2.5))
chart.verticalLine(x: Double(beginStep), label: "begin \(beginStep)")
chart.verticalLine(x: Double(endStep), label: "end \(endStep)")
try show(chart, name: "target-sparsity")
if let cut = timeline.updates.first(where: { $0.sparsity > 0 }) {
    let half = (0 ... endStep).first { schedule.sparsity(atStep: $0) >= timeline.finalTargetSparsity / 2 } ?? endStep
    show(markdown: String(format: "The first cut that removes weights is at step %d of %d and takes %.1f%% at once (%.0f%% of the final target); the curve passes half the final target at step %d, %.0f%% of the way from begin to end.",
                          cut.step, endStep, 100 * cut.sparsity, 100 * cut.sparsity / timeline.finalTargetSparsity, half,
                          100 * Double(half - beginStep) / Double(max(endStep - beginStep, 1))))
}

/*:
 ## Wrap the model

 `pruned(with:)` is tfmot's `prune_low_magnitude`: every Conv2D and Dense kernel gets a mask of
 ones and the pruning step starts at 0. Nothing is pruned yet: the table shows 0% everywhere.
 During `fit` the step advances once per batch and the masks follow the staircase above.
 */
cell("Wrap the model for pruning")
var model = try Sequential.articleCNN(seed: 1)
model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
let pruned = try model.pruned(with: schedule)
print(pruned.sparsityTable())

/*:
 Next, [training with pruning](04-training.md).
 */

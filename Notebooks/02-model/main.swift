/*:
 # 2. The model: the article's CNN

 The network is the classic Keras MNIST example: two 3×3 convolutions with max pooling and
 dropout, then a dense layer of 256 units and a 10-way softmax. This notebook builds it, compiles
 it with the article's loss and optimizer, prints its summary, and counts its parameters, because
 the parameters are what pruning will remove.
 */
import PruneKit
import PruneKitNotebook

/// The seed of the weight initialisation.
let seed = parameter("seed", default: 1)

/*:
 ## Build and compile

 `Sequential { … }` is a result builder over Keras-named layers; `Sequential.articleCNN()` builds
 the same stack. Weights are created at once for 28×28×1 inputs (Glorot-uniform kernels, zero
 biases), drawn from the seed, so every run starts from the same network. `compile` sets the
 categorical cross-entropy loss and Adam with Keras's defaults.
 */
cell("Build and compile")
var model = try Sequential(inputShape: [28, 28, 1], seed: UInt64(seed)) {
    Conv2D(filters: 32, kernelSize: 3, activation: .relu)
    MaxPool2D(poolSize: 2)
    Dropout(0.25)
    Conv2D(filters: 64, kernelSize: 3, activation: .relu)
    MaxPool2D(poolSize: 2)
    Dropout(0.25)
    Flatten()
    Dense(256, activation: .relu)
    Dense(10, activation: .softmax)
}
model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
print(model.summary())

/*:
 ## Where the parameters are

 Only kernels are pruned, never biases (as in tfmot). The table splits each layer's parameters
 into kernel weights and biases: almost all of the 431,242 parameters sit in one kernel, the
 1,600 × 256 matrix of the first dense layer, so that is where pruning will matter most for size.
 */
cell("Count parameters")
let table = model.sparsityTable()
var rows: [[String]] = []
for row in table.rows {
    let index = model.layerNames.firstIndex(of: row.layer)!
    let total = model.layers[index].parameterCount
    rows.append([row.layer, row.type, row.shape.map(String.init).joined(separator: "×"), row.weights.grouped,
                 (total - row.weights).grouped, String(format: "%.1f%%", 100 * Double(row.weights) / Double(model.parameterCount))])
}
rows.append(["Total", "", "", table.totalWeights.grouped, (model.parameterCount - table.totalWeights).grouped, ""])
show(headers: ["Layer", "Type", "Kernel shape", "Kernel weights", "Biases", "Share of all parameters"], rows: rows)
print("prunable (kernel) weights:", table.totalWeights.grouped, "of", model.parameterCount.grouped, "parameters")

/*:
 ## Before training

 An untrained network guesses: on the 1,000 test digits its accuracy is near 10%, one class in
 ten, and its loss near ln 10 ≈ 2.30. Notebook 4 trains it.
 */
cell("Untrained accuracy")
let mnist = try MNIST.load()
let untrained = try model.evaluate(mnist.test)
print(String(format: "untrained - test loss: %.4f / test accuracy: %.4f", untrained.loss, untrained.accuracy))

/*:
 Next, [the pruning schedule](03-pruning.md), configured before any training.
 */

/*:
 # 1. The data: MNIST

 The article trains a small convolutional network on MNIST, the 28×28 grey-scale handwritten
 digits, and prunes it while it trains. Before any of that, this notebook looks at the data the
 way the article does: how it is loaded, what the digits look like, and how many of each class
 there are.

 Every notebook in this series is a Swift program: run it with `swift run nb01-data`, or render
 this page with `swift run notebook 01-data`. The first cell declares its parameters, which the
 command can override (`--set subset=500`).
 */
import PruneKit
import PruneKitCharts
import PruneKitNotebook

/// A directory of MNIST IDX files (or Keras's `mnist.npz`); empty for the bundled sample.
let dataPath = parameter("data", default: "")
/// Keep only the first `subset` training images (0 keeps all).
let subset = parameter("subset", default: 0, quick: 1_000)

/*:
 ## Load the data

 `MNIST.load()` reads the sample bundled with PruneKit: 5,000 real MNIST digits, split into the
 first 4,000 for training and the last 1,000 for testing, so everything here runs offline.
 `MNIST.load(from:)` takes the full dataset's four IDX files instead. Pixels stay bytes in memory;
 they become floats in [0, 1] only when a batch is fed to the network, as Keras's `x / 255`.
 */
cell("Load MNIST")
var mnist = try dataPath.isEmpty ? MNIST.load() : MNIST.load(from: dataPath)
if subset > 0 { mnist.train = mnist.train.slice(0 ..< min(subset, mnist.train.count)) }
print(mnist.source)
print("training images:", mnist.train.count, "of shape", mnist.train.imageShape)
print("test images:    ", mnist.test.count)

/*:
 ## One digit, as numbers

 An image is 784 bytes, 0 for the black background up to 255 for the brightest stroke. Printing
 the first training image with one character per pixel (denser characters for brighter pixels)
 shows what the network receives.
 */
cell("One digit as numbers")
let shades = Array(" .:-=+*#%@")
let size = mnist.train.imageSize, width = mnist.train.imageShape[1]
let first = mnist.train.pixels[0 ..< size]
print("label:", mnist.train.labels[0])
for row in stride(from: first.startIndex, to: first.endIndex, by: width) {
    print(String(first[row ..< row + width].map { shades[Int($0) * (shades.count - 1) / 255] }))
}

/*:
 ## A grid of digits

 Row *k* shows the first twelve training images labelled *k*. The variety within a row (slant,
 thickness, open or closed loops) is what the network has to learn to ignore.
 */
cell("Digit grid")
let columns = 12, gap = 2, cellSize = 28 + gap
var grid = [UInt8](repeating: 96, count: (10 * cellSize + gap) * (columns * cellSize + gap))
let gridWidth = columns * cellSize + gap
for digit in 0 ..< 10 {
    let examples = mnist.train.labels.indices.filter { mnist.train.labels[$0] == digit }.prefix(columns)
    for (column, index) in examples.enumerated() {
        for y in 0 ..< 28 {
            for x in 0 ..< 28 {
                grid[(digit * cellSize + gap + y) * gridWidth + column * cellSize + gap + x] = mnist.train.pixels[index * size + y * 28 + x]
            }
        }
    }
}
try show(image: ChartImage(width: gridWidth, height: 10 * cellSize + gap, gray: grid, scale: 2),
         name: "digits", alt: "Twelve training digits of each class, one class per row, 0 at the top")

/*:
 ## Class counts

 The sample is balanced: 500 images of each digit in all, so each class has about 400 training
 and 100 test images. On balanced classes, plain accuracy is a fair score, which is what the
 article reports.
 */
cell("Class counts")
let train = mnist.train.classCounts, test = mnist.test.classCounts
show(headers: ["Digit", "Training images", "Test images", "Share of training"],
     rows: (0 ..< mnist.train.classCount).map { digit in
         [String(digit), String(train[digit]), String(test[digit]),
          String(format: "%.1f%%", 100 * Double(train[digit]) / Double(mnist.train.count))]
     } + [["All", String(mnist.train.count), String(mnist.test.count), "100.0%"]])

/*:
 Next, [the model](02-model.md): the article's CNN, compiled and summarised.
 */

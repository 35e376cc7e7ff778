//: # 1. The data
import PruneKit
import PruneKitCharts
import PruneKitNotebook

let subset = parameter("subset", default: 0, quick: 500)

/*:
 ## Load MNIST
 Text here.
 */
cell("Load MNIST")
let mnist = try MNIST.load()
print(mnist.source)

//: ## Class counts
cell("Class counts")
show(headers: ["Digit", "Train", "Test"], rows: (0 ..< 10).map { ["\($0)", "\(mnist.train.classCounts[$0])", "\(mnist.test.classCounts[$0])"] })

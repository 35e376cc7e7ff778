/// A layer's type and hyperparameters as a model file stores them, without its weights: Keras's
/// `layer.get_config()` for PruneKit's own layers.
///
/// Encoded by Swift's synthesised `Codable`, one key per case:
/// `{"conv2D": {"filters": 32, "kernelSize": [3, 3], "activation": "relu"}}`.
enum LayerConfiguration: Codable, Equatable, CustomStringConvertible {
    case conv2D(filters: Int, kernelSize: [Int], activation: Activation)
    case maxPool2D(poolSize: [Int])
    case dropout(rate: Float)
    case flatten
    case dense(units: Int, activation: Activation)

    /// The configuration of `layer`, or `nil` for a layer type outside PruneKit's own.
    init?(_ layer: any Layer) {
        switch layer {
        case let conv as Conv2D:
            self = .conv2D(filters: conv.filters, kernelSize: [conv.kernelSize.height, conv.kernelSize.width],
                           activation: conv.activation)
        case let pool as MaxPool2D:
            self = .maxPool2D(poolSize: [pool.poolSize.height, pool.poolSize.width])
        case let dropout as Dropout:
            self = .dropout(rate: dropout.rate)
        case is Flatten:
            self = .flatten
        case let dense as Dense:
            self = .dense(units: dense.units, activation: dense.activation)
        default:
            return nil
        }
    }

    /// A new layer with this configuration and no parameters, or `nil` when a hyperparameter is
    /// one the layer's initialiser would reject (they trap on bad values, and a file is untrusted).
    func makeLayer() -> (any Layer)? {
        switch self {
        case .conv2D(let filters, let kernelSize, let activation):
            guard filters > 0, kernelSize.count == 2, kernelSize.allSatisfy({ $0 > 0 }) else { return nil }
            return Conv2D(filters: filters, kernelSize: (kernelSize[0], kernelSize[1]), activation: activation)
        case .maxPool2D(let poolSize):
            guard poolSize.count == 2, poolSize.allSatisfy({ $0 > 0 }) else { return nil }
            return MaxPool2D(poolSize: (poolSize[0], poolSize[1]))
        case .dropout(let rate):
            guard rate >= 0 && rate < 1 else { return nil }
            return Dropout(rate)
        case .flatten:
            return Flatten()
        case .dense(let units, let activation):
            guard units > 0 else { return nil }
            return Dense(units, activation: activation)
        }
    }

    /// The shapes of the parameters such a layer creates for a per-sample `inputShape` it accepts,
    /// in ``Layer/parameters`` order (what its `build(inputShape:generator:)` makes).
    func parameterShapes(inputShape: [Int]) -> [[Int]] {
        switch self {
        case .conv2D(let filters, let kernelSize, _): return [kernelSize + [inputShape[2], filters], [filters]]
        case .dense(let units, _): return [[inputShape[0], units], [units]]
        case .maxPool2D, .dropout, .flatten: return []
        }
    }

    /// The configuration as Swift code would write it, such as `Dense(4, activation: softmax)`.
    var description: String {
        switch self {
        case .conv2D(let filters, let kernelSize, let activation):
            return "Conv2D(filters: \(filters), kernelSize: \(kernelSize), activation: \(activation))"
        case .maxPool2D(let poolSize):
            return "MaxPool2D(poolSize: \(poolSize))"
        case .dropout(let rate):
            return "Dropout(\(rate))"
        case .flatten:
            return "Flatten()"
        case .dense(let units, let activation):
            return "Dense(\(units), activation: \(activation))"
        }
    }
}


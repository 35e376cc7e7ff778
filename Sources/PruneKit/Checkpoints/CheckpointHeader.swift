/// The JSON header of a model file: everything about the model except the tensors' values, which
/// the ``tensors`` records locate in the payload.
///
/// Tensors are named `<layer>/<parameter>` for weights (`dense/kernel`), `optimizer/<layer>/<parameter>/m`
/// and `…/v` for Adam's moments, and `pruning/<layer>/mask` for pruning masks.
struct CheckpointHeader: Codable {
    /// Epochs of `fit` finished when ``ModelCheckpoint`` wrote the file; `nil` for a model saved
    /// outside training.
    var epochsCompleted: Int?
    /// Architecture and compile settings.
    var model: ModelRecord
    /// Adam's hyperparameters and step count, when the optimizer was saved.
    var optimizer: OptimizerRecord?
    /// The pruning policy and state, when the model is pruned.
    var pruning: PruningRecord?
    /// Where each tensor is in the payload.
    var tensors: [TensorRecord]

    /// What `Sequential`'s initialiser and `compile` were given, and the built input shape.
    struct ModelRecord: Codable {
        var seed: UInt64
        /// The per-sample input shape, or `nil` for a model that was never built (no weights).
        var inputShape: [Int]?
        var layers: [LayerRecord]
        var loss: Loss?
        var metrics: [Metric]
    }

    /// One layer: its name and configuration.
    struct LayerRecord: Codable {
        var name: String
        var configuration: LayerConfiguration
    }

    /// The optimizer; Adam is the only one PruneKit has.
    enum OptimizerRecord: Codable {
        case adam(learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, iterations: Int)
    }

    /// ``PruningState``, its masks aside.
    struct PruningRecord: Codable {
        var schedule: ScheduleRecord
        var layerNames: [String]?
        var blockSparsity: BlockSparsity?
        var nmSparsity: NMSparsity?
        var scope: PruningPolicy.Scope
        var step: Int
        var lastUpdateStep: Int?
        var layers: [PrunedLayerRecord]
    }

    /// A pruning schedule as `{"kind": "PolynomialDecay", "parameters": {…}}`.
    enum ScheduleRecord: Codable {
        case polynomialDecay(PolynomialDecay)
        case constantSparsity(ConstantSparsity)

        private enum CodingKeys: String, CodingKey { case kind, parameters }

        /// The record of `schedule`, or `nil` for a schedule type the format does not know.
        init?(_ schedule: any PruningSchedule) {
            switch schedule {
            case let schedule as PolynomialDecay: self = .polynomialDecay(schedule)
            case let schedule as ConstantSparsity: self = .constantSparsity(schedule)
            default: return nil
            }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            switch try container.decode(String.self, forKey: .kind) {
            case "PolynomialDecay": self = .polynomialDecay(try container.decode(PolynomialDecay.self, forKey: .parameters))
            case "ConstantSparsity": self = .constantSparsity(try container.decode(ConstantSparsity.self, forKey: .parameters))
            case let kind:
                throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "unknown pruning schedule \(kind)")
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .polynomialDecay(let schedule):
                try container.encode("PolynomialDecay", forKey: .kind)
                try container.encode(schedule, forKey: .parameters)
            case .constantSparsity(let schedule):
                try container.encode("ConstantSparsity", forKey: .kind)
                try container.encode(schedule, forKey: .parameters)
            }
        }

        var schedule: any PruningSchedule {
            switch self {
            case .polynomialDecay(let schedule): return schedule
            case .constantSparsity(let schedule): return schedule
            }
        }
    }

    /// ``PrunedLayer`` without its mask, which is the tensor `pruning/<name>/mask`.
    struct PrunedLayerRecord: Codable {
        var layerIndex: Int
        var name: String
        var threshold: Float
        var targetSparsity: Float
    }

    /// Where one tensor is and how it is stored: `byteCount` bytes at `offset` from the payload's
    /// start, in ``TensorEncoding`` `encoding`. Version 1 files have neither field: their tensors
    /// are float32, `4 · Π shape` bytes.
    struct TensorRecord: Codable {
        var name: String
        var shape: [Int]
        var offset: Int
        /// The layout of the bytes; `nil` (version 1) means ``TensorEncoding/float32``.
        var encoding: TensorEncoding?
        /// The bytes the tensor takes; `nil` (version 1) means `4 · Π shape`.
        var byteCount: Int?
        /// The values a sparse encoding stores (the bits set in its bitmap); `nil` for dense ones.
        var nonZeros: Int?
    }
}

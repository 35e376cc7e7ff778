import Foundation

/// A model as a model file holds it, with the training position it was saved at: what
/// ``ModelCheckpoint`` writes after every epoch and what a resumed run starts from.
///
///     let checkpoint = try Checkpoint(contentsOf: "run/model.prunekit")
///     var model = checkpoint.model
///     try model.fit(data, epochs: 30, initialEpoch: checkpoint.epochsCompleted ?? 0)
///
/// A file holds the whole ``Sequential``: each layer's type, hyperparameters and name, the input
/// shape and seed, the loss and metrics, the weights, optionally ``Adam``'s hyperparameters, step
/// count and moments, and the ``PruningState`` (policy, step, masks and thresholds). Layout
/// (``ModelFileEncoding``, format version 2): the magic `PRUNEKIT`, a `UInt32` format version, a
/// JSON header describing everything and locating each tensor, the tensors, and a CRC-32 of all of
/// it. A tensor is float32, or, when that is smaller, a bitmap of its non-zero elements plus their
/// values (pruned kernels; masks are bitmaps alone), or int8 with per-channel scales when saved
/// with ``ModelFileEncoding/sparseInt8``. Floats are written in their shortest round-tripping form
/// in the header and bit for bit in the payload, so every value reads back exactly; stored dense,
/// the article CNN's 431,242 weights make a file of about 1.7 MB (5.2 MB with Adam's moments).
///
/// Layers are stored when they are ``SavableLayer``s: PruneKit's own (``Conv2D``, ``MaxPool2D``,
/// ``Dropout``, ``Flatten``, ``Dense``) and custom ones, which are read back by naming their types
/// (`customLayers:`). Only the ``Adam`` optimizer and the ``PolynomialDecay`` and
/// ``ConstantSparsity`` schedules can be stored.
public struct Checkpoint: Sendable {
    /// The model, with its weights, compile settings and optimizer and pruning state.
    public var model: Sequential
    /// The epochs of `fit` finished when the model was saved (pass it as `fit`'s `initialEpoch` to
    /// resume), or `nil` for a model saved outside training with ``Sequential/save(to:includeOptimizer:encoding:)``.
    public var epochsCompleted: Int?

    /// Pairs a model with its training position.
    public init(model: Sequential, epochsCompleted: Int? = nil) {
        self.model = model
        self.epochsCompleted = epochsCompleted
    }

    /// Reads a model file.
    ///
    /// - Parameters:
    ///   - path: The model file.
    ///   - customLayers: The ``SavableLayer`` types of your own that the file may hold, beside
    ///     PruneKit's (Keras's `custom_objects`); one with a built-in type's key replaces it.
    /// - Throws: ``CheckpointError/missingFile(path:)``, ``CheckpointError/notAModelFile(path:)``,
    ///   ``CheckpointError/unknownLayerType(path:layer:type:)``,
    ///   ``CheckpointError/unsupportedVersion(path:found:supported:)``,
    ///   ``CheckpointError/truncated(path:expectedBytes:actualBytes:)``,
    ///   ``CheckpointError/checksumMismatch(path:stored:computed:)``,
    ///   ``CheckpointError/malformedHeader(path:detail:)`` or
    ///   ``CheckpointError/invalidTensorData(path:tensor:detail:)``.
    public init(contentsOf path: String, customLayers: [any SavableLayer.Type] = []) throws(CheckpointError) {
        guard FileAccess.isFile(path), let data = FileManager.default.contents(atPath: path) else {
            throw .missingFile(path: path)
        }
        let (headerBytes, payloadBytes) = try ModelFileFormat.decode(Array(data), path: path)
        let header: CheckpointHeader
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = Self.nonConformingFloats.decoding
            decoder.userInfo[LayerConfiguration.typesKey] = LayerTypes(custom: customLayers)
            header = try decoder.decode(CheckpointHeader.self, from: Data(headerBytes))
        } catch let error as DecodingError {
            throw .malformedHeader(path: path, detail: Self.describe(error))
        } catch {
            throw .malformedHeader(path: path, detail: "\(error)")
        }
        if let epochs = header.epochsCompleted, epochs < 0 {
            throw .malformedHeader(path: path, detail: "negative epochsCompleted \(epochs)")
        }
        let payload = try TensorPayload(records: header.tensors, bytes: payloadBytes, path: path)
        self.init(model: try Self.model(from: header, payload: payload, path: path), epochsCompleted: header.epochsCompleted)
    }

    /// Writes the model file atomically: into a new file in the same directory, renamed over `path`
    /// once complete, so a failed save leaves whatever was at `path` untouched.
    ///
    /// - Parameters:
    ///   - path: The file to create or replace.
    ///   - includeOptimizer: Whether to store the optimizer (hyperparameters, step count and
    ///     moments); without it the file is about a third of the size and the loaded model must be
    ///     compiled again before training.
    ///   - encoding: How tensors are stored: by default sparse where that is smaller, losslessly.
    /// - Throws: ``CheckpointError/unsupportedLayer(path:layer:type:)``,
    ///   ``CheckpointError/unsupportedOptimizer(path:type:)`` or
    ///   ``CheckpointError/unsupportedSchedule(path:type:)`` before anything is written;
    ///   ``CheckpointError/cannotWrite(path:detail:)`` when a kernel cannot be quantized to int8
    ///   or the file cannot be written.
    public func write(to path: String, includeOptimizer: Bool = true, encoding: ModelFileEncoding = .sparse) throws(CheckpointError) {
        let bytes = try encoded(includeOptimizer: includeOptimizer, encoding: encoding, path: path)
        do { try AtomicFile.write(bytes, to: path) } catch { throw .cannotWrite(path: error.path, detail: error.detail) }
    }

    /// The bytes of the model file; `path` is only used to name the file in errors.
    func encoded(includeOptimizer: Bool, encoding: ModelFileEncoding, path: String) throws(CheckpointError) -> [UInt8] {
        var int8Kernels: [Int: Int8Tensor] = [:]
        if encoding.kernelPrecision == .int8 {
            do { int8Kernels = Dictionary(uniqueKeysWithValues: try model.int8Kernels().map { ($0.layerIndex, $0.kernel) }) } catch {
                throw .cannotWrite(path: path, detail: error.description)
            }
        }
        var payload = TensorPayload()
        var layers: [CheckpointHeader.LayerRecord] = []
        for (layerIndex, (layer, name)) in zip(model.layers, model.layerNames).enumerated() {
            guard let savable = layer as? any SavableLayer else {
                throw .unsupportedLayer(path: path, layer: name, type: String(describing: type(of: layer)))
            }
            layers.append(.init(name: name, configuration: LayerConfiguration(savable)))
            for (parameterIndex, (parameter, parameterName)) in zip(layer.parameters, layer.parameterNames).enumerated() {
                if parameterIndex == layer.prunableParameterIndex, let kernel = int8Kernels[layerIndex] {
                    payload.append(kernel, name: "\(name)/\(parameterName)", compact: encoding.sparse)
                } else {
                    payload.append(parameter, name: "\(name)/\(parameterName)", compact: encoding.sparse)
                }
            }
        }

        var optimizer: CheckpointHeader.OptimizerRecord?
        if includeOptimizer, let current = model.optimizer {
            guard let adam = current as? Adam else {
                throw .unsupportedOptimizer(path: path, type: String(describing: type(of: current)))
            }
            optimizer = .adam(learningRate: adam.learningRate, beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon,
                              iterations: adam.iterations)
            let names = Self.parameters(of: model.layers, names: model.layerNames).map(\.name)
            for (moments, suffix) in [(adam.firstMoments, "m"), (adam.secondMoments, "v")] {
                for (moment, name) in zip(moments, names) { payload.append(moment, name: "optimizer/\(name)/\(suffix)", compact: encoding.sparse) }
            }
        }

        var pruning: CheckpointHeader.PruningRecord?
        if let state = model.pruning {
            guard let schedule = CheckpointHeader.ScheduleRecord(state.policy.schedule) else {
                throw .unsupportedSchedule(path: path, type: String(describing: type(of: state.policy.schedule)))
            }
            pruning = .init(schedule: schedule, layerNames: state.policy.layerNames, blockSparsity: state.policy.blockSparsity,
                            nmSparsity: state.policy.nmSparsity, scope: state.policy.scope, step: state.step,
                            lastUpdateStep: state.lastUpdateStep,
                            layers: state.layers.map { .init(layerIndex: $0.layerIndex, name: $0.name, threshold: $0.threshold,
                                                             targetSparsity: $0.targetSparsity) })
            for layer in state.layers { payload.append(layer.mask, name: "pruning/\(layer.name)/mask", compact: encoding.sparse) }
        }

        let header = CheckpointHeader(
            epochsCompleted: epochsCompleted,
            model: .init(seed: model.seed, inputShape: model.inputShape, layers: layers, loss: model.loss, metrics: model.metrics),
            optimizer: optimizer, pruning: pruning, tensors: payload.records)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = Self.nonConformingFloats.encoding
        do {
            return ModelFileFormat.encode(header: Array(try encoder.encode(header)), payload: payload.bytes)
        } catch {
            throw .cannotWrite(path: path, detail: "the header cannot be encoded: \(error)")
        }
    }

    /// Rebuilds the model a header and payload describe, checking that they fit together.
    private static func model(from header: CheckpointHeader, payload: TensorPayload, path: String) throws(CheckpointError) -> Sequential {
        func malformed(_ detail: String) -> CheckpointError { .malformedHeader(path: path, detail: detail) }
        let names = header.model.layers.map(\.name)
        guard Set(names).count == names.count else { throw malformed("repeated layer names in \(names)") }
        if let inputShape = header.model.inputShape, !inputShape.allSatisfy({ $0 > 0 }) {
            throw malformed("input shape \(inputShape) has a dimension below 1")
        }

        var layers: [any Layer] = []
        var activationShape = header.model.inputShape
        for record in header.model.layers {
            var layer: any Layer
            switch record.configuration.content {
            case .layer(let savable): layer = savable
            case .unknownType(let type): throw .unknownLayerType(path: path, layer: record.name, type: type)
            case .invalid(let reason): throw malformed("layer \(record.name) has invalid hyperparameters: \(reason)")
            }
            if let input = activationShape {
                do { activationShape = try layer.outputShape(for: input) } catch { throw malformed("layer \(record.name): \(error)") }
                let shapes = layer.parameterShapes(for: input)
                guard shapes.count == layer.parameterNames.count else {
                    throw malformed("layer \(record.name) (\(layer.typeName)) names \(layer.parameterNames.count) parameters "
                                    + "but gives \(shapes.count) parameter shapes")
                }
                var parameters: [Tensor] = []
                for (name, shape) in zip(layer.parameterNames, shapes) {
                    parameters.append(try payload.tensor("\(record.name)/\(name)", shape: shape, path: path))
                }
                layer.parameters = parameters
            }
            layers.append(layer)
        }

        var optimizer: (any Optimizer)?
        switch header.optimizer {
        case .adam(let learningRate, let beta1, let beta2, let epsilon, let iterations)?:
            guard iterations >= 0 else { throw malformed("negative optimizer iterations \(iterations)") }
            let parameters = Self.parameters(of: layers, names: names)
            var first: [Tensor] = [], second: [Tensor] = []
            // Moments exist once Adam has made an update; then there is one of each per parameter.
            if parameters.contains(where: { payload.contains("optimizer/\($0.name)/m") }) {
                for (name, shape) in parameters {
                    first.append(try payload.tensor("optimizer/\(name)/m", shape: shape, path: path))
                    second.append(try payload.tensor("optimizer/\(name)/v", shape: shape, path: path))
                }
            }
            optimizer = Adam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, iterations: iterations,
                             firstMoments: first, secondMoments: second)
        case nil:
            optimizer = nil
        }

        var pruning: PruningState?
        if let record = header.pruning {
            guard header.model.inputShape != nil else { throw malformed("pruning state for a model without weights") }
            guard record.step >= 0 else { throw malformed("negative pruning step \(record.step)") }
            var pruned: [PrunedLayer] = []
            for layer in record.layers {
                guard layers.indices.contains(layer.layerIndex), names[layer.layerIndex] == layer.name,
                      let kernel = layers[layer.layerIndex].prunableParameterIndex,
                      layers[layer.layerIndex].parameters.indices.contains(kernel) else {
                    throw malformed("pruned layer \(layer.name) (index \(layer.layerIndex)) is not a layer with a prunable parameter")
                }
                let shape = layers[layer.layerIndex].parameters[kernel].shape
                pruned.append(PrunedLayer(layerIndex: layer.layerIndex, name: layer.name,
                                          mask: try payload.tensor("pruning/\(layer.name)/mask", shape: shape, path: path),
                                          threshold: layer.threshold, targetSparsity: layer.targetSparsity))
            }
            let policy: PruningPolicy
            do {
                policy = try PruningPolicy(schedule: record.schedule.schedule, layerNames: record.layerNames,
                                           blockSparsity: record.blockSparsity, nmSparsity: record.nmSparsity, scope: record.scope)
            } catch { throw malformed("pruning policy: \(error)") }
            pruning = PruningState(policy: policy, step: record.step, layers: pruned, lastUpdateStep: record.lastUpdateStep)
        }

        return Sequential(layers: layers, layerNames: names, seed: header.model.seed, inputShape: header.model.inputShape,
                          loss: header.model.loss, metrics: header.model.metrics, optimizer: optimizer, pruning: pruning)
    }

    /// Every parameter of `layers` as `<layer>/<parameter>` with its shape, in the order the
    /// optimizer sees them (layer by layer, in ``Layer/parameters`` order).
    private static func parameters(of layers: [any Layer], names: [String]) -> [(name: String, shape: [Int])] {
        zip(layers, names).flatMap { layer, name in
            zip(layer.parameterNames, layer.parameters).map { ("\(name)/\($0)", $1.shape) }
        }
    }

    /// How NaN and infinite thresholds and hyperparameters are spelled in the header.
    private static var nonConformingFloats: (encoding: JSONEncoder.NonConformingFloatEncodingStrategy,
                                              decoding: JSONDecoder.NonConformingFloatDecodingStrategy) {
        (.convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan"),
         .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan"))
    }

    /// Where in the header decoding failed, and why.
    private static func describe(_ error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c): context = c
        @unknown default: return "\(error)"
        }
        let location = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return (location.isEmpty ? "" : "at \(location): ") + context.debugDescription
    }
}

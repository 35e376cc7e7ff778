import Foundation
import Testing
@testable import PruneKit

/// A layer of the user's own: `output[i] = factor · gain[i] · input[i]` with a trainable, prunable
/// `gain` (named so, not "kernel": prunability is declared, not guessed from a name).
struct Scale: SavableLayer {
    struct Configuration: Codable, Equatable, Sendable { var factor: Float }
    static let configurationKey = "scale"
    let factor: Float
    var parameters: [Tensor] = []

    init(factor: Float) { self.factor = factor }
    init(configuration: Configuration) throws(ModelError) {
        guard configuration.factor > 0 else {
            throw .invalidConfiguration(layer: "Scale", reason: "factor \(configuration.factor) is not above 0")
        }
        self.init(factor: configuration.factor)
    }

    var configuration: Configuration { Configuration(factor: factor) }
    var typeName: String { "Scale" }
    var namePrefix: String { "scale" }
    var parameterNames: [String] { ["gain"] }
    var prunableParameterIndex: Int? { 0 }
    func parameterShapes(for inputShape: [Int]) -> [[Int]] { [inputShape] }
    func outputShape(for inputShape: [Int]) throws(ModelError) -> [Int] { inputShape }
    mutating func build(inputShape: [Int], generator: inout SplitMix64) {
        let count = inputShape.reduce(1, *)
        parameters = [Tensor(shape: inputShape, scalars: (0 ..< count).map { Float($0 + 1) / Float(count) })]
    }
    func forward(_ pass: ForwardPass) {
        let width = pass.inputShape.reduce(1, *)
        for i in pass.output.indices { pass.output[i] = factor * parameters[0].scalars[i % width] * pass.input[i] }
    }
    func backward(_ pass: BackwardPass) {
        let width = pass.inputShape.reduce(1, *)
        for i in 0 ..< width { pass.parameterGradients[0][i] = 0 }
        for i in pass.outputGradient.indices {
            pass.parameterGradients[0][i % width] += factor * pass.input[i] * pass.outputGradient[i]
            pass.inputGradient?[i] = factor * parameters[0].scalars[i % width] * pass.outputGradient[i]
        }
    }
}

/// A layer whose `build` disagrees with the shapes it declares.
private struct Inconsistent: Layer {
    var typeName: String { "Inconsistent" }
    var namePrefix: String { "inconsistent" }
    var parameters: [Tensor] = []
    var parameterNames: [String] { ["w"] }
    func parameterShapes(for inputShape: [Int]) -> [[Int]] { [[2]] }
    func outputShape(for inputShape: [Int]) throws(ModelError) -> [Int] { inputShape }
    mutating func build(inputShape: [Int], generator: inout SplitMix64) { parameters = [Tensor(zeros: [3])] }
    func forward(_ pass: ForwardPass) {}
    func backward(_ pass: BackwardPass) {}
}

@Suite struct SavableLayerTests {
    /// The header JSON of a model file.
    private func header(of path: String) throws -> String {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        return String(decoding: try ModelFileFormat.decode(bytes, path: path).header, as: UTF8.self)
    }

    @Test func builtInLayersKeepTheFileFormat() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("model.prunekit")
        try smallCNN().save(to: path)
        // Exactly the layer records format version 1 has always had (Swift's synthesised enum coding).
        #expect(try header(of: path).contains("""
            "layers":[{"configuration":{"conv2D":{"activation":"relu","filters":4,"kernelSize":[3,3]}},"name":"conv2d"},\
            {"configuration":{"maxPool2D":{"poolSize":[2,2]}},"name":"max_pooling2d"},\
            {"configuration":{"dropout":{"rate":0.1}},"name":"dropout"},\
            {"configuration":{"flatten":{}},"name":"flatten"},\
            {"configuration":{"dense":{"activation":"softmax","units":4}},"name":"dense"}]
            """))
    }

    @Test func aFileWrittenBeforeLayersDescribedThemselvesStillLoads() throws {
        // A header as the enum-based writer made it, for an unbuilt model.
        let json = """
            {"model":{"layers":[{"configuration":{"conv2D":{"activation":"relu","filters":2,"kernelSize":[3,2]}},"name":"conv2d"},\
            {"configuration":{"maxPool2D":{"poolSize":[2,2]}},"name":"max_pooling2d"},{"configuration":{"dropout":{"rate":0.25}},\
            "name":"dropout"},{"configuration":{"flatten":{}},"name":"flatten"},{"configuration":{"dense":{"activation":"softmax",\
            "units":3}},"name":"dense"}],"metrics":[],"seed":7},"tensors":[]}
            """
        let directory = try TemporaryDirectory()
        let path = try directory.write(ModelFileFormat.encode(header: Array(json.utf8), payload: []), to: "old.prunekit")
        let model = try Sequential.load(from: path)
        #expect(model.layerNames == ["conv2d", "max_pooling2d", "dropout", "flatten", "dense"])
        #expect(model.layers.compactMap { ($0 as? any SavableLayer)?.configurationDescription } == [
            "Conv2D(filters: 2, kernelSize: [3, 2], activation: relu)", "MaxPool2D(poolSize: [2, 2])", "Dropout(0.25)", "Flatten()",
            "Dense(3, activation: softmax)"])
    }

    @Test func aCustomLayerIsSavedLoadedAndPruned() throws {
        var model = try Sequential(inputShape: [12, 12, 1], seed: 3) {
            Scale(factor: 2)
            Flatten()
            Dense(4, activation: .softmax)
        }
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam(learningRate: 0.01))
        model = try model.pruned(with: try ConstantSparsity(targetSparsity: 0.5, beginStep: 0, frequency: 1))
        #expect(model.pruning?.layers.map(\.name) == ["scale", "dense"], "the declared prunable gain is pruned")
        try model.fit(try quadrantDataset(count: 10, seed: 1), batchSize: 10, epochs: 1, verbose: false)
        #expect(model.layers[0].parameters[0].zeroFraction == 0.5)

        let directory = try TemporaryDirectory()
        let path = directory.path("custom.prunekit")
        try model.save(to: path)
        #expect(try header(of: path).contains(#"{"configuration":{"scale":{"factor":2}},"name":"scale"}"#))
        let loaded = try Sequential.load(from: path, customLayers: [Scale.self])
        #expect((loaded.layers[0] as? Scale)?.factor == 2)
        #expect(loaded.layers.map(\.parameters) == model.layers.map(\.parameters))
        #expect(loaded.pruning?.layers == model.pruning?.layers)

        var reloaded = model
        try reloaded.loadWeights(from: path, customLayers: [Scale.self])
        #expect(reloaded.layers.map(\.parameters) == model.layers.map(\.parameters))

        #expect(throws: CheckpointError.unknownLayerType(path: path, layer: "scale", type: "scale")) {
            try Sequential.load(from: path)
        }
    }

    @Test func invalidCustomHyperparametersInAFileNameTheLayer() throws {
        let model = Sequential { Scale(factor: -1) }
        let directory = try TemporaryDirectory()
        let path = directory.path("bad.prunekit")
        try model.save(to: path)
        #expect(throws: CheckpointError.malformedHeader(path: path, detail: "layer scale has invalid hyperparameters: factor -1.0 is not above 0")) {
            try Sequential.load(from: path, customLayers: [Scale.self])
        }
        // Built-in layers check theirs too, rather than trapping in their initialisers.
        #expect(throws: ModelError.invalidConfiguration(layer: "Dense", reason: "units 0 is below 1")) {
            try Dense(configuration: .init(units: 0, activation: .linear))
        }
        #expect(throws: ModelError.invalidConfiguration(layer: "Dropout", reason: "rate 1.0 is outside [0, 1)")) {
            try Dropout(configuration: .init(rate: 1))
        }
    }

    @Test func buildChecksThatALayerMakesTheShapesItDeclares() {
        var model = Sequential { Inconsistent() }
        #expect(throws: ModelError.parameterMismatch(layer: "inconsistent",
                                                     detail: "build made shapes [[3]] for 1 names [\"w\"], but parameterShapes(for: [4]) gives [[2]]")) {
            try model.build(inputShape: [4])
        }
        #expect(!model.isBuilt)
    }
}

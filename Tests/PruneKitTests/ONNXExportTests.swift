import Foundation
import SwiftProtobuf
import Testing
@testable import PruneKit
@testable import PruneKitONNX

/// onnxruntime in the `python3` on the `PATH`.
enum ONNXRuntimePython {
    /// Whether CI demands the check (`PRUNEKIT_REQUIRE_ONNXRUNTIME=1`), making a missing module a failure.
    static let isRequired = ProcessInfo.processInfo.environment["PRUNEKIT_REQUIRE_ONNXRUNTIME"] == "1"
    /// Whether `python3` can import onnxruntime and numpy.
    static let isAvailable = Python.canImport("onnxruntime, numpy")

    /// The `output` onnxruntime computes with the model at `model` for `data`'s images; with
    /// `fusingQDQ` false, without the fusion of `DequantizeLinear` into integer kernels.
    static func predict(model: String, data: Dataset, fusingQDQ: Bool = true, in directory: TemporaryDirectory) throws -> [Float] {
        let script = try #require(Bundle.module.path(forResource: "onnxruntime_predict", ofType: "py", inDirectory: "Resources"))
        var bytes: [UInt8] = []
        for value in data.images.scalars { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        let images = try directory.write(bytes, to: "images.f32"), output = directory.path("output.f32")
        let shape = data.imageShape.map(String.init)
        let result = try Python.run([script, model, images, "\(data.count)"] + shape + [output] + (fusingQDQ ? [] : ["--no-qdq-fusion"]))
        try #require(result.status == 0, "onnxruntime failed: \(result.messages)")
        let raw = [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
        return stride(from: 0, to: raw.count, by: 4).map { offset in
            Float(bitPattern: raw[offset ..< offset + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) })
        }
    }
}

/// The index of the largest value of each row of `width` values.
private func argmax(_ values: [Float], width: Int) -> [Int] {
    stride(from: 0, to: values.count, by: width).map { start in
        (start ..< start + width).max { values[$0] < values[$1] }! - start
    }
}

@Suite struct ONNXExportTests {
    /// The article CNN (seed 3) trained for one epoch on the bundled sample, then every kernel
    /// pruned to 87.5% by magnitude: a model with confident, sparse predictions.
    private func trainedPrunedArticleCNN() throws -> (model: Sequential, mnist: MNIST) {
        let mnist = try MNIST.load()
        var model = try Sequential.articleCNN(seed: 3)
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
        try model.fit(mnist.train, batchSize: 250, epochs: 1, seed: 3, verbose: false)
        return (try magnitudePruned(model, sparsity: 0.875), mnist)
    }

    @Test func graphKeepsKerasNamesAndLayouts() throws {
        let model = try magnitudePruned(try Sequential.articleCNN(seed: 11), sparsity: 0.5)
        let onnx = try Onnx_ModelProto(serializedBytes: try model.onnxModel())
        #expect(onnx.irVersion == 7 && onnx.opsetImport.map(\.version) == [13] && onnx.producerName == "PruneKit")
        let graph = onnx.graph
        #expect(graph.node.map(\.opType) == ["Transpose", "Conv", "Relu", "MaxPool", "Identity", "Conv", "Relu", "MaxPool",
                                             "Identity", "Transpose", "Flatten", "Gemm", "Relu", "Gemm", "Softmax", "Identity"])
        #expect(graph.node.map(\.name) == ["conv2d/to_channels_first", "conv2d", "conv2d/relu", "max_pooling2d", "dropout",
                                           "conv2d_1", "conv2d_1/relu", "max_pooling2d_1", "dropout_1", "flatten/to_channels_last",
                                           "flatten", "dense", "dense/relu", "dense_1", "dense_1/softmax", "output"])
        #expect(graph.input.map(\.name) == ["input"] && graph.output.map(\.name) == ["output"])
        #expect(graph.input[0].type.tensorType.shape.dim.map(\.dimParam) == ["N", "", "", ""])
        #expect(graph.input[0].type.tensorType.shape.dim.dropFirst().map(\.dimValue) == [28, 28, 1])
        #expect(graph.output[0].type.tensorType.shape.dim.dropFirst().map(\.dimValue) == [10])
        let initializers = Dictionary(uniqueKeysWithValues: graph.initializer.map { ($0.name, $0) })
        #expect(initializers.keys.sorted() == ["conv2d/bias", "conv2d/kernel", "conv2d_1/bias", "conv2d_1/kernel",
                                               "dense/bias", "dense/kernel", "dense_1/bias", "dense_1/kernel"])
        #expect(initializers["conv2d_1/kernel"]?.dims == [64, 32, 3, 3])
        #expect(initializers["dense/kernel"]?.dims == [1600, 256])

        // ONNX's [f, c, i, j] is Keras's [i, j, c, f]: kernel[1, 2, 5, 7] sits at ((7·32 + 5)·3 + 1)·3 + 2.
        let kernel = model.layers[3].parameters[0]
        let stored = try #require(initializers["conv2d_1/kernel"]).rawData
        func float(_ data: Data, _ index: Int) -> Float {
            Float(bitPattern: data[data.startIndex + 4 * index ..< data.startIndex + 4 * index + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) })
        }
        #expect(float(stored, ((7 * 32 + 5) * 3 + 1) * 3 + 2).bitPattern == kernel.scalars[((1 * 3 + 2) * 32 + 5) * 64 + 7].bitPattern)
        #expect(ONNXGraphBuilder.permutation(shape: [2, 3], to: [1, 0]) == [0, 3, 1, 4, 2, 5])

        let dir = try TemporaryDirectory()
        try model.exportONNX(to: dir.path("model.onnx"))
        let summary = try ONNXModelSummary(contentsOf: dir.path("model.onnx"))
        #expect(summary.opset == 13 && summary.nodes.map(\.name) == graph.node.map(\.name))
        #expect(summary.storedValues == model.parameterCount)
    }

    @Test func int8GraphDequantizesPerOutputChannel() throws {
        let model = try magnitudePruned(try Sequential.articleCNN(seed: 11), sparsity: 0.5)
        let graph = try Onnx_ModelProto(serializedBytes: try model.onnxModel(kernelPrecision: .int8)).graph
        let dequantize = graph.node.filter { $0.opType == "DequantizeLinear" }
        #expect(dequantize.map(\.name) == ["conv2d/kernel_dequantize", "conv2d_1/kernel_dequantize", "dense/kernel_dequantize",
                                           "dense_1/kernel_dequantize"])
        #expect(dequantize.map { $0.attribute.first { $0.name == "axis" }?.i } == [0, 0, 1, 1])
        #expect(dequantize.map { $0.output } == [["conv2d/kernel"], ["conv2d_1/kernel"], ["dense/kernel"], ["dense_1/kernel"]])
        let initializers = Dictionary(uniqueKeysWithValues: graph.initializer.map { ($0.name, $0) })
        let int8 = Int32(Onnx_TensorProto.DataType.int8.rawValue)
        #expect(initializers["dense/kernel_quantized"]?.dataType == int8 && initializers["dense/kernel_quantized"]?.dims == [1600, 256])
        #expect(initializers["dense/kernel_zero_point"]?.rawData == Data(count: 256))
        let kernels = try model.int8Kernels()
        #expect(initializers["dense/kernel_quantized"]?.rawData == Data(kernels[2].kernel.values.map { UInt8(bitPattern: $0) }))
        var scales: [UInt8] = []
        for scale in kernels[2].kernel.scales { withUnsafeBytes(of: scale.bitPattern.littleEndian) { scales += $0 } }
        #expect(initializers["dense/kernel_scale"]?.rawData == Data(scales))
        #expect(initializers["dense/kernel"] == nil)
    }

    @Test func exportErrorsNameTheProblem() throws {
        #expect(throws: ONNXExportError.notBuilt) { try smallCNN().onnxModel() }
        var broken = try magnitudePruned(try Sequential.articleCNN(seed: 1), sparsity: 0.5)
        var parameters = broken.layers[0].parameters
        parameters[0].scalars[0] = .infinity
        broken.layers[0].parameters = parameters
        let quantizeError = #expect(throws: ONNXExportError.self) { try broken.onnxModel(kernelPrecision: .int8) }
        #expect(quantizeError?.description.contains("conv2d/kernel") == true)
        #expect((try? broken.onnxModel()) != nil)
        let dir = try TemporaryDirectory()
        let path = dir.path("missing/model.onnx")
        let error = #expect(throws: ONNXExportError.self) { try broken.exportONNX(to: path) }
        guard case .cannotWrite(path, _)? = error else {
            Issue.record("writing into a missing directory: \(String(describing: error))")
            return
        }
        #expect(!FileManager.default.fileExists(atPath: path))

        let text = try dir.write(Array("not protobuf \u{1}\u{2}".utf8), to: "text.onnx")
        guard case .unreadableFile(text, _)? = #expect(throws: ONNXExportError.self, performing: { try ONNXModelSummary(contentsOf: text) }) else {
            Issue.record("a text file read as ONNX")
            return
        }
        #expect(throws: ONNXExportError.unreadableFile(path: dir.path("none.onnx"), detail: "file not found or not readable")) {
            try ONNXModelSummary(contentsOf: dir.path("none.onnx"))
        }
    }

    /// onnxruntime runs the exported models on the sample's 1,000 test images: float32 within
    /// 1e-5 of PruneKit's probabilities with the same predicted classes; int8 agreeing with
    /// PruneKit's int8 model on at least 99.9% of the classes (within 1e-5 too) as written, and on
    /// 99% with onnxruntime's integer-kernel fusion.
    @Test(.enabled(if: ONNXRuntimePython.isAvailable || ONNXRuntimePython.isRequired,
                   "python3 cannot import onnxruntime; set PRUNEKIT_REQUIRE_ONNXRUNTIME=1 to fail instead"))
    func onnxruntimeAgreesWithPruneKit() throws {
        guard ONNXRuntimePython.isAvailable else {
            Issue.record("PRUNEKIT_REQUIRE_ONNXRUNTIME=1 but python3 cannot import onnxruntime (pip install onnxruntime)")
            return
        }
        let (model, mnist) = try trainedPrunedArticleCNN()
        let test = mnist.test.slice(0 ..< min(1_000, mnist.test.count))
        #expect(test.count == 1_000)
        let dir = try TemporaryDirectory()

        try model.exportONNX(to: dir.path("model.onnx"))
        let expected = try model.predict(test).scalars
        let actual = try ONNXRuntimePython.predict(model: dir.path("model.onnx"), data: test, in: dir)
        #expect(actual.count == expected.count)
        let largest = zip(actual, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(largest <= 1e-5, "max |Δ| = \(largest)")
        #expect(argmax(actual, width: 10) == argmax(expected, width: 10))

        try model.exportONNX(to: dir.path("int8.onnx"), kernelPrecision: .int8)
        let int8Expected = try model.quantizedToInt8().predict(test).scalars
        func agreement(fusingQDQ: Bool) throws -> (fraction: Double, largest: Float) {
            let actual = try ONNXRuntimePython.predict(model: dir.path("int8.onnx"), data: test, fusingQDQ: fusingQDQ, in: dir)
            let agreeing = zip(argmax(actual, width: 10), argmax(int8Expected, width: 10)).filter { $0 == $1 }.count
            return (Double(agreeing) / Double(test.count), zip(actual, int8Expected).map { abs($0 - $1) }.max() ?? .infinity)
        }
        // The graph as written: the int8 weights dequantized, then float32 all the way.
        let exact = try agreement(fusingQDQ: false)
        #expect(exact.fraction >= 0.999 && exact.largest <= 1e-5, "\(exact)")
        // onnxruntime's default session fuses DequantizeLinear into integer Conv/Gemm kernels that
        // also quantize the activations: another computation, close to but not the same as ours.
        let fused = try agreement(fusingQDQ: true)
        #expect(fused.fraction >= 0.99, "\(fused)")
        // The int8 model is a different model: it must not be the float32 one.
        #expect(int8Expected != expected)
    }
}

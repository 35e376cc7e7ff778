import Foundation
import PruneKit
import SwiftProtobuf

/// Translates a ``Sequential`` into an ONNX graph, layer by layer (see
/// ``Sequential/onnxModel(kernelPrecision:)`` for the graph's shape and names).
struct ONNXGraphBuilder {
    private var graph = Onnx_GraphProto()
    /// The name of the value the next node reads.
    private var current = "input"
    /// Whether `current` is channels-first `[N, C, H, W]` (between the first `Conv`/`MaxPool`
    /// and `Flatten`) rather than PruneKit's channels-last layout.
    private var channelsFirst = false

    /// Builds the graph of `model` with its pruning stripped.
    init(model: Sequential, kernelPrecision: ModelFileEncoding.KernelPrecision) throws(ONNXExportError) {
        guard let inputShape = model.inputShape, let outputShape = model.outputShape else { throw .notBuilt }
        let model = model.strippingPruning()
        var int8Kernels: [Int: Int8Tensor] = [:]
        if kernelPrecision == .int8 {
            do { int8Kernels = Dictionary(uniqueKeysWithValues: try model.int8Kernels().map { ($0.layerIndex, $0.kernel) }) } catch {
                throw .cannotQuantize(detail: error.description)
            }
        }
        graph.name = "prunekit"
        graph.input = [Self.valueInfo("input", shape: inputShape)]
        for (index, (layer, name)) in zip(model.layers, model.layerNames).enumerated() {
            switch layer {
            case let conv as Conv2D:
                toChannelsFirst(name)
                let (kh, kw) = conv.kernelSize
                let kernel = conv.parameters[0], channels = kernel.shape[2]
                // [kh, kw, c, f] → [f, c, kh, kw], ONNX's Conv weight layout.
                let order = Self.permutation(shape: [kh, kw, channels, conv.filters], to: [3, 2, 0, 1])
                let weight = try addKernel(name, float: kernel, int8: int8Kernels[index], order: order,
                                           shape: [conv.filters, channels, kh, kw], channelAxis: 0)
                addInitializer(Self.floatTensor("\(name)/bias", conv.parameters[1].scalars, shape: [conv.filters]))
                addNode("Conv", name: name, inputs: [current, weight, "\(name)/bias"],
                        attributes: [Self.ints("kernel_shape", [kh, kw])])
                addActivation(conv.activation, of: name)
            case let pool as MaxPool2D:
                toChannelsFirst(name)
                let size = [pool.poolSize.height, pool.poolSize.width]
                addNode("MaxPool", name: name, inputs: [current], attributes: [Self.ints("kernel_shape", size), Self.ints("strides", size)])
            case is Dropout:
                addNode("Identity", name: name, inputs: [current])
            case is Flatten:
                toChannelsLast(name)
                addNode("Flatten", name: name, inputs: [current], attributes: [Self.int("axis", 1)])
            case let dense as Dense:
                toChannelsLast(name)
                let kernel = dense.parameters[0]
                let weight = try addKernel(name, float: kernel, int8: int8Kernels[index], order: Array(0 ..< kernel.count),
                                           shape: kernel.shape, channelAxis: 1)
                addInitializer(Self.floatTensor("\(name)/bias", dense.parameters[1].scalars, shape: [dense.units]))
                addNode("Gemm", name: name, inputs: [current, weight, "\(name)/bias"])
                addActivation(dense.activation, of: name)
            default:
                throw .unsupportedLayer(layer: name, type: layer.typeName)
            }
        }
        toChannelsLast("output")
        addNode("Identity", name: "output", inputs: [current])
        graph.output = [Self.valueInfo("output", shape: outputShape)]
    }

    /// The serialized `ModelProto` holding the graph.
    func serializedModel() throws(ONNXExportError) -> [UInt8] {
        let model = Onnx_ModelProto.with {
            $0.irVersion = 7
            $0.opsetImport = [Onnx_OperatorSetIdProto.with { $0.domain = ""; $0.version = Sequential.onnxOpset }]
            $0.producerName = "PruneKit"
            $0.graph = graph
        }
        do { return try model.serializedBytes() } catch { throw .serializationFailed(detail: "\(error)") }
    }

    // MARK: - Nodes

    /// Adds a node whose output is named after the node, and makes it the current value.
    private mutating func addNode(_ type: String, name: String, inputs: [String], attributes: [Onnx_AttributeProto] = []) {
        graph.node.append(Onnx_NodeProto.with {
            $0.opType = type
            $0.name = name
            $0.input = inputs
            $0.output = [name]
            $0.attribute = attributes
        })
        current = name
    }

    private mutating func addActivation(_ activation: Activation, of layer: String) {
        switch activation {
        case .linear: return
        case .relu: addNode("Relu", name: "\(layer)/relu", inputs: [current])
        // Keras's softmax runs over the last axis, the channels: axis 1 when channels-first.
        case .softmax: addNode("Softmax", name: "\(layer)/softmax", inputs: [current], attributes: [Self.int("axis", channelsFirst ? 1 : -1)])
        }
    }

    private mutating func toChannelsFirst(_ layer: String) {
        guard !channelsFirst else { return }
        addNode("Transpose", name: "\(layer)/to_channels_first", inputs: [current], attributes: [Self.ints("perm", [0, 3, 1, 2])])
        channelsFirst = true
    }

    private mutating func toChannelsLast(_ layer: String) {
        guard channelsFirst else { return }
        addNode("Transpose", name: "\(layer)/to_channels_last", inputs: [current], attributes: [Self.ints("perm", [0, 2, 3, 1])])
        channelsFirst = false
    }

    /// Adds a layer's kernel, its values taken in `order` to give `shape`: float32 as
    /// `<layer>/kernel`, or int8 with scales and a `DequantizeLinear` along `channelAxis`, whose
    /// output is `<layer>/kernel`. Returns the name of the kernel value.
    private mutating func addKernel(_ layer: String, float: Tensor, int8: Int8Tensor?, order: [Int],
                                    shape: [Int], channelAxis: Int) throws(ONNXExportError) -> String {
        let name = "\(layer)/kernel"
        guard let int8 else {
            addInitializer(Self.floatTensor(name, order.map { float.scalars[$0] }, shape: shape))
            return name
        }
        addInitializer(Self.tensor("\(layer)/kernel_quantized", type: .int8, shape: shape, bytes: order.map { UInt8(bitPattern: int8.values[$0]) }))
        addInitializer(Self.floatTensor("\(layer)/kernel_scale", int8.scales, shape: [int8.scales.count]))
        addInitializer(Self.tensor("\(layer)/kernel_zero_point", type: .int8, shape: [int8.scales.count],
                                   bytes: [UInt8](repeating: 0, count: int8.scales.count)))
        graph.node.append(Onnx_NodeProto.with {
            $0.opType = "DequantizeLinear"
            $0.name = "\(layer)/kernel_dequantize"
            $0.input = ["\(layer)/kernel_quantized", "\(layer)/kernel_scale", "\(layer)/kernel_zero_point"]
            $0.output = [name]
            $0.attribute = [Self.int("axis", channelAxis)]
        })
        return name
    }

    private mutating func addInitializer(_ tensor: Onnx_TensorProto) { graph.initializer.append(tensor) }

    // MARK: - Messages

    /// The source index of each element of a tensor of `shape` with its axes reordered by
    /// `axes` (output axis `k` is input axis `axes[k]`), in the output's row-major order.
    static func permutation(shape: [Int], to axes: [Int]) -> [Int] {
        let strides = shape.indices.map { shape[($0 + 1)...].reduce(1, *) }
        let outputShape = axes.map { shape[$0] }
        var order: [Int] = []
        order.reserveCapacity(shape.reduce(1, *))
        var position = [Int](repeating: 0, count: shape.count)
        for _ in 0 ..< shape.reduce(1, *) {
            order.append(zip(axes, position).reduce(0) { $0 + strides[$1.0] * $1.1 })
            var axis = shape.count - 1
            while axis >= 0 {
                position[axis] += 1
                if position[axis] < outputShape[axis] { break }
                position[axis] = 0
                axis -= 1
            }
        }
        return order
    }

    static func floatTensor(_ name: String, _ values: [Float], shape: [Int]) -> Onnx_TensorProto {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(4 * values.count)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        return tensor(name, type: .float, shape: shape, bytes: bytes)
    }

    static func tensor(_ name: String, type: Onnx_TensorProto.DataType, shape: [Int], bytes: [UInt8]) -> Onnx_TensorProto {
        Onnx_TensorProto.with {
            $0.name = name
            $0.dataType = Int32(type.rawValue)
            $0.dims = shape.map(Int64.init)
            $0.rawData = Data(bytes)
        }
    }

    /// A float32 tensor value of `shape` per sample, with a free batch dimension `N` in front.
    static func valueInfo(_ name: String, shape: [Int]) -> Onnx_ValueInfoProto {
        Onnx_ValueInfoProto.with {
            $0.name = name
            $0.type = Onnx_TypeProto.with {
                $0.tensorType = Onnx_TypeProto.Tensor.with {
                    $0.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
                    $0.shape = Onnx_TensorShapeProto.with {
                        $0.dim = [Onnx_TensorShapeProto.Dimension.with { $0.dimParam = "N" }]
                            + shape.map { size in Onnx_TensorShapeProto.Dimension.with { $0.dimValue = Int64(size) } }
                    }
                }
            }
        }
    }

    static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        Onnx_AttributeProto.with { $0.name = name; $0.type = .int; $0.i = Int64(value) }
    }

    static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        Onnx_AttributeProto.with { $0.name = name; $0.type = .ints; $0.ints = values.map(Int64.init) }
    }
}

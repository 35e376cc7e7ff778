import PruneKit

/// Why a model could not be exported to ONNX, or an ONNX file read back. Every case names the model part or file at fault.
public enum ONNXExportError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model has no weights yet (it was never built or trained).
    case notBuilt
    /// A layer of a type the exporter does not translate.
    case unsupportedLayer(layer: String, type: String)
    /// A kernel cannot be quantized to int8 (it holds an infinite or NaN weight).
    case cannotQuantize(detail: String)
    /// swift-protobuf could not serialize the model.
    case serializationFailed(detail: String)
    /// An ONNX file could not be read back.
    case unreadableFile(path: String, detail: String)
    /// The file could not be written (its directory is missing or not writable, the disk is full…).
    case cannotWrite(path: String, detail: String)

    public var description: String {
        switch self {
        case .notBuilt:
            return "cannot export to ONNX: the model has no weights yet (build or train it first)"
        case .unsupportedLayer(let layer, let type):
            return "cannot export layer \(layer) of type \(type) to ONNX: only Conv2D, MaxPool2D, Dropout, Flatten and Dense are"
        case .cannotQuantize(let detail):
            return "cannot export int8 weights: \(detail)"
        case .serializationFailed(let detail):
            return "cannot serialize the ONNX model: \(detail)"
        case .unreadableFile(let path, let detail):
            return "\(path): cannot read ONNX model: \(detail)"
        case .cannotWrite(let path, let detail):
            return "\(path): cannot write ONNX model: \(detail)"
        }
    }
}

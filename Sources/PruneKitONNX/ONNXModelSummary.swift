import Foundation
import PruneKit
import SwiftProtobuf

/// What an ONNX file holds, read back with swift-protobuf: its opset, nodes and initializers, to
/// check an export without an ONNX runtime.
public struct ONNXModelSummary: Sendable, Equatable {
    /// One node: its name and operator.
    public struct Node: Sendable, Equatable {
        public var name: String
        public var opType: String
    }

    /// The default-domain opset the model imports.
    public var opset: Int64?
    /// The nodes, in graph order.
    public var nodes: [Node]
    /// Each initializer's name and element count.
    public var initializers: [(name: String, count: Int)]
    /// The values of every initializer, as stored (int8 values count once, scales and zero points too).
    public var storedValues: Int { initializers.reduce(0) { $0 + $1.count } }

    /// Reads the ONNX model at `path`.
    ///
    /// - Throws: ``ONNXExportError/unreadableFile(path:detail:)`` when the file is missing or not
    ///   an ONNX model.
    public init(contentsOf path: String) throws(ONNXExportError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableFile(path: path, detail: "file not found or not readable")
        }
        let model: Onnx_ModelProto
        do { model = try Onnx_ModelProto(serializedBytes: data) } catch {
            throw .unreadableFile(path: path, detail: "not an ONNX model: \(error)")
        }
        opset = model.opsetImport.first { $0.domain.isEmpty }?.version
        nodes = model.graph.node.map { Node(name: $0.name, opType: $0.opType) }
        initializers = model.graph.initializer.map { ($0.name, Int($0.dims.reduce(1, *))) }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.opset == rhs.opset && lhs.nodes == rhs.nodes
            && lhs.initializers.map(\.name) == rhs.initializers.map(\.name) && lhs.initializers.map(\.count) == rhs.initializers.map(\.count)
    }
}

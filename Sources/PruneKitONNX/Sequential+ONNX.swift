import Foundation
import PruneKit

extension Sequential {
    /// The ONNX opset the exporter targets (per-axis `DequantizeLinear` and `Softmax` over the
    /// last axis need 13).
    public static let onnxOpset: Int64 = 13

    /// This model as an ONNX model (opset 13, IR version 7): the serialized `ModelProto` bytes.
    ///
    /// The graph takes `input`, a float32 batch in PruneKit's and Keras's channels-last layout
    /// `[N, height, width, channels]` (`N` free), and gives `output`, the last layer's outputs
    /// `[N, …]`. Pruning is stripped first (masks baked in); every node and initializer is named
    /// after its Keras layer (`conv2d`, `conv2d/kernel`, `dense_1/softmax`, …). ONNX's `Conv` and
    /// `MaxPool` work channels-first, so the image is transposed to `[N, C, H, W]` before the first
    /// of them, kernels are stored `[filters, channels, kh, kw]`, and the activations are
    /// transposed back to channels-last before `Flatten`, so that the flattened order (and
    /// `Dense` after it) is Keras's. `Dropout` is an `Identity` (inference); `Dense` is a `Gemm`.
    ///
    /// With `kernelPrecision: .int8`, every kernel is an int8 initializer (`<layer>/kernel_quantized`)
    /// with per-output-channel float32 scales and zero points of 0, turned back into float32 by a
    /// `DequantizeLinear` node (`<layer>/kernel_dequantize`): the numbers `quantizedToInt8()`
    /// computes with. Biases stay float32.
    ///
    /// - Throws: ``ONNXExportError/notBuilt``, ``ONNXExportError/unsupportedLayer(layer:type:)``,
    ///   or ``ONNXExportError/cannotQuantize(detail:)`` for a kernel with an infinite or NaN weight.
    public func onnxModel(kernelPrecision: ModelFileEncoding.KernelPrecision = .float32) throws(ONNXExportError) -> [UInt8] {
        try ONNXGraphBuilder(model: self, kernelPrecision: kernelPrecision).serializedModel()
    }

    /// Writes ``onnxModel(kernelPrecision:)`` to `path` atomically (a new file renamed over `path`
    /// once complete).
    ///
    /// - Throws: the errors of ``onnxModel(kernelPrecision:)``, or
    ///   ``ONNXExportError/cannotWrite(path:detail:)`` naming the file.
    public func exportONNX(to path: String, kernelPrecision: ModelFileEncoding.KernelPrecision = .float32) throws(ONNXExportError) {
        let bytes = try onnxModel(kernelPrecision: kernelPrecision)
        do { try AtomicFile.write(bytes, to: path) } catch { throw .cannotWrite(path: error.path, detail: error.detail) }
    }
}

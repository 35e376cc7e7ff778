import Foundation
import FuzzSupport
import PruneKit

/// The model file's tensor decoders (bitmap + values, masks, int8 and sparse int8), reached
/// directly: a tiny saved model (`Dense(3)` on 5 inputs) whose kernel record and bytes come from
/// the input, in a correctly framed and checksummed file. The first byte picks the encoding, the
/// second the stored-value count; when the third is even the record's byte count is the one the
/// encoding needs for that count, so most inputs get past the header checks into the decoder; the
/// rest of the input is the kernel's bytes.
let encodings = ["float32", "sparseFloat32", "mask", "int8", "sparseInt8"]

/// The template model file's header and payload, built once and only read afterwards (libFuzzer
/// calls the target on one thread), hence `nonisolated(unsafe)` for a non-`Sendable` JSON value.
nonisolated(unsafe) let template: (header: [String: Any], payload: [UInt8]) = {
    var model = Sequential(seed: 1) { Dense(3, activation: .softmax) }
    try! model.build(inputShape: [5])
    let path = Scratch.path("template.prunekit")
    try! model.save(to: path, includeOptimizer: false)
    let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
    let headerLength = Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 | Int(bytes[15]) << 24
    let header = try! JSONSerialization.jsonObject(with: Data(bytes[24 ..< 24 + headerLength])) as! [String: Any]
    return (header, Array(bytes[(24 + headerLength) ..< (bytes.count - 4)]))
}()

/// The bytes an encoding needs for a 5×3 kernel with `stored` values (the layouts of
/// `TensorEncoding`).
func byteCount(_ encoding: String, stored: Int) -> Int {
    let count = 15, channels = 3, bitmap = (count + 7) / 8
    switch encoding {
    case "float32": return 4 * count
    case "sparseFloat32": return 4 * stored + bitmap
    case "mask": return bitmap
    case "int8": return 4 * channels + count
    default: return 4 * channels + bitmap + stored
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSparseTensor(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = [UInt8](fuzzInput(start, count))
    guard input.count >= 3 else { return 0 }
    let encoding = encodings[Int(input[0]) % encodings.count]
    let stored = Int(input[1]) % 20
    let data = Array(input[3...])
    var header = template.header, payload = template.payload
    payload += [UInt8](repeating: 0, count: (8 - payload.count % 8) % 8)
    var tensors = header["tensors"] as! [[String: Any]]
    let kernel = tensors.firstIndex { $0["name"] as? String == "dense/kernel" }!
    tensors[kernel]["encoding"] = encoding
    tensors[kernel]["offset"] = payload.count
    tensors[kernel]["byteCount"] = input[2] % 2 == 0 ? byteCount(encoding, stored: stored) : data.count
    tensors[kernel]["nonZeros"] = ["sparseFloat32", "mask", "sparseInt8"].contains(encoding) ? stored : nil
    header["tensors"] = tensors
    payload += data

    var json = [UInt8](try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
    json += [UInt8](repeating: UInt8(ascii: " "), count: (8 - json.count % 8) % 8)
    var file = Array("PRUNEKIT".utf8)
    func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { file += $0 } }
    append(UInt32(2))
    append(UInt32(json.count))
    append(UInt64(payload.count))
    file += json + payload
    append(CRC32.checksum(file))
    let path = Scratch.write(file, to: "input.prunekit")
    if let model = try? Sequential.load(from: path) {
        // A kernel that decodes has the model's shape and saves again.
        precondition(model.layers[0].parameters[0].shape == [5, 3])
        try! model.save(to: Scratch.path("resaved.prunekit"), includeOptimizer: false)
    }
    return 0
}

runFuzzer(fuzzSparseTensor)

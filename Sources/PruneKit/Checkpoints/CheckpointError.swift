/// Why a model file could not be written or read. Every case names the file at fault.
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case missingFile(path: String)
    /// The file does not start with the `PRUNEKIT` magic: it is not a PruneKit model file.
    case notAModelFile(path: String)
    /// The file was written in a format version this build does not read.
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    /// The file ends before the header, payload and checksum its preamble announces.
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    /// The CRC-32 stored at the end of the file does not match its contents: the file is corrupt.
    case checksumMismatch(path: String, stored: UInt32, computed: UInt32)
    /// The JSON header cannot be decoded, or describes tensors or state that do not fit together.
    case malformedHeader(path: String, detail: String)
    /// A tensor's bytes are not valid in the layout its record names: a bitmap that marks another
    /// number of values than the record lists or elements past the tensor's end, a stored zero,
    /// an int8 value of −128, or a scale that is not positive and finite.
    case invalidTensorData(path: String, tensor: String, detail: String)
    /// A layer that is not a ``SavableLayer``, so the format cannot describe it.
    case unsupportedLayer(path: String, layer: String, type: String)
    /// The file holds a layer type this program was not given: a custom ``SavableLayer`` to pass
    /// as `customLayers:` when loading.
    case unknownLayerType(path: String, layer: String, type: String)
    /// A pruning schedule other than ``PolynomialDecay`` and ``ConstantSparsity``.
    case unsupportedSchedule(path: String, type: String)
    /// An optimizer other than ``Adam``.
    case unsupportedOptimizer(path: String, type: String)
    /// The file's model differs from the one its weights are loaded into.
    case architectureMismatch(path: String, detail: String)
    /// The file could not be written (its directory is missing or not writable, the disk is full…).
    case cannotWrite(path: String, detail: String)

    /// The error in one sentence that names the file, parameter or layer at fault.
    public var description: String {
        switch self {
        case .missingFile(let path):
            return "\(path): file not found or not readable"
        case .notAModelFile(let path):
            return "\(path): not a PruneKit model file (no PRUNEKIT magic at the start)"
        case .unsupportedVersion(let path, let found, let supported):
            return "\(path): model file format version \(found) is not supported (this build reads versions 1 to \(supported))"
        case .truncated(let path, let expected, let actual):
            return "\(path): truncated: the file should hold \(expected) bytes but has \(actual)"
        case .checksumMismatch(let path, let stored, let computed):
            return "\(path): corrupt: stored CRC-32 \(Self.hex(stored)) but the contents give \(Self.hex(computed))"
        case .malformedHeader(let path, let detail):
            return "\(path): malformed header: \(detail)"
        case .invalidTensorData(let path, let tensor, let detail):
            return "\(path): corrupt tensor \(tensor): \(detail)"
        case .unsupportedLayer(let path, let layer, let type):
            return "\(path): cannot save layer \(layer) of type \(type): it is not a SavableLayer"
        case .unknownLayerType(let path, let layer, let type):
            return "\(path): layer \(layer) is of unknown type \"\(type)\": pass its SavableLayer type as customLayers: when loading"
        case .unsupportedSchedule(let path, let type):
            return "\(path): cannot save pruning schedule \(type): only PolynomialDecay and ConstantSparsity are stored"
        case .unsupportedOptimizer(let path, let type):
            return "\(path): cannot save optimizer \(type): only Adam is stored (save with includeOptimizer: false to leave it out)"
        case .architectureMismatch(let path, let detail):
            return "\(path): the file's model does not match: \(detail)"
        case .cannotWrite(let path, let detail):
            return "\(path): cannot write model file: \(detail)"
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// The tensors of a model file: float32 values stored little-endian one after another, each found
/// through a ``CheckpointHeader/TensorRecord`` (name, shape, byte offset).
struct TensorPayload {
    /// Where each tensor is, in the order they were added.
    private(set) var records: [CheckpointHeader.TensorRecord] = []
    /// The payload bytes.
    private(set) var bytes: [UInt8] = []
    /// Index of each record by name, for reading.
    private var index: [String: CheckpointHeader.TensorRecord] = [:]

    /// An empty payload to append tensors to.
    init() {}

    /// The payload of a file, after checking that every record names a distinct tensor that lies
    /// inside `bytes`.
    ///
    /// - Throws: ``CheckpointError/malformedHeader(path:detail:)`` naming the first bad record.
    init(records: [CheckpointHeader.TensorRecord], bytes: ArraySlice<UInt8>, path: String) throws(CheckpointError) {
        for record in records {
            guard record.shape.allSatisfy({ $0 >= 0 }), let size = Self.byteSize(of: record.shape), record.offset >= 0,
                  record.offset <= bytes.count, size <= bytes.count - record.offset else {
                throw .malformedHeader(path: path, detail: "tensor \(record.name) (shape \(record.shape), offset \(record.offset)) "
                                       + "does not fit in the \(bytes.count)-byte payload")
            }
            guard index.updateValue(record, forKey: record.name) == nil else {
                throw .malformedHeader(path: path, detail: "tensor \(record.name) is listed twice")
            }
        }
        self.records = records
        self.bytes = Array(bytes)
    }

    /// Appends `tensor` under `name`.
    mutating func append(_ tensor: Tensor, name: String) {
        records.append(.init(name: name, shape: tensor.shape, offset: bytes.count))
        let start = bytes.count
        bytes += [UInt8](repeating: 0, count: tensor.count * 4)
        tensor.scalars.withUnsafeBufferPointer { scalars in
            bytes.withUnsafeMutableBytes { raw in
                for i in scalars.indices {
                    raw.storeBytes(of: scalars[i].bitPattern.littleEndian, toByteOffset: start + 4 * i, as: UInt32.self)
                }
            }
        }
    }

    /// Whether a tensor is stored under `name`.
    func contains(_ name: String) -> Bool { index[name] != nil }

    /// The tensor stored under `name`, checked to have `shape`.
    ///
    /// - Throws: ``CheckpointError/malformedHeader(path:detail:)`` when it is missing or has
    ///   another shape.
    func tensor(_ name: String, shape: [Int], path: String) throws(CheckpointError) -> Tensor {
        guard let record = index[name] else { throw .malformedHeader(path: path, detail: "tensor \(name) is missing") }
        guard record.shape == shape else {
            throw .malformedHeader(path: path, detail: "tensor \(name) has shape \(record.shape), the model needs \(shape)")
        }
        let count = shape.reduce(1, *)
        let scalars = bytes.withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: count) { scalars, initialized in
                for i in 0 ..< count {
                    scalars[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: record.offset + 4 * i,
                                                                                          as: UInt32.self)))
                }
                initialized = count
            }
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    /// `4 · Π shape`, or `nil` when it overflows.
    private static func byteSize(of shape: [Int]) -> Int? {
        var size = 4
        for dimension in shape {
            let (product, overflow) = size.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            size = product
        }
        return size
    }
}

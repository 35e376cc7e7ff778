/// The tensors of a model file, one after another, each 8-byte aligned, in the layout its
/// ``CheckpointHeader/TensorRecord`` names (``TensorEncoding``).
struct TensorPayload {
    /// Where each tensor is, in the order they were added.
    private(set) var records: [CheckpointHeader.TensorRecord] = []
    /// The payload bytes.
    private(set) var bytes: [UInt8] = []
    /// Index of each record by name, for reading.
    private var index: [String: CheckpointHeader.TensorRecord] = [:]

    /// An empty payload to append tensors to.
    init() {}

    /// The payload of a file, after checking that every record names a distinct tensor whose
    /// encoding, shape, stored-value count and byte count agree and that lies inside `bytes`.
    /// Nothing is allocated for a tensor before its bytes are found to be there.
    ///
    /// - Throws: ``CheckpointError/malformedHeader(path:detail:)`` naming the first bad record.
    init(records: [CheckpointHeader.TensorRecord], bytes: ArraySlice<UInt8>, path: String) throws(CheckpointError) {
        for record in records {
            let describe = "tensor \(record.name) (shape \(record.shape), offset \(record.offset))"
            guard record.shape.allSatisfy({ $0 >= 0 }), let count = Self.elementCount(of: record.shape) else {
                throw .malformedHeader(path: path, detail: "\(describe) has an invalid shape")
            }
            let encoding = record.encoding ?? .float32
            if encoding.isInt8, record.shape.last ?? 0 == 0 {
                throw .malformedHeader(path: path, detail: "\(describe) is \(encoding.rawValue) but has no output channels")
            }
            if encoding.isSparse != (record.nonZeros != nil) {
                throw .malformedHeader(path: path, detail: "\(describe) is \(encoding.rawValue) and must "
                                       + (encoding.isSparse ? "list" : "not list") + " nonZeros")
            }
            let nonZeros = record.nonZeros ?? 0
            guard (0 ... count).contains(nonZeros) else {
                throw .malformedHeader(path: path, detail: "\(describe) lists \(nonZeros) stored values for \(count) elements")
            }
            guard let size = encoding.byteCount(count: count, channels: record.shape.last ?? 1, nonZeros: nonZeros),
                  record.byteCount == nil ? record.encoding == nil : record.byteCount == size else {
                throw .malformedHeader(path: path, detail: "\(describe) lists \(record.byteCount.map(String.init) ?? "no") bytes, "
                                       + "but \(encoding.rawValue) with \(nonZeros) stored values of \(count) takes a different number")
            }
            guard record.offset >= 0, record.offset <= bytes.count, size <= bytes.count - record.offset else {
                throw .malformedHeader(path: path, detail: "\(describe) does not fit in the \(bytes.count)-byte payload")
            }
            guard index.updateValue(record, forKey: record.name) == nil else {
                throw .malformedHeader(path: path, detail: "tensor \(record.name) is listed twice")
            }
        }
        self.records = records
        self.bytes = Array(bytes)
    }

    /// Appends `tensor` under `name`, in the smallest lossless encoding when `compact`, else as float32.
    mutating func append(_ tensor: Tensor, name: String, compact: Bool) {
        append(EncodedTensor(tensor, compact: compact), shape: tensor.shape, name: name)
    }

    /// Appends the int8 `tensor` under `name`, sparse when `compact` and that is smaller.
    mutating func append(_ tensor: Int8Tensor, name: String, compact: Bool) {
        append(EncodedTensor(tensor, compact: compact), shape: tensor.shape, name: name)
    }

    private mutating func append(_ encoded: EncodedTensor, shape: [Int], name: String) {
        bytes += [UInt8](repeating: 0, count: (8 - bytes.count % 8) % 8)
        records.append(.init(name: name, shape: shape, offset: bytes.count, encoding: encoded.encoding,
                             byteCount: encoded.bytes.count, nonZeros: encoded.nonZeros))
        bytes += encoded.bytes
    }

    /// Whether a tensor is stored under `name`.
    func contains(_ name: String) -> Bool { index[name] != nil }

    /// The tensor stored under `name`, checked to have `shape`, decoded to float32 (int8 values
    /// dequantized).
    ///
    /// - Throws: ``CheckpointError/malformedHeader(path:detail:)`` when it is missing or has
    ///   another shape, ``CheckpointError/invalidTensorData(path:tensor:detail:)`` when its bytes
    ///   are not valid in its encoding.
    func tensor(_ name: String, shape: [Int], path: String) throws(CheckpointError) -> Tensor {
        guard let record = index[name] else { throw .malformedHeader(path: path, detail: "tensor \(name) is missing") }
        guard record.shape == shape else {
            throw .malformedHeader(path: path, detail: "tensor \(name) has shape \(record.shape), the model needs \(shape)")
        }
        let count = shape.reduce(1, *), encoding = record.encoding ?? .float32, nonZeros = record.nonZeros ?? 0
        let size = encoding.byteCount(count: count, channels: shape.last ?? 1, nonZeros: nonZeros)!
        let decoded = bytes.withUnsafeBytes { raw in
            encoding.decode(UnsafeRawBufferPointer(rebasing: raw[record.offset ..< record.offset + size]), count: count,
                            channels: shape.last ?? 1, nonZeros: nonZeros)
        }
        switch decoded {
        case .success(let scalars): return Tensor(shape: shape, scalars: scalars)
        case .failure(let failure): throw .invalidTensorData(path: path, tensor: name, detail: failure.detail)
        }
    }

    /// `Π shape`, or `nil` when it overflows or its float32 size would.
    private static func elementCount(of shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
        }
        return count.multipliedReportingOverflow(by: 4).overflow ? nil : count
    }
}

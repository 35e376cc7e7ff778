import Foundation
import Testing
@testable import PruneKit

/// Bit patterns of every parameter, layer by layer.
private func parameterBits(_ model: Sequential) -> [[UInt32]] {
    model.layers.flatMap(\.parameters).map { $0.scalars.map(\.bitPattern) }
}

/// `model` with every kernel pruned to `sparsity` by magnitude, pruned weights +0.0 as after
/// `strippingPruning()`.
func magnitudePruned(_ model: Sequential, sparsity: Float) throws -> Sequential {
    var pruned = model
    for index in pruned.layers.indices where pruned.layers[index].prunableParameterIndex != nil {
        var parameters = pruned.layers[index].parameters
        let mask = try MagnitudeMask(weights: parameters[0], sparsity: sparsity).mask
        parameters[0] = Tensor(shape: mask.shape, scalars: zip(parameters[0].scalars, mask.scalars).map { $1 == 0 ? 0 : $0 })
        pruned.layers[index].parameters = parameters
    }
    return pruned
}

/// The ``CheckpointError`` `body` throws, or `nil`.
private func error(of body: () throws -> Void) -> CheckpointError? {
    do { try body() } catch let error as CheckpointError { return error } catch { Issue.record("unexpected \(error)") }
    return nil
}

/// A model file's header as JSON objects and its payload, to damage and re-frame with a valid CRC.
private struct EditableFile {
    var header: [String: Any]
    var payload: [UInt8]

    init(_ bytes: [UInt8]) throws {
        let (header, payload) = try ModelFileFormat.decode(bytes, path: "test")
        self.header = try #require(try JSONSerialization.jsonObject(with: Data(header)) as? [String: Any])
        self.payload = Array(payload)
    }

    /// The tensor records.
    var tensors: [[String: Any]] {
        get { header["tensors"] as! [[String: Any]] }
        set { header["tensors"] = newValue }
    }

    /// The index of the record named `name`.
    func record(_ name: String) throws -> Int { try #require(tensors.firstIndex { $0["name"] as? String == name }) }

    /// The file's bytes, correctly framed and checksummed.
    func bytes(version: UInt32 = ModelFileFormat.version) throws -> [UInt8] {
        ModelFileFormat.encode(header: Array(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])),
                               payload: payload, version: version)
    }
}

@Suite struct SparseModelFileTests {
    /// The article CNN (seed 42) with every kernel pruned to 87.5% by magnitude.
    private func prunedArticleCNN() throws -> Sequential {
        var model = try magnitudePruned(try Sequential.articleCNN(seed: 42), sparsity: 0.875)
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam(), metrics: [.accuracy])
        return model
    }

    @Test func sparseFileIsLosslessAndAtLeastSixTimesSmaller() throws {
        let dir = try TemporaryDirectory()
        let model = try prunedArticleCNN()
        try model.save(to: dir.path("sparse.prunekit"), includeOptimizer: false)
        try model.save(to: dir.path("dense.prunekit"), includeOptimizer: false, encoding: .dense)
        let loaded = try Sequential.load(from: dir.path("sparse.prunekit"))
        #expect(parameterBits(loaded) == parameterBits(model))
        let data = try quadrantDatasetOfArticleShape()
        #expect(try loaded.predict(data).scalars.map(\.bitPattern) == model.predict(data).scalars.map(\.bitPattern))

        let sparse = try Data(contentsOf: dir.url.appendingPathComponent("sparse.prunekit")).count
        let dense = try Data(contentsOf: dir.url.appendingPathComponent("dense.prunekit")).count
        // 431,242 float32 values plus a header; sparse: an eighth of the 430,880 kernel weights as
        // float32 and a bit per kernel weight, the biases as float32.
        #expect(dense > 1_724_968 && dense < 1_724_968 + 4096)
        #expect(Double(dense) / Double(sparse) >= 6, "dense \(dense) bytes, sparse \(sparse)")
        #expect(try model.storageSize().fileBytes == sparse)
        #expect(try model.storageSize(encoding: .dense).fileBytes == dense)

        let file = try EditableFile(Array(try Data(contentsOf: dir.url.appendingPathComponent("sparse.prunekit"))))
        let encodings = Dictionary(uniqueKeysWithValues: file.tensors.map { ($0["name"] as! String, $0["encoding"] as! String) })
        #expect(encodings["dense/kernel"] == "sparseFloat32" && encodings["conv2d/kernel"] == "sparseFloat32")
        // The untrained biases are all zero: a bitmap with no bit set.
        #expect(encodings["dense/bias"] == "mask")
    }

    @Test func int8FileLoadsAsTheQuantizedModelAndIsAtLeastFifteenTimesSmaller() throws {
        let dir = try TemporaryDirectory()
        let model = try prunedArticleCNN()
        let path = dir.path("int8.prunekit")
        try model.save(to: path, includeOptimizer: false, encoding: .sparseInt8)
        let quantized = try model.quantizedToInt8()
        let loaded = try Sequential.load(from: path)
        #expect(parameterBits(loaded) == parameterBits(quantized))
        #expect(parameterBits(loaded) != parameterBits(model))
        // Zeros stay zeros: the quantized kernels are as sparse as the float32 ones.
        #expect(loaded.sparsityTable().totalNonZeros <= model.sparsityTable().totalNonZeros)

        let int8 = try Data(contentsOf: dir.url.appendingPathComponent("int8.prunekit")).count
        let dense = try model.storageSize(encoding: .dense).fileBytes
        #expect(Double(dense) / Double(int8) >= 15, "dense \(dense) bytes, sparse int8 \(int8)")
        // Dense int8 (no bitmap) is still about a quarter of the float32 file.
        let denseInt8 = try model.storageSize(encoding: ModelFileEncoding(sparse: false, kernelPrecision: .int8)).fileBytes
        #expect(denseInt8 > dense / 4 && denseInt8 < dense / 4 + 8192)
    }

    @Test func trainingStateAndSpecialValuesRoundTrip() throws {
        let dir = try TemporaryDirectory()
        var model = try smallCNN(seed: 3).built().pruned(with: try ConstantSparsity(targetSparsity: 0.9, beginStep: 0, frequency: 1))
        try model.fit(try quadrantDataset(count: 20, seed: 2), batchSize: 10, epochs: 1, verbose: false)
        // −0, NaN, infinities and subnormals in a mostly-zero kernel: all stored bit for bit.
        var parameters = model.layers[0].parameters
        let specials: [Float] = [-0.0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, -.greatestFiniteMagnitude]
        for (offset, value) in specials.enumerated() { parameters[0].scalars[offset] = value }
        model.layers[0].parameters = parameters
        let path = dir.path("state.prunekit")
        try model.save(to: path)
        let loaded = try Sequential.load(from: path)
        #expect(parameterBits(loaded) == parameterBits(model))
        #expect(loaded.pruning?.layers.map { $0.mask.scalars } == model.pruning?.layers.map { $0.mask.scalars })
        #expect((loaded.optimizer as? Adam) == (model.optimizer as? Adam))

        let file = try EditableFile(Array(try Data(contentsOf: dir.url.appendingPathComponent("state.prunekit"))))
        #expect(file.tensors.first { $0["name"] as? String == "pruning/conv2d/mask" }?["encoding"] as? String == "mask")

        // A NaN cannot be quantized: saving as int8 names the kernel and writes nothing.
        let int8Path = dir.path("nan.prunekit")
        guard case .cannotWrite(int8Path, let detail)? = error(of: { try model.save(to: int8Path, encoding: .sparseInt8) }) else {
            Issue.record("saving a NaN kernel as int8 did not fail")
            return
        }
        #expect(detail.contains("conv2d/kernel"))
        #expect(!FileManager.default.fileExists(atPath: int8Path))
    }

    @Test func versionOneFilesAreStillRead() throws {
        let model = try prunedArticleCNN()
        var file = try EditableFile(try Checkpoint(model: model).encoded(includeOptimizer: false, encoding: .dense, path: "v1"))
        // A version-1 record: name, shape and offset only; tensors float32 back to back.
        file.tensors = file.tensors.map { ["name": $0["name"]!, "shape": $0["shape"]!, "offset": $0["offset"]!] }
        let dir = try TemporaryDirectory()
        let path = try dir.write(try file.bytes(version: 1), to: "v1.prunekit")
        #expect(parameterBits(try Sequential.load(from: path)) == parameterBits(model))

        let future = try dir.write(try file.bytes(version: 3), to: "v3.prunekit")
        #expect(error { _ = try Sequential.load(from: future) } == .unsupportedVersion(path: future, found: 3, supported: 2))
        #expect(error { _ = try Sequential.load(from: future) }?.description.contains("versions 1 to 2") == true)
    }

    @Test func inconsistentIndexDataIsReportedNamingFileAndTensor() throws {
        let dir = try TemporaryDirectory()
        var model = try magnitudePruned(try smallCNN(seed: 5).built(), sparsity: 0.75)
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam())
        let float = try EditableFile(try Checkpoint(model: model).encoded(includeOptimizer: false, encoding: .sparse, path: "f"))
        let int8 = try EditableFile(try Checkpoint(model: model).encoded(includeOptimizer: false, encoding: .sparseInt8, path: "q"))
        let name = "conv2d/kernel"
        let kernel = try float.record(name)
        #expect(float.tensors[kernel]["encoding"] as? String == "sparseFloat32")
        let offset = float.tensors[kernel]["offset"] as! Int, byteCount = float.tensors[kernel]["byteCount"] as! Int
        let nonZeros = float.tensors[kernel]["nonZeros"] as! Int
        let count = (float.tensors[kernel]["shape"] as! [Int]).reduce(1, *)
        let bitmap = offset + 4 * nonZeros

        func load(_ file: EditableFile, _ label: String) throws -> CheckpointError? {
            let path = try dir.write(try file.bytes(), to: "\(label).prunekit")
            return error { _ = try Sequential.load(from: path) }
        }
        func expectTensorError(_ file: EditableFile, _ label: String, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let path = dir.path("\(label).prunekit")
            guard case .invalidTensorData(path, name, let detail)? = try load(file, label), detail.contains(fragment) else {
                Issue.record("\(label): \(String(describing: try load(file, label)))", sourceLocation: sourceLocation)
                return
            }
            #expect(try load(file, label)?.description.hasPrefix("\(path): corrupt tensor \(name): ") == true, sourceLocation: sourceLocation)
        }
        func expectHeaderError(_ file: EditableFile, _ label: String, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            guard case .malformedHeader(dir.path("\(label).prunekit"), let detail)? = try load(file, label), detail.contains(fragment) else {
                Issue.record("\(label): \(String(describing: try load(file, label)))", sourceLocation: sourceLocation)
                return
            }
        }

        // A bitmap bit cleared: one value fewer than the record lists (and a stored value unmarked).
        var cleared = float
        let firstSet = try #require((bitmap ..< bitmap + count / 8).first { cleared.payload[$0] != 0 })
        cleared.payload[firstSet] &= cleared.payload[firstSet] - 1
        try expectTensorError(cleared, "bit-cleared", "the bitmap marks \(nonZeros - 1) stored values but the record lists \(nonZeros)")

        // The count changed with the byte count kept consistent: the bitmap disagrees.
        var recount = float
        recount.tensors[kernel]["nonZeros"] = nonZeros - 1
        recount.tensors[kernel]["byteCount"] = byteCount - 4
        try expectTensorError(recount, "recount", "but the record lists \(nonZeros - 1)")

        // A count that does not match the byte count, or exceeds the tensor.
        var mismatched = float
        mismatched.tensors[kernel]["nonZeros"] = nonZeros + 1
        try expectHeaderError(mismatched, "bytes-mismatch", "takes a different number")
        var tooMany = float
        tooMany.tensors[kernel]["nonZeros"] = count + 1
        try expectHeaderError(tooMany, "too-many", "lists \(count + 1) stored values for \(count) elements")
        var missingCount = float
        missingCount.tensors[kernel]["nonZeros"] = nil
        try expectHeaderError(missingCount, "no-count", "must list nonZeros")

        // A shape other than the model's, an offset or a shape beyond the payload.
        var pastEnd = float
        pastEnd.tensors[kernel]["shape"] = [count - 1]
        pastEnd.tensors[kernel]["byteCount"] = 4 * nonZeros + (count - 1 + 7) / 8
        try expectHeaderError(pastEnd, "past-end-shape", "has shape [\(count - 1)], the model needs")
        var farOffset = float
        farOffset.tensors[kernel]["offset"] = float.payload.count - 8
        try expectHeaderError(farOffset, "far-offset", "does not fit in the \(float.payload.count)-byte payload")
        var huge = float
        huge.tensors[kernel]["shape"] = [1 << 40, 1 << 30]
        try expectHeaderError(huge, "huge", "has an invalid shape")
        var hugeMask = float
        hugeMask.tensors[kernel]["shape"] = [1 << 50]
        hugeMask.tensors[kernel]["encoding"] = "mask"
        hugeMask.tensors[kernel]["byteCount"] = 1 << 47
        hugeMask.tensors[kernel]["nonZeros"] = 0
        try expectHeaderError(hugeMask, "huge-mask", "does not fit")

        // A stored value that is zero.
        var storedZero = float
        for byte in offset ..< offset + 4 { storedZero.payload[byte] = 0 }
        try expectTensorError(storedZero, "stored-zero", "stored value 0 (element")

        // An unknown encoding.
        var unknown = float
        unknown.tensors[kernel]["encoding"] = "float16"
        try expectHeaderError(unknown, "unknown-encoding", "tensors")

        // int8: a −128 value, a zero scale, a NaN scale, and a bitmap bit past the end.
        let quantized = try int8.record(name)
        #expect(int8.tensors[quantized]["encoding"] as? String == "sparseInt8")
        let int8Offset = int8.tensors[quantized]["offset"] as! Int
        let channels = (int8.tensors[quantized]["shape"] as! [Int]).last!
        let values = int8Offset + 4 * channels + (count + 7) / 8
        var minimum = int8
        minimum.payload[values] = 0x80
        try expectTensorError(minimum, "int8-min", "−128")
        for (label, scale) in [("scale-zero", Float(0)), ("scale-nan", Float.nan), ("scale-negative", Float(-1))] {
            var bad = int8
            withUnsafeBytes(of: scale.bitPattern.littleEndian) { bad.payload.replaceSubrange(int8Offset ..< int8Offset + 4, with: $0) }
            try expectTensorError(bad, label, "scale")
        }
        // The bias is float32 and dense: a 7-element float32 tensor re-labelled as a 7-element mask
        // whose one bitmap byte sets bit 7 (past the end).
        var pastEndBit = float
        let bias = try pastEndBit.record("dense/bias")
        let biasOffset = pastEndBit.tensors[bias]["offset"] as! Int
        let biasCount = (pastEndBit.tensors[bias]["shape"] as! [Int]).reduce(1, *)
        #expect(biasCount % 8 != 0)
        pastEndBit.tensors[bias]["encoding"] = "mask"
        pastEndBit.tensors[bias]["byteCount"] = (biasCount + 7) / 8
        pastEndBit.tensors[bias]["nonZeros"] = 1
        pastEndBit.payload[biasOffset] = 1 << UInt8(biasCount % 8)
        for byte in biasOffset + 1 ..< biasOffset + (biasCount + 7) / 8 { pastEndBit.payload[byte] = 0 }
        guard case .invalidTensorData(_, "dense/bias", let detail)? = try load(pastEndBit, "past-end-bit"),
              detail.contains("past the tensor's \(biasCount)") else {
            Issue.record("past-end bit: \(String(describing: try load(pastEndBit, "past-end-bit")))")
            return
        }
    }

    @Test func truncatedAndCorruptSparseFilesAreReported() throws {
        let dir = try TemporaryDirectory()
        let bytes = try Checkpoint(model: try magnitudePruned(try smallCNN(seed: 5).built(), sparsity: 0.75))
            .encoded(includeOptimizer: false, encoding: .sparseInt8, path: "t")
        for cut in [10, 30, bytes.count / 2, bytes.count - 1] {
            let path = try dir.write(Array(bytes.prefix(cut)), to: "cut-\(cut).prunekit")
            guard case .truncated(path, _, cut)? = error(of: { _ = try Sequential.load(from: path) }) else {
                Issue.record("cut at \(cut)")
                continue
            }
        }
        var corrupt = bytes
        corrupt[bytes.count - 20] ^= 1
        let path = try dir.write(corrupt, to: "corrupt.prunekit")
        guard case .checksumMismatch(path, _, _)? = error(of: { _ = try Sequential.load(from: path) }) else {
            Issue.record("flipped payload bit not detected")
            return
        }
    }

    /// A few images of the article CNN's input shape.
    private func quadrantDatasetOfArticleShape() throws -> Dataset {
        var generator = SplitMix64(seed: 9)
        let pixels = (0 ..< 4 * 784).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        return try Dataset(pixels: pixels, labels: [0, 1, 2, 3], imageShape: [28, 28, 1])
    }
}

extension Sequential {
    /// This model built for the small CNN's 12×12 inputs.
    fileprivate func built() throws -> Sequential {
        var model = self
        try model.build(inputShape: [12, 12, 1])
        return model
    }
}

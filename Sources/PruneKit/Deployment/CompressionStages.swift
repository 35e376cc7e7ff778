/// What each step of Deep Compression (Han et al., 2016: prune, quantize, encode) buys for one
/// model: the bytes of its model file at each stage, raw and gzip-compressed (level 9, zlib), and
/// the test accuracy of every stage that changes the numbers the model computes.
///
///     stage             file                                           numbers
///     dense float32     the unpruned model, every value float32        the unpruned model's
///     pruned float32    the pruned model, zeros stored as float32      the pruned model's
///     sparse            bitmap + non-zero values (lossless)            unchanged
///     sparse + int8     kernels int8 per output channel, then sparse   the int8 model's
///
/// All files leave the optimizer out (``Sequential/save(to:includeOptimizer:encoding:)`` with
/// `includeOptimizer: false`), as a model is shipped.
public struct CompressionStages: Sendable, Codable, Equatable {
    /// One stage's file and, when its numbers differ from the stage before, its test accuracy.
    public struct Stage: Sendable, Codable, Equatable {
        /// What the stage stores, such as `sparse + int8`.
        public var name: String
        /// The encoding the stage's file is written in.
        public var encoding: ModelFileEncoding
        /// The model file's bytes.
        public var fileBytes: Int
        /// The model file's bytes after gzip at level 9.
        public var gzipBytes: Int
        /// Test accuracy of the stage's model; `nil` when the stage stores the same numbers as the
        /// stage before it (a lossless re-encoding).
        public var testAccuracy: Double?
    }

    /// The stages, in order: dense float32, pruned float32, sparse, sparse + int8.
    public var stages: [Stage]

    /// Measures the stages of `model` (pruned, pruning stripped or not) against `dense`.
    ///
    /// - Parameters:
    ///   - model: The pruned model to ship; its pruning state, if any, is stripped first.
    ///   - dense: The model without pruning to compare with: a baseline trained without pruning,
    ///     or the same network before pruning (same file size; its accuracy is then not a trained one).
    ///   - testData: The data the accuracies are measured on, or `nil` for sizes only.
    /// - Throws: ``CheckpointError`` for a model that cannot be saved or has a kernel int8 cannot
    ///   hold (infinite or NaN weights); ``ModelError`` when the models cannot be evaluated on
    ///   `testData` (not compiled, data of another shape).
    public init(model: Sequential, dense: Sequential, testData: Dataset?) throws {
        let stripped = model.strippingPruning()
        let int8 = try stripped.quantizedToInt8()
        func accuracy(_ model: Sequential) throws -> Double? { try testData.map { try model.evaluate($0).accuracy } }
        func stage(_ name: String, _ model: Sequential, _ encoding: ModelFileEncoding, accuracy: Double?) throws -> Stage {
            let size = try model.storageSize(encoding: encoding)
            return Stage(name: name, encoding: encoding, fileBytes: size.fileBytes, gzipBytes: size.gzipBytes, testAccuracy: accuracy)
        }
        stages = [
            try stage("dense float32", dense.strippingPruning(), .dense, accuracy: try accuracy(dense)),
            try stage("pruned float32", stripped, .dense, accuracy: try accuracy(stripped)),
            try stage("sparse", stripped, .sparse, accuracy: nil),
            try stage("sparse + int8", stripped, .sparseInt8, accuracy: try accuracy(int8)),
        ]
    }

    /// How many times smaller than the first stage's raw file `stage`'s file is, raw or compressed.
    public func reduction(of stage: Stage, compressed: Bool = false) -> Double {
        guard let first = stages.first else { return 0 }
        let bytes = compressed ? stage.gzipBytes : stage.fileBytes
        return bytes == 0 ? 0 : Double(first.fileBytes) / Double(bytes)
    }
}

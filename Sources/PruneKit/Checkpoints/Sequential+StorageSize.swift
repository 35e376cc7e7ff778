/// How much room a saved model takes: its model file without optimizer state, raw and compressed.
///
/// In the default sparse encoding the model file leaves pruned weights out (a bitmap marks where
/// the kept ones are); in the dense encoding a zero is stored like any other float32, and only a
/// compressor squeezes it (as the article measures with `gzip` on Keras's `.h5` file).
public struct StorageSize: Sendable, Codable, Equatable {
    /// The bytes of the model file (`save(to:includeOptimizer: false, encoding:)`).
    public var fileBytes: Int
    /// The bytes of that file after gzip at level 9.
    public var gzipBytes: Int

    /// `fileBytes / gzipBytes`.
    public var compressionRatio: Double { gzipBytes == 0 ? 0 : Double(fileBytes) / Double(gzipBytes) }
}

extension Sequential {
    /// The size of this model's file without optimizer state, raw and gzip-compressed (level 9).
    ///
    /// - Parameter encoding: How the file stores tensors; by default as ``save(to:includeOptimizer:encoding:)`` does.
    /// - Throws: ``CheckpointError/unsupportedLayer(path:layer:type:)`` (and the other unsupported
    ///   cases) for models PruneKit cannot save.
    public func storageSize(encoding: ModelFileEncoding = .sparse) throws(CheckpointError) -> StorageSize {
        let bytes = try Checkpoint(model: self).encoded(includeOptimizer: false, encoding: encoding, path: "(in memory)")
        return StorageSize(fileBytes: bytes.count, gzipBytes: Gzip.compress(bytes, level: 9).count)
    }
}

/// How much room a saved model takes: its model file without optimizer state, raw and compressed.
///
/// Pruned weights are zeros, which a raw float32 file stores like any other value but a compressor
/// squeezes: the compressed size is what pruning saves on disk or over the network (as the article
/// measures with `gzip` on Keras's `.h5` file).
public struct StorageSize: Sendable, Codable, Equatable {
    /// The bytes of the model file (`save(to:includeOptimizer: false)`).
    public var fileBytes: Int
    /// The bytes of that file after gzip at level 9.
    public var gzipBytes: Int

    /// `fileBytes / gzipBytes`.
    public var compressionRatio: Double { gzipBytes == 0 ? 0 : Double(fileBytes) / Double(gzipBytes) }
}

extension Sequential {
    /// The size of this model's file without optimizer state, raw and gzip-compressed (level 9).
    ///
    /// - Throws: ``CheckpointError/unsupportedLayer(path:layer:type:)`` (and the other unsupported
    ///   cases) for models PruneKit cannot save.
    public func storageSize() throws(CheckpointError) -> StorageSize {
        let bytes = try Checkpoint(model: self).encoded(includeOptimizer: false, path: "(in memory)")
        return StorageSize(fileBytes: bytes.count, gzipBytes: Gzip.compress(bytes, level: 9).count)
    }
}

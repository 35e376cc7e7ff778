/// Why a dataset could not be loaded. Every case names the file (or archive member) at fault.
public enum DataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case missingFile(path: String)
    /// The file does not start with the expected IDX magic number.
    case badMagic(file: String, expected: UInt32, found: UInt32)
    /// The file ends before the data its header announces.
    case truncated(file: String, expectedBytes: Int, actualBytes: Int)
    /// The file holds more bytes than its header announces.
    case oversized(file: String, expectedBytes: Int, actualBytes: Int)
    /// A compressed stream goes on past the bytes its header announces; reading stopped at the first extra byte.
    case oversizedStream(file: String, expectedBytes: Int)
    /// The header announces more bytes than the file can hold or than fit in memory; nothing was read past it.
    case implausibleSize(file: String, announcedBytes: Int, detail: String)
    /// The image and label files hold different numbers of items.
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    /// A label is not a class index.
    case labelOutOfRange(file: String, index: Int, label: Int, classCount: Int)
    /// The gzip stream is damaged.
    case corruptGzip(file: String, detail: String)
    /// The `.npz` archive or one of its `.npy` members is damaged or not what MNIST needs.
    case corruptArchive(file: String, detail: String)
    /// A header field is valid but describes data PruneKit does not read (for example non-byte pixels).
    case unsupported(file: String, detail: String)

    /// The error in one sentence that names the file, parameter or layer at fault.
    public var description: String {
        switch self {
        case .missingFile(let path):
            return "\(path): file not found or not readable"
        case .badMagic(let file, let expected, let found):
            return "\(file): wrong magic number \(found) (expected \(expected)); not an IDX file of this kind"
        case .truncated(let file, let expected, let actual):
            return "\(file): truncated: header announces \(expected) bytes, file has \(actual)"
        case .oversized(let file, let expected, let actual):
            return "\(file): oversized: header announces \(expected) bytes, file has \(actual)"
        case .oversizedStream(let file, let expected):
            return "\(file): oversized: header announces \(expected) bytes, but the decompressed data goes on "
                + "past them (reading stopped at the first extra byte)"
        case .implausibleSize(let file, let announced, let detail):
            return "\(file): header announces \(announced) bytes, refused before reading: \(detail)"
        case .countMismatch(let images, let imageCount, let labels, let labelCount):
            return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
        case .labelOutOfRange(let file, let index, let label, let classCount):
            return "\(file): label \(label) at index \(index) is outside 0–\(classCount - 1)"
        case .corruptGzip(let file, let detail):
            return "\(file): corrupt gzip data: \(detail)"
        case .corruptArchive(let file, let detail):
            return "\(file): corrupt or unexpected npz archive: \(detail)"
        case .unsupported(let file, let detail):
            return "\(file): unsupported: \(detail)"
        }
    }
}

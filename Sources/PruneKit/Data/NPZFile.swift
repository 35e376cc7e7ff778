import Foundation
import ZIPFoundation

/// A NumPy `.npz` archive: a zip file whose members are `.npy` arrays, such as Keras's `mnist.npz`.
///
/// ZIPFoundation reads stored and deflated members, including the zip64 extra fields NumPy writes.
struct NPZFile {
    /// The archive's path, reported in errors.
    let path: String
    /// The archive's size in bytes.
    let size: Int
    private let archive: Archive

    /// Opens the archive at `path`.
    ///
    /// - Throws: ``DataError/missingFile(path:)`` when `path` is not a file,
    ///   ``DataError/corruptArchive(file:detail:)`` when it is not a zip archive.
    init(path: String) throws(DataError) {
        size = try FileReader(path: path).size
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw .corruptArchive(file: path, detail: "not a readable zip archive (\(error))")
        }
        self.path = path
    }

    /// Throws unless the archive holds a file member for each of `members`.
    ///
    /// - Throws: ``DataError/corruptArchive(file:detail:)`` naming the first missing member.
    func requireMembers(_ members: [String]) throws(DataError) {
        for member in members where entry(member) == nil {
            throw .corruptArchive(file: path, detail: "missing member \(member)")
        }
    }

    /// The `.npy` array stored as `member`, which must have `dimensionCount` dimensions.
    ///
    /// The member is inflated as it is parsed: memory is bounded by the size its `.npy` header
    /// announces, and extraction stops at the first chunk past it.
    ///
    /// - Throws: ``DataError/corruptArchive(file:detail:)`` when the member is missing, cannot be
    ///   extracted, fails its CRC-32 check, is not a valid `.npy` array or has another number of
    ///   dimensions or a payload longer than its header announces; ``DataError/unsupported(file:detail:)``
    ///   for arrays ``NPYArray`` does not read; ``DataError/implausibleSize(file:announcedBytes:detail:)``
    ///   for an announced size the member's stored bytes cannot hold or memory cannot take.
    func array(named member: String, dimensionCount: Int) throws(DataError) -> NPYArray {
        func corrupt(_ detail: String) -> DataError { .corruptArchive(file: path, detail: "member \(member): \(detail)") }

        guard let entry = entry(member) else { throw .corruptArchive(file: path, detail: "missing member \(member)") }
        // What ZIPFoundation reads from the archive for this member: never more than the file holds.
        let isDeflated = entry.isCompressed
        let storedBytes = min(Int(clamping: isDeflated ? entry.compressedSize : entry.uncompressedSize), size)
        var reader = NPYArray.Reader(
            archive: path, member: member,
            maximumBytes: isDeflated ? Gzip.maximumInflatedSize(ofCompressed: storedBytes) : storedBytes,
            compressedBytes: isDeflated ? storedBytes : nil)
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry) { try reader.consume($0) }
        } catch let error as DataError {
            throw error
        } catch {
            throw corrupt("cannot extract (\(error))")
        }
        guard checksum == entry.checksum else { throw corrupt("CRC-32 mismatch") }
        let array = try reader.finish()
        guard array.shape.count == dimensionCount else {
            throw corrupt("shape \(array.shape) has \(array.shape.count) dimensions, expected \(dimensionCount)")
        }
        return array
    }

    private func entry(_ member: String) -> Entry? {
        archive[member].flatMap { $0.type == .file ? $0 : nil }
    }
}

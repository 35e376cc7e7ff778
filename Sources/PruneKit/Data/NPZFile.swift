import Foundation
import ZIPFoundation

/// A NumPy `.npz` archive: a zip file whose members are `.npy` arrays, such as Keras's `mnist.npz`.
///
/// ZIPFoundation reads stored and deflated members, including the zip64 extra fields NumPy writes.
struct NPZFile {
    /// The archive's path, reported in errors.
    let path: String
    private let archive: Archive

    /// Opens the archive at `path`.
    ///
    /// - Throws: ``DataError/missingFile(path:)`` when `path` is not a file,
    ///   ``DataError/corruptArchive(file:detail:)`` when it is not a zip archive.
    init(path: String) throws(DataError) {
        try FileAccess.requireFile(path)
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
    /// - Throws: ``DataError/corruptArchive(file:detail:)`` when the member is missing, cannot be
    ///   extracted, fails its CRC-32 check, is not a valid `.npy` array or has another number of
    ///   dimensions; ``DataError/unsupported(file:detail:)`` for arrays ``NPYArray`` does not read.
    func array(named member: String, dimensionCount: Int) throws(DataError) -> NPYArray {
        func corrupt(_ detail: String) -> DataError { .corruptArchive(file: path, detail: "member \(member): \(detail)") }

        guard let entry = entry(member) else { throw .corruptArchive(file: path, detail: "missing member \(member)") }
        var data = Data()
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry) { data.append($0) }
        } catch {
            throw corrupt("cannot extract (\(error))")
        }
        guard checksum == entry.checksum else { throw corrupt("CRC-32 mismatch") }
        let array = try NPYArray(data: [UInt8](data), archive: path, member: member)
        guard array.shape.count == dimensionCount else {
            throw corrupt("shape \(array.shape) has \(array.shape.count) dimensions, expected \(dimensionCount)")
        }
        return array
    }

    private func entry(_ member: String) -> Entry? {
        archive[member].flatMap { $0.type == .file ? $0 : nil }
    }
}

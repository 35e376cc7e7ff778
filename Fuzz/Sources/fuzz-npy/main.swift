import Foundation
import FuzzSupport
import PruneKit
import ZIPFoundation

/// A valid `.npy` array of `shape` unsigned bytes, header as NumPy writes it.
private func npy(shape: [Int], fill: UInt8) -> Data {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(\(shape.map(String.init).joined(separator: ", ")))"
    var header = "{'descr': '|u1', 'fortran_order': False, 'shape': \(shapeText), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    let count = header.utf8.count
    return Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(count & 0xFF), UInt8(count >> 8)] + Array(header.utf8)
                + [UInt8](repeating: fill, count: shape.reduce(1, *)))
}

private func add(_ data: Data, as name: String, to archive: Archive, compressed: Bool) throws {
    try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count),
                         compressionMethod: compressed ? .deflate : .none) { position, size in
        data[Int(position) ..< Int(position) + size]
    }
}

/// `.npy` members: the input becomes `x_train.npy` of an otherwise valid archive, stored or
/// deflated (by the parity of its length), so every input reaches the npy header parser.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let archive: Archive
    do {
        // Built in memory: ZIPFoundation writing to a file is ten times slower.
        archive = try Archive(data: Data(), accessMode: .create)
        let compressed = count % 2 == 1
        try add(Data(fuzzInput(start, count)), as: "x_train.npy", to: archive, compressed: compressed)
        try add(npy(shape: [2], fill: 1), as: "y_train.npy", to: archive, compressed: compressed)
        try add(npy(shape: [1, 2, 2], fill: 9), as: "x_test.npy", to: archive, compressed: compressed)
        try add(npy(shape: [1], fill: 3), as: "y_test.npy", to: archive, compressed: compressed)
    } catch {
        fatalError("could not build the archive around the input: \(error)")
    }
    let path = Scratch.path("input.npz")
    try! archive.data!.write(to: URL(fileURLWithPath: path))
    _ = try? MNIST.load(npz: path)
    return 0
}

runFuzzer(fuzzNPY)

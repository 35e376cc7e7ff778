import FuzzSupport
import PruneKit

/// Model files (`Checkpoint(contentsOf:)`, which `Sequential.load(from:)` reads through). The last
/// four bytes of an input are overwritten with the CRC-32 of the rest, as a model file ends, so
/// mutations reach the header and tensor decoders instead of stopping at the checksum.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    var bytes = [UInt8](fuzzInput(start, count))
    if bytes.count >= 28 {
        let crc = CRC32.checksum(bytes[..<(bytes.count - 4)])
        for index in 0 ..< 4 { bytes[bytes.count - 4 + index] = UInt8(truncatingIfNeeded: crc >> (8 * index)) }
    }
    let file = Scratch.write(bytes, to: "input.prunekit")
    if let checkpoint = try? Checkpoint(contentsOf: file) {
        // A model that loads must also describe itself and save again.
        _ = checkpoint.model.summary()
        try! checkpoint.write(to: Scratch.path("resaved.prunekit"), includeOptimizer: true)
    }
    return 0
}

runFuzzer(fuzzCheckpoint)

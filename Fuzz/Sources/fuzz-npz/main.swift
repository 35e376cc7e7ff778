import FuzzSupport
import PruneKit

/// Keras `mnist.npz` archives: the input is the whole zip file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPZ(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let file = Scratch.write(fuzzInput(start, count), to: "input.npz")
    _ = try? MNIST.load(npz: file)
    return 0
}

runFuzzer(fuzzNPZ)

import FuzzSupport
import PruneKit

/// A valid three-image file of 1×1 pixels and its labels, for the side not under test.
private let images = Scratch.write([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 1, 10, 20, 30], to: "images-idx3-ubyte")
private let labels = Scratch.write([0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3], to: "labels-idx1-ubyte")
/// No labels, so that an image file announcing no images reaches the dataset's shape checks.
private let noLabels = Scratch.write([0, 0, 8, 1, 0, 0, 0, 0], to: "empty-labels-idx1-ubyte")

/// IDX files, raw or gzip (recognised by magic): the input is read as an image file (beside three
/// labels and beside none) and as a label file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIDX(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let file = Scratch.write(fuzzInput(start, count), to: "input-idx")
    _ = try? Dataset(imagesFile: file, labelsFile: labels)
    _ = try? Dataset(imagesFile: file, labelsFile: noLabels)
    _ = try? Dataset(imagesFile: images, labelsFile: file)
    return 0
}

runFuzzer(fuzzIDX)

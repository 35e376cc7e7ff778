import Foundation

/// Train and test splits of MNIST-format data, and where they came from.
///
/// Every loader reads its files completely and checks them; any problem throws a ``DataError``
/// naming the file at fault, so a partial dataset is never returned.
public struct MNIST: Sendable {
    /// The training split.
    public var train: Dataset
    /// The test split.
    public var test: Dataset
    /// Human-readable provenance, e.g. "bundled MNIST sample (mnist-5k): 4,000 train + 1,000 test images"
    /// or "IDX files in /usr/share/datasets/fashion-mnist: 60,000 train + 10,000 test images".
    public var source: String

    /// The number of images of the bundled sample that go to the test split.
    private static let bundledTestCount = 1_000

    private init(train: Dataset, test: Dataset, origin: String) {
        self.train = train
        self.test = test
        source = "\(origin): \(train.count.grouped) train + \(test.count.grouped) test images"
    }

    /// The bundled sample: 5,000 real MNIST training digits; first 4,000 → train, last 1,000 → test (deterministic).
    ///
    /// - Throws: A ``DataError`` if the bundled resource is missing or damaged.
    public static func load() throws(DataError) -> MNIST {
        guard let directory = Bundle.module.url(forResource: "mnist-5k", withExtension: nil) else {
            throw .missingFile(path: "mnist-5k (bundled resource of PruneKit)")
        }
        let all = try Dataset(imagesFile: directory.appendingPathComponent("images-idx3-ubyte.gz").path,
                              labelsFile: directory.appendingPathComponent("labels-idx1-ubyte.gz").path)
        precondition(all.count > bundledTestCount, "the bundled sample holds only \(all.count) images")
        let split = all.count - bundledTestCount
        return MNIST(train: all.slice(0 ..< split), test: all.slice(split ..< all.count),
                     origin: "bundled MNIST sample (mnist-5k)")
    }

    /// The standard four files in a directory, each raw or `.gz`: train-images-idx3-ubyte, train-labels-idx1-ubyte,
    /// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte. A raw file is preferred when both forms exist.
    ///
    /// Works for Fashion-MNIST's directory too (for example `/usr/share/datasets/fashion-mnist`), which uses
    /// the same names. A `path` that is a file is read as Keras's `.npz` archive with ``load(npz:)``.
    ///
    /// - Parameter path: A directory holding the four IDX files, or an `.npz` file.
    /// - Throws: ``DataError/missingFile(path:)`` naming the raw path of the first file found in neither form,
    ///   and any error of ``Dataset/init(imagesFile:labelsFile:classCount:)`` or ``load(npz:)``.
    public static func load(from path: String) throws(DataError) -> MNIST {
        if FileAccess.isFile(path) { return try load(npz: path) }
        guard FileAccess.isDirectory(path) else { throw .missingFile(path: path) }
        let directory = URL(fileURLWithPath: path, isDirectory: true)
        func locate(_ name: String) throws(DataError) -> String {
            let raw = directory.appendingPathComponent(name).path
            if FileAccess.isFile(raw) { return raw }
            let compressed = raw + ".gz"
            if FileAccess.isFile(compressed) { return compressed }
            throw .missingFile(path: raw)
        }
        let trainImages = try locate("train-images-idx3-ubyte")
        let trainLabels = try locate("train-labels-idx1-ubyte")
        let testImages = try locate("t10k-images-idx3-ubyte")
        let testLabels = try locate("t10k-labels-idx1-ubyte")
        return MNIST(train: try Dataset(imagesFile: trainImages, labelsFile: trainLabels),
                     test: try Dataset(imagesFile: testImages, labelsFile: testLabels),
                     origin: "IDX files in \(path)")
    }

    /// Keras's `mnist.npz`, the file `keras.datasets.mnist.load_data()` caches, with members
    /// `x_train.npy` (`[count, 28, 28]` bytes), `y_train.npy`, `x_test.npy` and `y_test.npy`.
    ///
    /// - Parameter path: The `.npz` file.
    /// - Throws: ``DataError/missingFile(path:)`` when `path` is not a file,
    ///   ``DataError/corruptArchive(file:detail:)`` when it is not a zip archive, lacks a member or holds a
    ///   damaged one, ``DataError/unsupported(file:detail:)`` for arrays that are not integers in 0...255,
    ///   ``DataError/countMismatch(images:imageCount:labels:labelCount:)`` and
    ///   ``DataError/labelOutOfRange(file:index:label:classCount:)``.
    public static func load(npz path: String) throws(DataError) -> MNIST {
        let archive = try NPZFile(path: path)
        try archive.requireMembers(["x_train.npy", "y_train.npy", "x_test.npy", "y_test.npy"])
        func split(_ images: String, _ labels: String) throws(DataError) -> Dataset {
            let x = try archive.array(named: images, dimensionCount: 3)
            let y = try archive.array(named: labels, dimensionCount: 1)
            return try Dataset(images: x.bytes, dimensions: x.shape, imagesSource: "\(path) (\(images))",
                               labels: y.bytes, labelsSource: "\(path) (\(labels))", classCount: 10)
        }
        return MNIST(train: try split("x_train.npy", "y_train.npy"), test: try split("x_test.npy", "y_test.npy"),
                     origin: "Keras npz archive \(path)")
    }
}

/// Labelled grey-scale images kept as raw bytes, as they are stored on disk.
///
/// Pixels stay `UInt8` in memory (a quarter of the size of `Float`); batches are converted on the
/// fly with Keras's preprocessing, `Float(pixel) / 255` and one-hot labels, which gives exactly the
/// values `x.astype("float32") / 255` gives in NumPy.
public struct Dataset: Sendable, Equatable {
    /// Row-major pixels, `count × height × width × channels` bytes.
    public let pixels: [UInt8]
    /// One class index per image, each below `classCount`.
    public let labels: [UInt8]
    /// The shape of one image, channels last (`[28, 28, 1]` for MNIST).
    public let imageShape: [Int]
    /// The number of classes labels are drawn from.
    public let classCount: Int

    /// Creates a dataset, checking that pixels and labels agree.
    ///
    /// - Throws: ``DataError/unsupported(file:detail:)`` for an image shape with a dimension that is
    ///   not positive or with more pixels than can be addressed,
    ///   ``DataError/countMismatch(images:imageCount:labels:labelCount:)`` when the pixel
    ///   count is not `labels.count` whole images, ``DataError/labelOutOfRange(file:index:label:classCount:)``
    ///   when a label is not below `classCount`.
    public init(pixels: [UInt8], labels: [UInt8], imageShape: [Int], classCount: Int = 10,
                source: String = "memory") throws(DataError) {
        var imageSize = 1
        for dimension in imageShape {
            let (product, overflow) = imageSize.multipliedReportingOverflow(by: dimension)
            guard dimension > 0, !overflow else {
                throw .unsupported(file: source, detail: "image shape \(imageShape): every dimension must be "
                                   + "positive and the pixels of one image addressable")
            }
            imageSize = product
        }
        let (expectedPixels, overflow) = labels.count.multipliedReportingOverflow(by: imageSize)
        guard !overflow, pixels.count == expectedPixels else {
            throw .countMismatch(images: source, imageCount: pixels.count / imageSize,
                                 labels: source, labelCount: labels.count)
        }
        if let index = labels.firstIndex(where: { Int($0) >= classCount }) {
            throw .labelOutOfRange(file: source, index: index, label: Int(labels[index]), classCount: classCount)
        }
        self.pixels = pixels
        self.labels = labels
        self.imageShape = imageShape
        self.classCount = classCount
    }

    private init(unchecked pixels: [UInt8], labels: [UInt8], imageShape: [Int], classCount: Int) {
        self.pixels = pixels
        self.labels = labels
        self.imageShape = imageShape
        self.classCount = classCount
    }

    /// The number of images.
    public var count: Int { labels.count }

    /// The number of values in one image.
    public var imageSize: Int { imageShape.reduce(1, *) }

    /// The images in `range`, in order.
    public func slice(_ range: Range<Int>) -> Dataset {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "slice \(range) is outside 0..<\(count)")
        return Dataset(unchecked: Array(pixels[range.lowerBound * imageSize ..< range.upperBound * imageSize]),
                       labels: Array(labels[range]), imageShape: imageShape, classCount: classCount)
    }

    /// All images as one `Float` tensor `[count] + imageShape`, scaled to [0, 1].
    public var images: Tensor {
        Tensor(shape: [count] + imageShape, scalars: pixels.map { Float($0) / 255 })
    }

    /// All labels one-hot encoded, `[count, classCount]`.
    public var oneHotLabels: Tensor {
        var scalars = [Float](repeating: 0, count: count * classCount)
        for (i, label) in labels.enumerated() { scalars[i * classCount + Int(label)] = 1 }
        return Tensor(shape: [count, classCount], scalars: scalars)
    }

    /// How many images each class has, indexed by class.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[Int(label)] += 1 }
        return counts
    }

    /// Writes the images at `indices` into `destination` as scaled `Float`s, one image after another.
    func writeImages(at indices: ArraySlice<Int>, to destination: UnsafeMutablePointer<Float>) {
        let size = imageSize
        pixels.withUnsafeBufferPointer { source in
            for (row, index) in indices.enumerated() {
                let from = source.baseAddress! + index * size
                let to = destination + row * size
                for j in 0..<size { to[j] = Float(from[j]) / 255 }
            }
        }
    }
}

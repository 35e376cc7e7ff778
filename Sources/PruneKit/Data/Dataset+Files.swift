extension Dataset {
    /// Reads a dataset from an IDX image file and an IDX label file, each raw or gzip-compressed.
    ///
    /// The image file must hold unsigned bytes shaped `[count, rows, cols]` (magic 2051) and the label
    /// file `count` unsigned bytes (magic 2049); the images get ``imageShape`` `[rows, cols, 1]`.
    /// Both files are checked to exist before either is read.
    ///
    /// - Parameters:
    ///   - imagesFile: The path of the image file, for example `train-images-idx3-ubyte.gz`.
    ///   - labelsFile: The path of the label file, for example `train-labels-idx1-ubyte.gz`.
    ///   - classCount: The number of classes; every label must be below it.
    /// - Throws: ``DataError/missingFile(path:)``, ``DataError/corruptGzip(file:detail:)``,
    ///   ``DataError/badMagic(file:expected:found:)``, ``DataError/truncated(file:expectedBytes:actualBytes:)``,
    ///   ``DataError/oversized(file:expectedBytes:actualBytes:)``, ``DataError/unsupported(file:detail:)``,
    ///   ``DataError/countMismatch(images:imageCount:labels:labelCount:)`` or
    ///   ``DataError/labelOutOfRange(file:index:label:classCount:)``, each naming the file at fault.
    public init(imagesFile: String, labelsFile: String, classCount: Int = 10) throws(DataError) {
        try FileAccess.requireFile(imagesFile)
        try FileAccess.requireFile(labelsFile)
        let images = try IDXFile(contentsOf: imagesFile, dimensionCount: 3)
        let labels = try IDXFile(contentsOf: labelsFile, dimensionCount: 1)
        try self.init(images: images.payload, dimensions: images.dimensions, imagesSource: imagesFile,
                      labels: labels.payload, labelsSource: labelsFile, classCount: classCount)
    }

    /// Creates a dataset from `[count, rows, cols]` pixels and their labels, naming their sources in errors.
    ///
    /// - Throws: ``DataError/unsupported(file:detail:)`` for images without pixels or with more than
    ///   can be addressed,
    ///   ``DataError/countMismatch(images:imageCount:labels:labelCount:)`` when the counts differ,
    ///   ``DataError/labelOutOfRange(file:index:label:classCount:)`` when a label is not below `classCount`.
    init(images: [UInt8], dimensions: [Int], imagesSource: String,
         labels: [UInt8], labelsSource: String, classCount: Int) throws(DataError) {
        precondition(dimensions.count == 3, "images must have 3 dimensions, not \(dimensions.count)")
        let (count, rows, cols) = (dimensions[0], dimensions[1], dimensions[2])
        guard rows > 0, cols > 0, !rows.multipliedReportingOverflow(by: cols).overflow else {
            throw .unsupported(file: imagesSource, detail: "images of \(rows)×\(cols) pixels")
        }
        guard count == labels.count else {
            throw .countMismatch(images: imagesSource, imageCount: count, labels: labelsSource, labelCount: labels.count)
        }
        try self.init(pixels: images, labels: labels, imageShape: [rows, cols, 1], classCount: classCount,
                      source: labelsSource)
    }
}

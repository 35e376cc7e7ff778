extension Sequential {
    /// The CNN of the article PruneKit follows (the classic Keras MNIST example), 431,242 parameters:
    ///
    ///     Conv2D(32, 3×3, relu) → MaxPooling2D(2×2) → Dropout(0.25)
    ///     → Conv2D(64, 3×3, relu) → MaxPooling2D(2×2) → Dropout(0.25)
    ///     → Flatten → Dense(256, relu) → Dense(classes, softmax)
    ///
    /// - Parameters:
    ///   - inputShape: one image, channels last; `[28, 28, 1]` for MNIST.
    ///   - classes: the number of outputs.
    ///   - seed: the seed of the weight initialisation.
    public static func articleCNN(inputShape: [Int] = [28, 28, 1], classes: Int = 10, seed: UInt64 = 0) throws(ModelError) -> Sequential {
        try Sequential(inputShape: inputShape, seed: seed) {
            Conv2D(filters: 32, kernelSize: 3, activation: .relu)
            MaxPool2D(poolSize: 2)
            Dropout(0.25)
            Conv2D(filters: 64, kernelSize: 3, activation: .relu)
            MaxPool2D(poolSize: 2)
            Dropout(0.25)
            Flatten()
            Dense(256, activation: .relu)
            Dense(classes, activation: .softmax)
        }
    }
}

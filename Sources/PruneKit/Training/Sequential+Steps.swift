extension Sequential {
    /// How many of `samples` `fit(_:validationSplit:)` trains on: Keras's rule
    /// `⌊samples · (1 − validationSplit)⌋`, the first ones; the rest validate.
    public static func trainingCount(samples: Int, validationSplit: Double) -> Int {
        Int((Double(samples) * (1 - validationSplit)).rounded(.down))
    }

    /// Training steps (batches) per epoch of `fit` over `samples` with this split and batch size:
    /// `⌈trainingCount / batchSize⌉`, the last batch possibly smaller. Pruning schedules count these steps.
    public static func stepsPerEpoch(samples: Int, batchSize: Int, validationSplit: Double) -> Int {
        (trainingCount(samples: samples, validationSplit: validationSplit) + batchSize - 1) / batchSize
    }
}

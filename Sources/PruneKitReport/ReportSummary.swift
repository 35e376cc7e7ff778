import PruneKit

/// `summary.json`: the report's figures for scripts and CI, so a run can be read without parsing Markdown.
public struct ReportSummary: Sendable, Codable, Equatable {
    public struct Layer: Sendable, Codable, Equatable {
        public var name: String
        public var targetSparsity: Double
        public var finalSparsity: Double
        public var weights: Int
        public var nonZeros: Int
    }

    public struct Model: Sendable, Codable, Equatable {
        public var testLoss: Double
        public var testAccuracy: Double
        public var sparsity: Double
        public var fileBytes: Int
        public var gzipBytes: Int
        public var trainingImagesPerSecond: Double
    }

    public var data: String
    public var trainingImages: Int, fitImages: Int, validationImages: Int, testImages: Int
    public var epochs: Int, batchSize: Int, seed: UInt64
    public var beginStep: Int, endStep: Int, totalSteps: Int
    /// The last targeted sparsity's shortfall from the schedule's final target (tfmot's end-step quirk).
    public var scheduleShortfall: Double
    public var pruned: Model
    public var baseline: Model?
    public var layers: [Layer]
    public var command: String

    init(_ logs: ReportLogs) {
        let results = logs.results
        func model(_ run: RunResults) -> Model {
            Model(testLoss: run.test.loss, testAccuracy: run.test.accuracy, sparsity: run.sparsity.totalSparsity,
                  fileBytes: run.fileBytes, gzipBytes: run.gzipBytes, trainingImagesPerSecond: run.imagesPerSecond)
        }
        let target = logs.pruned.run.pruning?.finalSparsity ?? 0
        data = results.dataSource
        (trainingImages, fitImages, validationImages, testImages) = (results.trainingImages, results.fitImages, results.validationImages, results.testImages)
        (epochs, batchSize, seed) = (results.configuration.epochs, results.configuration.batchSize, results.configuration.seed)
        (beginStep, endStep, totalSteps) = (results.beginStep, results.endStep, results.totalSteps)
        scheduleShortfall = Double(logs.pruned.run.pruning?.shortfall ?? 0)
        pruned = model(results.pruned)
        baseline = results.baseline.map(model)
        layers = results.pruned.sparsity.rows.filter(\.pruned).map {
            Layer(name: $0.layer, targetSparsity: target, finalSparsity: $0.sparsity, weights: $0.weights, nonZeros: $0.nonZeros)
        }
        command = results.configuration.command
    }
}

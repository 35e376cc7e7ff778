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

    /// One compression stage: its file raw and gzip -9, how many times smaller each is than the
    /// dense float32 file raw, and its test accuracy (`nil` when unchanged from the stage before,
    /// or for a dense stage that is not a trained model).
    public struct Stage: Sendable, Codable, Equatable {
        public var name: String
        public var fileBytes: Int, gzipBytes: Int
        public var smaller: Double, gzipSmaller: Double
        public var testAccuracy: Double?
    }

    /// The stripped pruned model's inference on its default kernels against dense ones.
    public struct Inference: Sendable, Codable, Equatable {
        public var images: Int, batchSize: Int, timedPasses: Int
        /// The layers that ran on sparse kernels.
        public var sparseLayers: [String]
        public var denseImagesPerSecond: Double, sparseImagesPerSecond: Double
        /// Sparse (default) images per second over dense ones.
        public var speedup: Double
        public var maxAbsoluteDifference: Double, argmaxDisagreements: Int
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
    /// Deep Compression's stages; `nil` for results written before they were measured.
    public var stages: [Stage]?
    /// Whether the dense float32 stage is the trained baseline (else the untrained network).
    public var denseStageIsBaseline: Bool?
    public var inference: Inference?
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
        if let deployment = results.deployment {
            let compression = deployment.stages
            stages = compression.stages.enumerated().map { index, stage in
                Stage(name: stage.name, fileBytes: stage.fileBytes, gzipBytes: stage.gzipBytes, smaller: compression.reduction(of: stage),
                      gzipSmaller: compression.reduction(of: stage, compressed: true),
                      testAccuracy: index == 0 && !deployment.denseIsBaseline ? nil : stage.testAccuracy)
            }
            denseStageIsBaseline = deployment.denseIsBaseline
            let speed = deployment.inference
            inference = Inference(images: speed.samples, batchSize: speed.batchSize, timedPasses: speed.repeats, sparseLayers: speed.sparseLayers,
                                  denseImagesPerSecond: speed.denseSamplesPerSecond, sparseImagesPerSecond: speed.sparseSamplesPerSecond,
                                  speedup: speed.speedup, maxAbsoluteDifference: Double(speed.maxAbsoluteDifference),
                                  argmaxDisagreements: speed.argmaxDisagreements)
        }
        command = results.configuration.command
    }
}

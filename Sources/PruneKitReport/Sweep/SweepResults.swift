import PruneKit

/// One finished run of a sweep, as `runs/<id>.json` stores it.
public struct SweepRunResult: Sendable, Codable, Equatable {
    /// What was run.
    public var run: SweepConfiguration.Run
    /// Test loss and accuracy of the (stripped) model.
    public var test: Evaluation
    /// Measured sparsity of all kernels at the end.
    public var sparsity: Double
    /// Seconds of training.
    public var trainingSeconds: Double
    /// Where the data came from (`MNIST.source`).
    public var dataSource: String
}

/// Distiller's sensitivity analysis of a trained unpruned model: each layer pruned alone, by
/// magnitude, to each level, without retraining, and the test accuracy measured.
public struct SensitivityAnalysis: Sendable, Codable, Equatable {
    /// One layer pruned to one level.
    public struct Point: Sendable, Codable, Equatable {
        public var sparsity: Double, accuracy: Double, loss: Double
    }

    /// One layer's accuracy at each level.
    public struct Layer: Sendable, Codable, Equatable {
        public var name: String
        public var points: [Point]
    }

    /// The id of the sweep run whose model was analysed.
    public var run: String
    /// That model's test accuracy, unpruned.
    public var accuracy: Double
    /// Per layer, in model order.
    public var layers: [Layer]

    /// Prunes each kernel of `model` alone to each of `levels` (tfmot's magnitude mask) and
    /// scores the model on `test`.
    public static func measure(_ model: Sequential, run: String, levels: [Double], on test: Dataset) throws -> SensitivityAnalysis {
        let unpruned = try model.evaluate(test)
        var layers: [Layer] = []
        for (index, name) in model.layerNames.enumerated() {
            var parameters = model.layers[index].parameters
            guard let kernelIndex = model.layers[index].parameterNames.firstIndex(of: "kernel") else { continue }
            let kernel = parameters[kernelIndex]
            var points: [Point] = []
            for level in levels {
                let mask = try MagnitudeMask(weights: kernel, sparsity: Float(level))
                parameters[kernelIndex] = Tensor(shape: kernel.shape, scalars: zip(kernel.scalars, mask.mask.scalars).map { $0 * $1 })
                var pruned = model
                try pruned.setParameters(parameters, ofLayer: name)
                let score = try pruned.evaluate(test)
                points.append(Point(sparsity: level, accuracy: score.accuracy, loss: score.loss))
            }
            layers.append(Layer(name: name, points: points))
        }
        return SensitivityAnalysis(run: run, accuracy: unpruned.accuracy, layers: layers)
    }
}

/// One configuration of the sweep (a sparsity of the grid, or a variant) over its seeds.
public struct SweepPoint: Sendable, Equatable {
    /// The target final sparsity (0 for the baseline).
    public var sparsity: Double
    /// The variant, `nil` for the grid.
    public var variant: SweepVariant?
    /// The runs, one per seed, in seed order.
    public var runs: [SweepRunResult]

    /// Mean, lowest and highest test accuracy over the seeds.
    public var mean: Double { runs.map(\.test.accuracy).reduce(0, +) / Double(max(runs.count, 1)) }
    public var lowest: Double { runs.map(\.test.accuracy).min() ?? 0 }
    public var highest: Double { runs.map(\.test.accuracy).max() ?? 0 }

    /// "87.5%, the article's schedule" or "87.5%, masks updated every 25 steps".
    public var label: String {
        let percent = SweepPoint.percent(sparsity)
        guard let variant else { return sparsity == 0 ? "0% (unpruned baseline)" : "\(percent), the article's schedule" }
        return "\(percent), \(variant.explanation)"
    }

    static func percent(_ fraction: Double) -> String {
        let text = String(format: "%.3f", fraction * 100)
        var trimmed = text
        while trimmed.hasSuffix("0") { trimmed.removeLast() }
        if trimmed.hasSuffix(".") { trimmed.removeLast() }
        return trimmed + "%"
    }
}

/// What a sweep found: the accuracy curve, the knee, the variants and a recommendation.
public struct SweepFindings: Sendable {
    /// The grid, by sparsity.
    public var grid: [SweepPoint]
    /// The variants.
    public var variants: [SweepPoint]
    /// The sensitivity analysis, when it ran.
    public var sensitivity: SensitivityAnalysis?

    public init(configuration: SweepConfiguration, results: [SweepRunResult], sensitivity: SensitivityAnalysis?) {
        func point(_ sparsity: Double, _ variant: SweepVariant?) -> SweepPoint {
            SweepPoint(sparsity: sparsity, variant: variant, runs: results.filter {
                $0.run.variant == variant && $0.run.configuration.finalSparsity == sparsity
            }.sorted { $0.run.configuration.seed < $1.run.configuration.seed })
        }
        grid = configuration.sparsities.sorted().map { point($0, nil) }.filter { !$0.runs.isEmpty }
        variants = configuration.variants.map { point(configuration.variantSparsity, $0) }.filter { !$0.runs.isEmpty }
        self.sensitivity = sensitivity
    }

    /// Where the data came from, as the runs record it.
    public var dataSource: String { (grid + variants).first?.runs.first?.dataSource ?? "" }

    /// The unpruned baseline's point.
    public var baseline: SweepPoint? { grid.first { $0.sparsity == 0 } }

    /// The largest sparsity of the grid whose mean accuracy is within
    /// ``SweepConfiguration/kneeTolerance`` points of the baseline's mean; `nil` when none is.
    public var knee: SweepPoint? {
        guard let baseline else { return nil }
        return grid.filter { $0.sparsity > 0 && $0.mean >= baseline.mean - SweepConfiguration.kneeTolerance / 100 }
            .max { $0.sparsity < $1.sparsity }
    }

    /// The configuration to use: of all pruned configurations (grid and variants) within the
    /// tolerance of the baseline, the sparsest, and of those the most accurate; when none is
    /// within it, the most accurate pruned configuration.
    public var recommendation: (point: SweepPoint, withinTolerance: Bool)? {
        let pruned = (grid + variants).filter { $0.sparsity > 0 }
        guard let baseline, !pruned.isEmpty else { return nil }
        let within = pruned.filter { $0.mean >= baseline.mean - SweepConfiguration.kneeTolerance / 100 }
        if let best = within.max(by: { ($0.sparsity, $0.mean) < ($1.sparsity, $1.mean) }) { return (best, true) }
        return (pruned.max { $0.mean < $1.mean }!, false)
    }
}

/// What `report sweep` runs: the article's experiment at every final sparsity of a grid, each with
/// several seeds, plus schedule variants at one sparsity, and a sensitivity analysis of a trained
/// unpruned model. A sweep is a list of ``ExperimentConfiguration``s (``runs``).
public struct SweepConfiguration: Sendable, Equatable, Codable {
    /// Everything but the final sparsity and the seed: data, epochs, schedule fractions…
    public var base = ExperimentConfiguration()
    /// Final sparsities; 0 is the unpruned baseline.
    public var sparsities: [Double] = [0, 0.5, 0.75, 0.875, 0.9375, 0.96875]
    /// Seeds of every configuration.
    public var seeds: [UInt64] = [1, 2, 3]
    /// Schedule variants, run at ``variantSparsity``.
    public var variants: [SweepVariant] = SweepVariant.defaults
    /// The final sparsity the variants are run at.
    public var variantSparsity = 0.875
    /// Sparsities each layer is pruned to, alone, for the sensitivity analysis.
    public var sensitivityLevels: [Double] = [0.5, 0.75, 0.9, 0.95]
    /// The knee: the largest sparsity whose mean accuracy is within this many points of the baseline's.
    public static let kneeTolerance = 0.5

    public init() {}

    /// One training run of the sweep.
    public struct Run: Sendable, Hashable, Codable {
        /// A file-name-safe identifier of the run (`s0.875-seed2`, `s0.875-frequency=25-seed1`).
        public var id: String
        /// The experiment; `finalSparsity` 0 means the unpruned baseline.
        public var configuration: ExperimentConfiguration
        /// The variant, `nil` for the grid's runs.
        public var variant: SweepVariant?
        /// Whether the run is the unpruned baseline.
        public var isBaseline: Bool { configuration.finalSparsity == 0 }
    }

    /// Every run, seed by seed: for each seed the grid (by sparsity), then the variants, so that a
    /// sweep stopped early has every configuration with its first seeds.
    public var runs: [Run] {
        var base = self.base
        base.baseline = false
        var runs: [Run] = []
        for seed in seeds {
            for sparsity in sparsities {
                var configuration = base
                configuration.finalSparsity = sparsity
                configuration.seed = seed
                runs.append(Run(id: "s\(sparsity)-seed\(seed)", configuration: configuration, variant: nil))
            }
            for variant in variants {
                var configuration = variant.applied(to: base)
                configuration.finalSparsity = variantSparsity
                configuration.seed = seed
                runs.append(Run(id: "s\(variantSparsity)-\(variant)-seed\(seed)", configuration: configuration, variant: variant))
            }
        }
        return runs
    }

    /// Checks the grid.
    ///
    /// - Throws: ``ReportError/invalidParameter(_:)`` naming the option.
    public func validate() throws(ReportError) {
        guard !sparsities.isEmpty else { throw .invalidParameter("--sparsities: give at least one sparsity") }
        guard sparsities.contains(0) else { throw .invalidParameter("--sparsities must include 0, the unpruned baseline the knee is measured against") }
        guard !seeds.isEmpty else { throw .invalidParameter("--seeds: give at least one seed") }
        for value in sparsities + [variantSparsity] + sensitivityLevels where !(value >= 0 && value < 1) {
            throw .invalidParameter("sparsities must be in [0, 1), got \(value)")
        }
        guard Set(sparsities).count == sparsities.count, Set(seeds).count == seeds.count, Set(variants).count == variants.count else {
            throw .invalidParameter("--sparsities, --seeds and --variants must not repeat a value")
        }
    }
}

import ArgumentParser
import Foundation
import PruneKitReport

extension Report {
    /// `report sweep`: accuracy against sparsity, the knee, schedule variants, per-layer sensitivity.
    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sweep final sparsity, seeds and schedule variants, and write what sparsity the CNN can afford.",
            discussion: """
            Runs the article's experiment (30 epochs, batch 250, PolynomialDecay between 20% and 100% of the steps, \
            masks every 100 steps) at every final sparsity of the grid, each with every seed — by default \
            0 (the unpruned baseline), 0.5, 0.75, 0.875, 0.9375 and 0.96875, seeds 1, 2, 3 — then, at \
            --variant-sparsity (0.875), the variants end=0.8 (pruning ends at 80% of the steps), frequency=25 \
            (masks updated every 25 steps) and epochs=45 (a longer run), with the same seeds: 27 runs. It \
            also prunes one layer at a time of the first baseline's trained model to 50/75/90/95% without \
            retraining (Distiller's sensitivity analysis). Writes Reports/<run>-sweep/report.md with \
            accuracy.png (mean and seed spread), the knee (the largest sparsity whose mean accuracy is within \
            0.5 points of the baseline's), sensitivity.png and a recommendation that is one of the runs. Each \
            finished run is stored in runs/<id>.json; running the same command again skips finished runs, \
            so an interrupted sweep resumes where it stopped.
            """)

        @OptionGroup var source: DataOptions

        @Option(help: "Passes over the training data (of the grid's runs; the epochs variant sets its own).")
        var epochs = 30

        @Option(name: .customLong("batch-size"), help: "Images per gradient step.")
        var batchSize = 250

        @Option(help: "Masks are updated every this many steps (of the grid's runs; the frequency variant sets its own).")
        var frequency = 100

        @Option(help: ArgumentHelp("Final sparsities of the grid, comma-separated; must include 0, the baseline.", valueName: "list"))
        var sparsities = "0,0.5,0.75,0.875,0.9375,0.96875"

        @Option(help: ArgumentHelp("Seeds of every configuration, comma-separated.", valueName: "list"))
        var seeds = "1,2,3"

        @Option(help: ArgumentHelp("Schedule variants, comma-separated: end=<fraction|step>, frequency=<steps>, epochs=<n>; or none.", valueName: "list"))
        var variants = "end=0.8,frequency=25,epochs=45"

        @Option(name: .customLong("variant-sparsity"), help: "The final sparsity the variants run at.")
        var variantSparsity = 0.875

        @Option(help: ArgumentHelp("Sparsities of the per-layer sensitivity analysis, comma-separated.", valueName: "list"))
        var levels = "0.5,0.75,0.9,0.95"

        @Flag(name: .customLong("report-only"), help: "Write the report from the runs finished so far, without training the others.")
        var reportOnly = false

        @Option(help: ArgumentHelp("The sweep's directory. Default: Reports/<run>-sweep, <run> named after the data.", valueName: "dir"))
        var out: String?

        func sweepConfiguration() throws -> SweepConfiguration {
            func list<T>(_ text: String, _ option: String, _ parse: (String) -> T?) throws -> [T] {
                try text.split(separator: ",").map { item in
                    let trimmed = item.trimmingCharacters(in: .whitespaces)
                    guard let value = parse(trimmed) else { throw ValidationError("--\(option): cannot read '\(trimmed)'") }
                    return value
                }
            }
            var configuration = SweepConfiguration()
            configuration.base.dataPath = source.data
            configuration.base.trainingSubset = source.subset
            configuration.base.epochs = epochs
            configuration.base.batchSize = batchSize
            configuration.base.frequency = frequency
            configuration.sparsities = try list(sparsities, "sparsities") { Double($0) }
            configuration.seeds = try list(seeds, "seeds") { UInt64($0) }
            configuration.variants = variants == "none" ? [] : try list(variants, "variants") { SweepVariant($0) }
            configuration.variantSparsity = variantSparsity
            configuration.sensitivityLevels = try list(levels, "levels") { Double($0) }
            return configuration
        }

        func validate() throws {
            let configuration = try sweepConfiguration()
            do {
                try configuration.validate()
                try configuration.base.validate()
            } catch { throw ValidationError(error.description) }
        }

        func run() throws {
            let configuration = try sweepConfiguration()
            let out = self.out ?? "Reports/\(Report.Run.runName(dataPath: source.data))-sweep"
            let sweep = PruneKitReport.Sweep(configuration: configuration, directory: out)
            let started = Date()
            // Progress goes straight to standard output, unbuffered, so a log file shows it as it happens.
            let findings = reportOnly ? try sweep.storedFindings() : try sweep.run { progress in
                FileHandle.standardOutput.write(Data((progress.line + "\n").utf8))
            }
            try SweepReport(configuration: configuration, findings: findings).write(into: out)
            print(String(format: "\nSweep: %@ (%.1f min in this session)", (out as NSString).appendingPathComponent("report.md"),
                         Date().timeIntervalSince(started) / 60))
            if let knee = findings.knee { print("Knee: \(knee.label)") } else { print("Knee: none") }
            if let (point, _) = findings.recommendation { print(String(format: "Recommendation: %@, mean test accuracy %.4f", point.label, point.mean)) }
        }
    }
}

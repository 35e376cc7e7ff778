import Foundation
import Testing
@testable import PruneKit
@testable import PruneKitReport

/// `report sweep` on a tiny grid and data subset: every run stored, resumed without training,
/// the knee and recommendation computed from the runs, and the report written.
@Suite(.serialized) struct SweepTests {
    private func tinySweep(in directory: TemporaryDirectory) throws -> SweepConfiguration {
        var sweep = SweepConfiguration()
        sweep.base = try ReportTests.tinyConfiguration(in: directory)
        sweep.base.epochs = 2
        sweep.base.end = .fraction(1.0)
        sweep.base.begin = .fraction(0.2)
        sweep.base.frequency = 2
        sweep.sparsities = [0, 0.5]
        sweep.seeds = [1]
        sweep.variants = [.frequency(1)]
        sweep.variantSparsity = 0.5
        sweep.sensitivityLevels = [0.5, 0.9]
        return sweep
    }

    @Test func aTinySweepRunsStoresResumesAndReports() throws {
        let directory = try TemporaryDirectory()
        let configuration = try tinySweep(in: directory)
        #expect(configuration.runs.map(\.id) == ["s0.0-seed1", "s0.5-seed1", "s0.5-frequency=1-seed1"])
        let sweep = Sweep(configuration: configuration, directory: directory.path("sweep"))
        var lines: [String] = []
        let findings = try sweep.run { lines.append($0.line) }
        #expect(lines.first == "run 1 of 3 (s0.0-seed1): training")
        #expect(lines.contains { $0.hasPrefix("run 3 of 3 (s0.5-frequency=1-seed1): test accuracy") && $0.contains("left") })
        #expect(findings.grid.map(\.sparsity) == [0, 0.5] && findings.variants.count == 1)
        #expect(abs(findings.grid[1].runs[0].sparsity - 0.5) < 0.01)
        let sensitivity = try #require(findings.sensitivity)
        #expect(sensitivity.run == "s0.0-seed1" && sensitivity.layers.map(\.name) == ["conv2d", "conv2d_1", "dense", "dense_1"])
        #expect(sensitivity.layers.allSatisfy { $0.points.map(\.sparsity) == [0.5, 0.9] })
        #expect(sensitivity.accuracy == findings.baseline?.runs[0].test.accuracy)

        // Resuming: nothing is trained again.
        var resumed: [Sweep.Progress] = []
        let again = try sweep.run { resumed.append($0) }
        #expect(resumed.count == 3 && resumed.allSatisfy(\.resumed))
        #expect(again.grid == findings.grid && again.variants == findings.variants)

        // An interrupted sweep (one run's file missing) trains only that run.
        try FileManager.default.removeItem(atPath: sweep.resultPath(configuration.runs[1]))
        let stored = try sweep.storedFindings()
        #expect(SweepReport(configuration: configuration, findings: stored).markdown
            .contains("**Incomplete**: this report covers 2 of the sweep's 3 runs; not run yet: `s0.5-seed1`."))
        var partial: [Sweep.Progress] = []
        _ = try sweep.run { partial.append($0) }
        #expect(partial.filter { !$0.resumed }.map(\.run.id) == ["s0.5-seed1", "s0.5-seed1"])

        // The report: curve, knee, sensitivity, and a recommendation that is one of the runs.
        let report = SweepReport(configuration: configuration, findings: again)
        try report.write(into: directory.path("sweep"))
        let markdown = try String(contentsOfFile: directory.path("sweep/report.md"), encoding: .utf8)
        let recommended = try #require(again.recommendation)
        #expect(markdown.contains("**Recommendation: \(recommended.point.label)**"))
        #expect(markdown.contains(String(format: "%.2f%%", recommended.point.runs[0].test.accuracy * 100)))
        #expect(markdown.contains("**Knee: "))
        for image in ["accuracy.png", "sensitivity.png"] {
            #expect(FileManager.default.fileExists(atPath: directory.path("sweep/\(image)")))
            #expect(markdown.contains("](\(image))"))
        }
        #expect(markdown.contains(report.command))
    }

    @Test func aRunInterruptedMidwayContinuesFromItsLastEpoch() throws {
        /// Stops training after the first epoch of the pruned run (once its checkpoint is saved),
        /// or records the epochs trained.
        final class Interrupt: Callback {
            struct Stop: Error {}
            let stopping: Bool
            var startEpochs: [Int] = []
            init(stopping: Bool) { self.stopping = stopping }
            func epochBegin(_ state: inout TrainingState) throws { startEpochs.append(state.epoch) }
            func epochEnd(_ state: inout TrainingState) throws {
                if stopping, state.model.pruning != nil { throw Stop() }
            }
        }
        let directory = try TemporaryDirectory()
        var configuration = try tinySweep(in: directory)
        configuration.variants = []
        let reference = try Sweep(configuration: configuration, directory: directory.path("reference")).run()
        let sweep = Sweep(configuration: configuration, directory: directory.path("sweep"))
        let pruned = configuration.runs[1]
        #expect(throws: (any Error).self) { try sweep.run(callbacks: [Interrupt(stopping: true)]) }
        #expect(sweep.finished(pruned) == nil)
        #expect(FileManager.default.fileExists(atPath: ArticleExperiment.path(sweep.partialDirectory(pruned), PreparedExperiment.checkpointFileName)))

        let watcher = Interrupt(stopping: false)
        let resumed = try sweep.run(callbacks: [watcher])
        // Only the pruned run trains again, from its second epoch, and ends as the uninterrupted one did.
        #expect(watcher.startEpochs == [1])
        let outcome = { (findings: SweepFindings) in findings.grid.flatMap(\.runs).map { [$0.test.loss, $0.test.accuracy, $0.sparsity] } }
        #expect(outcome(resumed) == outcome(reference))
        #expect(!FileManager.default.fileExists(atPath: sweep.partialDirectory(pruned)))
    }

    @Test func aBadRunIsReportedBeforeAnyTraining() throws {
        let directory = try TemporaryDirectory()
        var configuration = try tinySweep(in: directory)
        // The frequency variant updates masks every 50 steps of 8: no cut after the 0% update.
        configuration.variants = [.frequency(50)]
        let sweep = Sweep(configuration: configuration, directory: directory.path("sweep"))
        #expect {
            _ = try sweep.run()
        } throws: { error in
            (error as? ReportError)?.description.contains("sweep run s0.5-frequency=50-seed1") == true
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("sweep/runs")))
        configuration.sparsities = [0.5]
        #expect(throws: ReportError.self) { try configuration.validate() }
    }

    private func result(_ sparsity: Double, seed: UInt64, accuracy: Double, variant: SweepVariant? = nil) -> SweepRunResult {
        var configuration = ExperimentConfiguration()
        configuration.finalSparsity = sparsity
        configuration.seed = seed
        return SweepRunResult(run: .init(id: "\(sparsity)-\(seed)", configuration: configuration, variant: variant),
                              test: Evaluation(loss: 0, accuracy: accuracy, count: 1000), sparsity: sparsity, trainingSeconds: 1, dataSource: "test")
    }

    @Test func theKneeIsTheSparsestMeanWithinHalfAPoint() {
        var configuration = SweepConfiguration()
        configuration.sparsities = [0, 0.5, 0.75, 0.875]
        configuration.seeds = [1, 2]
        configuration.variants = [.frequency(25)]
        // Baseline mean 0.98; 50% mean 0.978 (within); 75% mean 0.9755 (within by 0.05 points); 87.5% mean 0.97.
        var results = [result(0, seed: 1, accuracy: 0.979), result(0, seed: 2, accuracy: 0.981),
                       result(0.5, seed: 1, accuracy: 0.977), result(0.5, seed: 2, accuracy: 0.979),
                       result(0.75, seed: 1, accuracy: 0.975), result(0.75, seed: 2, accuracy: 0.976),
                       result(0.875, seed: 1, accuracy: 0.97), result(0.875, seed: 2, accuracy: 0.97)]
        var findings = SweepFindings(configuration: configuration, results: results, sensitivity: nil)
        #expect(findings.knee?.sparsity == 0.75)
        #expect(findings.recommendation?.point.sparsity == 0.75 && findings.recommendation?.withinTolerance == true)
        // A variant at 87.5% within half a point: it becomes the recommendation, the knee stays.
        results += [result(0.875, seed: 1, accuracy: 0.978, variant: .frequency(25)), result(0.875, seed: 2, accuracy: 0.978, variant: .frequency(25))]
        configuration.variantSparsity = 0.875
        findings = SweepFindings(configuration: configuration, results: results, sensitivity: nil)
        #expect(findings.knee?.sparsity == 0.75)
        #expect(findings.recommendation?.point.variant == .frequency(25))
        // Nothing within half a point: no knee, and the most accurate pruned configuration.
        let worse = results.map { $0.run.configuration.finalSparsity == 0 ? $0 : { var r = $0; r.test.accuracy -= 0.05; return r }($0) }
        findings = SweepFindings(configuration: configuration, results: worse, sensitivity: nil)
        #expect(findings.knee == nil)
        #expect(findings.recommendation?.withinTolerance == false)
        #expect(SweepReport(configuration: configuration, findings: findings).markdown.contains("**Knee: none**"))
    }
}

import Foundation
import Testing
@testable import PruneKit
@testable import PruneKitReport

/// The experiment component: what it checks before training, and that training survives a
/// report that fails.
@Suite struct ArticleExperimentTests {
    private func expectInvalid(_ configuration: ExperimentConfiguration, mentioning text: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) {
            _ = try ArticleExperiment(configuration: configuration).prepare()
        } throws: { error in
            guard let error = error as? ReportError, case .invalidParameter(let detail) = error else { return false }
            return detail.contains(text)
        }
    }

    @Test func theScheduleIsCheckedAgainstTheRunBeforeTraining() throws {
        let directory = try TemporaryDirectory()
        var configuration = try ReportTests.tinyConfiguration(in: directory)
        // 3 epochs of 4 steps: step 20 is after the run.
        configuration.end = .step(20)
        expectInvalid(configuration, mentioning: "--end 20 is step 20, after the run's last step 12")
        // Updates every 50 steps from step 2: only the 0% update at step 2 happens.
        configuration.end = .step(10)
        configuration.frequency = 50
        expectInvalid(configuration, mentioning: "no mask update between steps 2 and 10 prunes anything")
        // A constant schedule from step 0 updates at steps 0, 50, …: the run's steps 1–12 see none.
        configuration.schedule = .constant
        configuration.begin = .step(0)
        expectInvalid(configuration, mentioning: "no mask update between steps 0 and 10 prunes anything")
        configuration.schedule = .polynomial
        configuration.frequency = 4
        configuration.begin = .step(11)
        expectInvalid(configuration, mentioning: "pruning schedule over 12 steps")
        configuration.begin = .step(2)
        let prepared = try ArticleExperiment(configuration: configuration).prepare()
        #expect((prepared.stepsPerEpoch, prepared.totalSteps, prepared.schedule.beginStep, prepared.schedule.endStep) == (4, 12, 2, 10))
    }

    @Test func dataAndParametersAreCheckedBeforeTraining() throws {
        let directory = try TemporaryDirectory()
        var configuration = try ReportTests.tinyConfiguration(in: directory)
        configuration.trainingSubset = 1
        expectInvalid(configuration, mentioning: "--subset must be at least 2")
        configuration.trainingSubset = 4
        configuration.batchSize = 2
        configuration.epochs = 1
        configuration.end = .fraction(1.0)
        configuration.begin = .fraction(0.0)
        configuration.frequency = 1
        let small = try ArticleExperiment(configuration: configuration).prepare()
        #expect(small.data.train.count == 4 && small.data.source.contains("first 4 training images kept"))
        configuration.finalSparsity = 1
        expectInvalid(configuration, mentioning: "--final-sparsity must be in [0, 1), got 1.0")
        configuration.finalSparsity = 0.5
        configuration.dataPath = directory.path("missing")
        expectInvalid(configuration, mentioning: "--data \(directory.path("missing"))")
    }

    @Test func anUnwritableLogDirectoryIsReportedBeforeTraining() throws {
        let directory = try TemporaryDirectory()
        let configuration = try ReportTests.tinyConfiguration(in: directory)
        try directory.write([1], to: "file")
        #expect {
            _ = try ArticleExperiment(configuration: configuration).prepare(logDirectory: directory.path("file/logs"))
        } throws: { error in
            guard let error = error as? ReportError, case .cannotWrite(let path, _) = error else { return false }
            return path.hasPrefix(directory.path("file"))
        }
    }

    @Test func trainingLogsSurviveAReportThatFails() throws {
        let directory = try TemporaryDirectory()
        let configuration = try ReportTests.onePrunedEpoch(in: directory)
        // Without --logdir, the logs are trained beside the report and moved into it when it is complete.
        let out = directory.path("reports/run")
        try ArticleExperiment(configuration: configuration).writeReport(into: out, verbose: false)
        #expect(try ReportLogs(directory: directory.path("reports/run/logs")).pruned.steps.count == 4)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path("reports")) == ["run"])
        // A report that fails after training: the logs it would have adopted stay where they were trained.
        let pending = ReportFiles.pendingLogDirectory(for: out)
        #expect(!pending.hasPrefix(out + "/"))
        try FileManager.default.copyItem(atPath: directory.path("reports/run/logs"), toPath: pending)
        struct ChartFailure: Error {}
        #expect(throws: ChartFailure.self) {
            try ReportFiles.replace(directory: out, adopting: [pending: "logs"]) { _ in throw ChartFailure() }
        }
        #expect(try ReportLogs(directory: pending).results.pruned.test.count == 50)
        #expect(FileManager.default.fileExists(atPath: directory.path("reports/run/report.md")))
    }

    @Test func aResumedRunTakesTheStoredConfigurationAndRefusesContradictions() throws {
        var stored = ExperimentConfiguration()
        (stored.epochs, stored.batchSize, stored.trainingSubset) = (3, 30, 300)
        #expect(try ExperimentConfiguration().resuming(stored, from: "logs") == stored)
        var matching = ExperimentConfiguration()
        matching.epochs = 3
        #expect(try matching.resuming(stored, from: "logs") == stored)
        var contradicting = ExperimentConfiguration()
        (contradicting.epochs, contradicting.seed) = (5, 9)
        #expect {
            _ = try contradicting.resuming(stored, from: "logs")
        } throws: { error in
            guard let error = error as? ReportError, case .invalidParameter(let detail) = error else { return false }
            return detail.contains("--resume logs") && detail.contains("epochs is 5 on the command line but 3")
                && detail.contains("seed is 9") && !detail.contains("batchSize")
        }
    }

    @Test func resumingALogDirectoryWithADifferentConfigurationFails() throws {
        let directory = try TemporaryDirectory()
        var configuration = ExperimentConfiguration()
        (configuration.trainingSubset, configuration.epochs, configuration.batchSize, configuration.frequency) = (100, 1, 40, 1)
        configuration.baseline = false
        try ReportFiles.writeJSON(configuration, to: directory.path(ArticleExperiment.configurationFileName))
        configuration.seed = 2
        #expect {
            try ArticleExperiment(configuration: configuration).run(logDirectory: directory.url.path, verbose: false, resuming: true)
        } throws: { error in
            "\(error)".contains(ArticleExperiment.configurationFileName)
        }
    }
}

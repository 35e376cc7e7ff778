import Foundation
import Testing
@testable import PruneKit

@Suite struct PruningSummariesTests {
    /// 80 samples with 20 held out, batch 10: 6 steps per epoch, 3 epochs = steps 1…18.
    /// PolynomialDecay 0 → 0.5 from step 4 to 16, every 4 steps: updates at 4, 8, 12, 16.
    private func train(into logs: String, frequency: PruningSummaries.UpdateFrequency = .steps(1),
                       extra: [any Callback] = []) throws -> Sequential {
        let schedule = try PolynomialDecay(initialSparsity: 0, finalSparsity: 0.5, beginStep: 4, endStep: 16, frequency: 4)
        var model = smallCNN()
        try model.build(inputShape: [12, 12, 1])
        model = try model.pruned(with: schedule)
        try model.fit(try quadrantDataset(count: 80, seed: 1), batchSize: 10, epochs: 3, validationSplit: 0.25, verbose: false,
                      callbacks: [PruningSummaries(logDirectory: logs, updateFrequency: frequency, histogramBins: 20)] + extra)
        return model
    }

    @Test func recordsEveryStepEpochAndSnapshot() throws {
        let directory = try TemporaryDirectory()
        let logs = directory.path("logs")
        let model = try train(into: logs)
        let log = try SummaryLog(directory: logs)

        #expect(log.run.stepsPerEpoch == 6)
        #expect(log.run.layers.map(\.name) == ["conv2d", "dense"])
        let pruning = try #require(log.run.pruning)
        #expect(pruning.schedule == "PolynomialDecay")
        #expect(pruning.updates.map(\.step) == [4, 8, 12, 16])
        #expect(pruning.shortfall == 0)

        #expect(log.steps.map(\.step) == Array(1 ... 18))
        for record in log.steps {
            for layer in record.layers {
                // Zero until the first update with a non-zero target (step 8), then at least the mask.
                if record.step < 8 { #expect(layer.maskSparsity == 0) }
                #expect(layer.sparsity >= layer.maskSparsity! - 1e-12)
            }
        }
        let last = try #require(log.steps.last)
        #expect(last.layers.map(\.targetSparsity) == [0.5, 0.5])
        #expect(last.layers.map(\.sparsity) == model.pruning!.layers.map { model.kernel(of: $0.layerIndex)?.zeroFraction })

        #expect(log.epochs.map(\.epoch) == [0, 1, 2])
        #expect(log.epochs.allSatisfy { $0.validationLoss != nil })
        #expect(log.weights.map(\.label) == ["start", "epoch 1", "epoch 2", "epoch 3", "end"])
        let end = try #require(log.weights.last?.layers.last)
        #expect(end.count == 400)
        #expect(end.zeros + end.counts.reduce(0, +) == end.count)
        #expect(end.zeros >= 200)
        #expect(end.threshold == model.pruning!.layers[1].threshold)
        for name in ["train", "validation", "metrics"] {
            let files = try FileManager.default.contentsOfDirectory(atPath: (logs as NSString).appendingPathComponent(name))
            #expect(files.count == 1 && files[0].hasPrefix("events.out.tfevents."), "\(name)")
        }
    }

    @Test func epochFrequencyWritesNoStepRecords() throws {
        let directory = try TemporaryDirectory()
        _ = try train(into: directory.path("logs"), frequency: .epoch)
        let log = try SummaryLog(directory: directory.path("logs"))
        #expect(log.steps.isEmpty)
        #expect(log.epochs.count == 3)
    }

    @Test func aRunThatStopsLeavesAReadableLog() throws {
        final class Crash: Callback {
            struct Stop: Error {}
            func batchEnd(_ state: inout TrainingState) throws { if state.step == 9 { throw Stop() } }
        }
        let directory = try TemporaryDirectory()
        #expect(throws: ModelError.self) { try train(into: directory.path("logs"), extra: [Crash()]) }
        let log = try SummaryLog(directory: directory.path("logs"))
        // The summaries callback runs first, so step 10 (state.step 9) was written before the crash.
        #expect(log.steps.map(\.step) == Array(1 ... 10))
        #expect(log.epochs.count == 1)
    }

    @Test func resumingCutsTheLogsBackToTheCheckpoint() throws {
        let directory = try TemporaryDirectory()
        let reference = directory.path("reference"), logs = directory.path("logs")
        _ = try train(into: reference)
        let schedule = try PolynomialDecay(initialSparsity: 0, finalSparsity: 0.5, beginStep: 4, endStep: 16, frequency: 4)
        var model = smallCNN()
        try model.build(inputShape: [12, 12, 1])
        model = try model.pruned(with: schedule)
        let data = try quadrantDataset(count: 80, seed: 1)
        let checkpoint = ModelCheckpoint(path: directory.path("model.prunekit"))
        func callbacks() -> [any Callback] {
            [PruningSummaries(logDirectory: logs, updateFrequency: .steps(1), histogramBins: 20), checkpoint]
        }
        // Killed during epoch 3: the run leaves epoch 3's first steps, a torn line and another event file.
        var killed = model
        try killed.fit(data, batchSize: 10, epochs: 2, validationSplit: 0.25, verbose: false, callbacks: callbacks())
        let records = (logs as NSString).appendingPathComponent(PruningSummaries.recordsFileName)
        let handle = try #require(FileHandle(forWritingAtPath: records))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"step":{"step":13,"epoch":2,"batchLoss":0.5,"#.utf8))
        handle.closeFile()
        let stray = try EventFileWriter(directory: (logs as NSString).appendingPathComponent("train"))
        try stray.addScalar(tag: "batch_loss", value: 9, step: 13)
        try stray.close()
        // The stray file's events after its first record (the file version): the scalar at step 13.
        let strayBytes = try Data(contentsOf: URL(fileURLWithPath: stray.path))
        let firstRecordLength = strayBytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let strayEvents = strayBytes.dropFirst(12 + firstRecordLength + 4)
        try #require(!strayEvents.isEmpty)

        var resumed = try Checkpoint(contentsOf: checkpoint.path).model
        try resumed.fit(data, batchSize: 10, epochs: 3, validationSplit: 0.25, verbose: false, callbacks: callbacks(), initialEpoch: 2)

        let (expected, found) = (try SummaryLog(directory: reference), try SummaryLog(directory: logs))
        #expect(found.steps == expected.steps)
        #expect(found.steps.map(\.step) == Array(1 ... 18))
        #expect(found.epochs.map(\.epoch) == [0, 1, 2])
        #expect(found.epochs.map(\.loss) == expected.epochs.map(\.loss))
        #expect(found.weights == expected.weights)
        #expect(found.run.startStep == 12)
        // The stray file was removed (the resumed run may reuse its free name), so its events are gone.
        let trainDirectory = (logs as NSString).appendingPathComponent("train")
        let trainFiles = try FileManager.default.contentsOfDirectory(atPath: trainDirectory)
        #expect(trainFiles.count == 2)
        for name in trainFiles {
            let contents = try Data(contentsOf: URL(fileURLWithPath: (trainDirectory as NSString).appendingPathComponent(name)))
            #expect(contents.range(of: strayEvents) == nil, "\(name) still holds the stray event of the killed run")
        }

        // A fresh start in the same directory removes the earlier run's event files.
        _ = try train(into: logs)
        for name in ["train", "validation", "metrics"] {
            #expect(try FileManager.default.contentsOfDirectory(atPath: (logs as NSString).appendingPathComponent(name)).count == 1)
        }
    }

    @Test func resumingWithoutARecordedPositionNamesThePositionsFile() throws {
        let directory = try TemporaryDirectory()
        let logs = directory.path("logs")
        let checkpoint = ModelCheckpoint(path: directory.path("model.prunekit"))
        _ = try train(into: directory.path("elsewhere"), extra: [checkpoint])
        var resumed = try Checkpoint(contentsOf: checkpoint.path).model
        let error = #expect(throws: ModelError.self) {
            try resumed.fit(try quadrantDataset(count: 80, seed: 1), batchSize: 10, epochs: 4, validationSplit: 0.25, verbose: false,
                            callbacks: [PruningSummaries(logDirectory: logs)], initialEpoch: 3)
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains(PruningSummaries.positionsFileName))
    }

    @Test func unreadableLogsNameTheFile() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: SummaryError.self) { try SummaryLog(directory: directory.path("none")) }
        let path = try directory.write(Array("{\"kind\":\"step\"}\n".utf8), to: PruningSummaries.recordsFileName)
        do {
            _ = try SummaryLog(directory: directory.url.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains(path))
            #expect(error.description.contains("line 1"))
        }
    }

    @Test(.enabled(if: TensorBoardPython.isAvailable || TensorBoardPython.isRequired,
                   "python3 cannot import tensorboard; set PRUNEKIT_REQUIRE_TENSORBOARD=1 to fail instead"))
    func tensorBoardShowsTfmotTags() throws {
        guard TensorBoardPython.isAvailable else {
            Issue.record("PRUNEKIT_REQUIRE_TENSORBOARD=1 but python3 cannot import tensorboard (pip install tensorboard)")
            return
        }
        let directory = try TemporaryDirectory()
        let logs = directory.path("logs")
        _ = try train(into: logs, frequency: .epoch)
        let metrics = try TensorBoardPython.read(directory: (logs as NSString).appendingPathComponent("metrics"), json: directory.path("m.json"))
        #expect(metrics.scalarTags == ["prune_low_magnitude_conv2d/mask:0/sparsity", "prune_low_magnitude_conv2d/threshold:0/threshold",
                                       "prune_low_magnitude_dense/mask:0/sparsity", "prune_low_magnitude_dense/threshold:0/threshold"])
        #expect(metrics.scalars["prune_low_magnitude_dense/mask:0/sparsity"]?.map(\.step) == [0, 6, 12, 18])
        #expect(metrics.scalars["prune_low_magnitude_dense/mask:0/sparsity"]?.last.map { abs($0.value - 0.5) < 0.01 } == true)
        let train = try TensorBoardPython.read(directory: (logs as NSString).appendingPathComponent("train"), json: directory.path("t.json"))
        #expect(Set(train.scalarTags) == ["epoch_loss", "epoch_accuracy"])
        #expect(train.scalars["epoch_loss"]?.map(\.step) == [0, 1, 2])
        #expect(Set(train.histogramTags) == ["conv2d/kernel", "dense/kernel"])
        let validation = try TensorBoardPython.read(directory: (logs as NSString).appendingPathComponent("validation"), json: directory.path("v.json"))
        #expect(Set(validation.scalarTags) == ["epoch_loss", "epoch_accuracy"])
    }
}

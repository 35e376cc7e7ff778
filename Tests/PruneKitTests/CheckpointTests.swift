import Foundation
import Testing
@testable import PruneKit

/// Bit patterns, so that comparisons tell −0 from +0 and see NaNs.
private func bits(_ tensor: Tensor) -> [UInt32] { tensor.scalars.map(\.bitPattern) }
private func bits(_ tensors: [Tensor]) -> [[UInt32]] { tensors.map(bits) }

/// Everything trained in a model, as bit patterns: weights, Adam's state, pruning state.
private struct TrainedState: Equatable, CustomStringConvertible {
    var weights: [[UInt32]]
    var iterations: Int?
    var firstMoments: [[UInt32]]
    var secondMoments: [[UInt32]]
    var masks: [[UInt32]]
    var thresholds: [UInt32]
    var targetSparsities: [UInt32]
    var pruningStep: Int?
    var lastUpdateStep: Int?

    init(_ model: Sequential) {
        weights = model.layers.flatMap { bits($0.parameters) }
        let adam = model.optimizer as? Adam
        iterations = adam?.iterations
        firstMoments = bits(adam?.firstMoments ?? [])
        secondMoments = bits(adam?.secondMoments ?? [])
        masks = model.pruning?.layers.map { bits($0.mask) } ?? []
        thresholds = model.pruning?.layers.map(\.threshold.bitPattern) ?? []
        targetSparsities = model.pruning?.layers.map(\.targetSparsity.bitPattern) ?? []
        pruningStep = model.pruning?.step
        lastUpdateStep = model.pruning?.lastUpdateStep
    }

    /// A short fingerprint for failure messages (the full state runs to thousands of numbers).
    var description: String {
        func digest(_ arrays: [[UInt32]]) -> String {
            String(arrays.joined().reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }, radix: 16)
        }
        return "weights \(digest(weights)), Adam iterations \(iterations.map(String.init) ?? "-") moments "
            + "\(digest(firstMoments))/\(digest(secondMoments)), masks \(digest(masks)), thresholds \(thresholds), "
            + "pruning step \(pruningStep.map(String.init) ?? "-") (last update \(lastUpdateStep.map(String.init) ?? "-"))"
    }
}

/// The ``CheckpointError`` `body` throws, or `nil` (recording an issue for any other error).
private func checkpointError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> CheckpointError? {
    do {
        try body()
    } catch let error as CheckpointError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// A layer the model file format cannot describe.
private struct Identity: Layer {
    var typeName: String { "Identity" }
    var namePrefix: String { "identity" }
    func outputShape(for inputShape: [Int]) throws(ModelError) -> [Int] { inputShape }
    func forward(_ pass: ForwardPass) {}
    func backward(_ pass: BackwardPass) {}
}

/// An optimizer the model file format cannot describe.
private struct PlainGradientDescent: Optimizer {
    var iterations = 0
    mutating func update(_ parameters: inout [Tensor], gradients: [UnsafeBufferPointer<Float>]) {}
}

/// A schedule the model file format cannot describe.
private struct NeverPrune: PruningSchedule {
    var beginStep: Int { 0 }
    var endStep: Int { -1 }
    var frequency: Int { 1 }
    var finalTargetSparsity: Float { 0 }
    func callAsFunction(step: Int) -> (shouldPrune: Bool, sparsity: Float) { (false, 0) }
}

@Suite struct CheckpointTests {
    /// The small CNN with the quadrant images' input shape, weights created.
    private func builtSmallCNN(seed: UInt64 = 1) throws -> Sequential {
        var model = smallCNN(seed: seed)
        try model.build(inputShape: [12, 12, 1])
        return model
    }

    @Test func articleCNNRoundTripsBitForBit() throws {
        let dir = try TemporaryDirectory()
        defer { withExtendedLifetime(dir) {} }
        var model = try Sequential.articleCNN(seed: 42)
        // Moments as after some training, so the optimizer's part of the file has its full size.
        let parameters = model.layers.flatMap(\.parameters)
        model.compile(loss: .categoricalCrossentropy, optimizer: Adam(learningRate: 0.001), metrics: [.accuracy])
        model.optimizer = Adam(learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, iterations: 7,
                               firstMoments: parameters.map { $0.reshaped(to: $0.shape) },
                               secondMoments: parameters.map { Tensor(shape: $0.shape, scalars: $0.scalars.map { $0 * $0 }) })
        // Dense, to check the float32 layout's size (the zero biases would be stored as bitmaps).
        try model.save(to: dir.path("article.prunekit"), encoding: .dense)
        try model.save(to: dir.path("article-weights.prunekit"), includeOptimizer: false, encoding: .dense)

        let loaded = try Sequential.load(from: dir.path("article.prunekit"))
        #expect(TrainedState(loaded) == TrainedState(model))
        #expect(loaded.summary() == model.summary())
        #expect(loaded.layerNames == model.layerNames)
        #expect(loaded.seed == 42 && loaded.inputShape == [28, 28, 1])
        #expect(loaded.loss == .categoricalCrossentropy && loaded.metrics == [.accuracy])
        #expect((loaded.optimizer as? Adam) == (model.optimizer as? Adam))

        let weightsOnly = try Sequential.load(from: dir.path("article-weights.prunekit"))
        #expect(weightsOnly.optimizer == nil)
        #expect(weightsOnly.layers.map { bits($0.parameters) } == model.layers.map { bits($0.parameters) })

        // 431,242 float32 weights are 1,724,968 bytes; the header and framing add a little, and the
        // two Adam moments double the weights' size again.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: dir.path("article-weights.prunekit"))[.size] as? Int)
        let fullSize = try #require(try FileManager.default.attributesOfItem(atPath: dir.path("article.prunekit"))[.size] as? Int)
        #expect(size > 1_724_968 && size < 1_724_968 + 4096)
        #expect(fullSize > 3 * 1_724_968 && fullSize < 3 * 1_724_968 + 8192)
        #expect(try Set(FileManager.default.contentsOfDirectory(atPath: dir.url.path))
                == ["article.prunekit", "article-weights.prunekit"])
    }

    @Test func trainedPrunedModelRoundTripsBitForBit() throws {
        let dir = try TemporaryDirectory()
        defer { withExtendedLifetime(dir) {} }
        // A seed above 2⁵³ checks that JSON keeps 64-bit integers exact.
        let schedule = try PolynomialDecay(initialSparsity: 0.2, finalSparsity: 0.8, beginStep: 1, endStep: 7, frequency: 2)
        var model = try builtSmallCNN(seed: 0xFEDC_BA98_7654_3210).pruned(with: schedule)
        try model.fit(try quadrantDataset(count: 40, seed: 1), batchSize: 10, epochs: 2, verbose: false)
        let path = dir.path("pruned.prunekit")
        try model.save(to: path)

        let checkpoint = try Checkpoint(contentsOf: path)
        #expect(checkpoint.epochsCompleted == nil)
        let loaded = checkpoint.model
        #expect(TrainedState(loaded) == TrainedState(model))
        #expect(TrainedState(loaded).masks.joined().contains(0))
        #expect(loaded.summary() == model.summary())
        #expect(loaded.seed == 0xFEDC_BA98_7654_3210)
        #expect(loaded.pruning?.policy.schedule as? PolynomialDecay == schedule)
        #expect(loaded.pruning?.layers == model.pruning?.layers)
        #expect(loaded.sparsityTable() == model.sparsityTable())
    }

    @Test func policiesAndUnbuiltModelsRoundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { withExtendedLifetime(dir) {} }
        let unbuilt = smallCNN(seed: 3)
        try unbuilt.save(to: dir.path("unbuilt.prunekit"))
        let loadedUnbuilt = try Sequential.load(from: dir.path("unbuilt.prunekit"))
        #expect(!loadedUnbuilt.isBuilt)
        #expect(loadedUnbuilt.summary() == unbuilt.summary())

        let schedule = try ConstantSparsity(targetSparsity: 0.5, beginStep: 0, endStep: 10, frequency: 2)
        let policies = [try PruningPolicy(schedule: schedule, layerNames: ["dense"],
                                          blockSparsity: try BlockSparsity(rows: 2, columns: 2, pooling: .maximum)),
                        try PruningPolicy(schedule: schedule, nmSparsity: try NMSparsity(m: 1, n: 3)),
                        try PruningPolicy(schedule: schedule, scope: .global)]
        for policy in policies {
            try builtSmallCNN().pruned(policy).save(to: dir.path("policy.prunekit"))
            let loaded = try #require(try Sequential.load(from: dir.path("policy.prunekit")).pruning?.policy)
            #expect(loaded.schedule as? ConstantSparsity == schedule)
            #expect(loaded.layerNames == policy.layerNames)
            #expect(loaded.blockSparsity == policy.blockSparsity)
            #expect(loaded.nmSparsity == policy.nmSparsity)
            #expect(loaded.scope == policy.scope)
        }
    }

    @Test func resumingFromAModelCheckpointMatchesAnUninterruptedRun() throws {
        let dir = try TemporaryDirectory()
        defer { withExtendedLifetime(dir) {} }
        let data = try quadrantDataset(count: 40, seed: 7)
        // 32 training samples in batches of 8: 4 steps per epoch. Mask updates at steps 2, 5, 8, 11,
        // 14, so pruning is under way when the run stops after epoch 2 (step 8) and goes on after it.
        let schedule = try PolynomialDecay(initialSparsity: 0.1, finalSparsity: 0.7, beginStep: 2, endStep: 14, frequency: 3)
        let start = try builtSmallCNN(seed: 5).pruned(with: schedule)
        func train(_ model: inout Sequential, epochs: Int, initialEpoch: Int = 0, callbacks: [any Callback] = []) throws -> History {
            try model.fit(data, batchSize: 8, epochs: epochs, validationSplit: 0.2, verbose: false, callbacks: callbacks,
                          initialEpoch: initialEpoch)
        }

        var uninterrupted = start
        let full = try train(&uninterrupted, epochs: 4)

        var interrupted = start
        let saver = ModelCheckpoint(path: dir.path("run-{epoch}.prunekit"))
        _ = try train(&interrupted, epochs: 2, callbacks: [saver])
        #expect(try Set(FileManager.default.contentsOfDirectory(atPath: dir.url.path)) == ["run-1.prunekit", "run-2.prunekit"])

        let checkpoint = try Checkpoint(contentsOf: saver.path(epochsCompleted: 2))
        #expect(checkpoint.epochsCompleted == 2)
        #expect(TrainedState(checkpoint.model) == TrainedState(interrupted))
        var resumed = checkpoint.model
        let rest = try train(&resumed, epochs: 4, initialEpoch: try #require(checkpoint.epochsCompleted))

        #expect(TrainedState(resumed) == TrainedState(uninterrupted))
        #expect(resumed.pruning?.step == 16 && resumed.pruning?.lastUpdateStep == 14)
        #expect(rest.epochs.map(\.epoch) == [2, 3])
        #expect(rest.loss == Array(full.loss.suffix(2)))
        #expect(rest.accuracy == Array(full.accuracy.suffix(2)))
        #expect(rest.validationLoss == Array(full.validationLoss.suffix(2)))
        #expect(rest.validationAccuracy == Array(full.validationAccuracy.suffix(2)))
    }

    @Test func modelCheckpointSkipsEpochsCutShortAndStopsOnFailedSaves() throws {
        final class StopAtSecondBatch: Callback {
            func batchEnd(_ state: inout TrainingState) { if state.batch == 1 { state.stopTraining = true } }
        }
        let dir = try TemporaryDirectory()
        defer { withExtendedLifetime(dir) {} }
        let data = try quadrantDataset(count: 30, seed: 8)

        var stopped = smallCNN()
        let saver = ModelCheckpoint(path: dir.path("stopped.prunekit"))
        try stopped.fit(data, batchSize: 10, epochs: 2, verbose: false, callbacks: [StopAtSecondBatch(), saver])
        #expect(!FileManager.default.fileExists(atPath: saver.path))

        var failing = smallCNN()
        let unwritable = ModelCheckpoint(path: dir.path("missing/model-{epoch}.prunekit"))
        do {
            try failing.fit(data, batchSize: 10, epochs: 3, verbose: false, callbacks: [unwritable])
            Issue.record("a failed save must stop training with an error")
        } catch {
            // Training stops after the first epoch, whose save fails; the error names the file.
            #expect(failing.optimizer?.iterations == 3, "the model keeps the epoch it trained")
            guard case .callbackFailed("ModelCheckpoint", let detail) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(detail.contains(dir.path("missing/model-1.prunekit")))
        }
    }

    @Test func initialEpochIsValidated() throws {
        let data = try quadrantDataset(count: 10, seed: 1)
        var model = smallCNN()
        #expect(throws: ModelError.invalidArgument(name: "initialEpoch", value: "-1", allowed: "in 0...epochs (2)")) {
            try model.fit(data, epochs: 2, verbose: false, initialEpoch: -1)
        }
        #expect(throws: ModelError.invalidArgument(name: "initialEpoch", value: "3", allowed: "in 0...epochs (2)")) {
            try model.fit(data, epochs: 2, verbose: false, initialEpoch: 3)
        }
        // initialEpoch == epochs trains nothing.
        let history = try model.fit(data, epochs: 2, verbose: false, initialEpoch: 2)
        #expect(history.epochs.isEmpty && model.optimizer?.iterations == 0)
    }

    @Test func unreadableFilesAreReportedByKind() throws {
        let dir = try TemporaryDirectory()
        defer { withExtendedLifetime(dir) {} }
        let missing = dir.path("missing.prunekit")
        #expect(checkpointError { _ = try Sequential.load(from: missing) } == .missingFile(path: missing))
        #expect(checkpointError { _ = try Sequential.load(from: dir.url.path) } == .missingFile(path: dir.url.path))

        let text = try dir.write(Array("Just some text, not a model".utf8), to: "notes.txt")
        #expect(checkpointError { _ = try Sequential.load(from: text) } == .notAModelFile(path: text))

        let path = dir.path("model.prunekit")
        try builtSmallCNN().save(to: path)
        let bytes = [UInt8](try Data(contentsOf: dir.url.appendingPathComponent("model.prunekit")))
        let payloadStart = 24 + Int(bytes[12]) + Int(bytes[13]) << 8
        #expect(payloadStart % 8 == 0)

        // Cut anywhere, from an empty file to one missing only the last checksum byte. Before the
        // preamble is complete the expected size is the smallest possible file (28 bytes).
        for cut in [0, 5, 8, 11, 12, 23, 24, 100, payloadStart + 1, bytes.count / 2, bytes.count - 4, bytes.count - 1] {
            let truncated = try dir.write(Array(bytes.prefix(cut)), to: "cut-\(cut).prunekit")
            let expected = cut < 24 ? 28 : bytes.count
            #expect(checkpointError { _ = try Sequential.load(from: truncated) }
                    == .truncated(path: truncated, expectedBytes: expected, actualBytes: cut), "cut at \(cut)")
        }

        for offset in [payloadStart + 10, 40, bytes.count - 2] {
            var corrupt = bytes
            corrupt[offset] ^= 0x10
            let corruptPath = try dir.write(corrupt, to: "corrupt-\(offset).prunekit")
            let error = checkpointError { _ = try Sequential.load(from: corruptPath) }
            guard case .checksumMismatch(corruptPath, _, _) = error else {
                Issue.record("flipped byte at \(offset): \(String(describing: error))")
                continue
            }
            #expect(error?.description.hasPrefix("\(corruptPath): corrupt") == true)
        }

        var future = bytes
        future[8] = 3
        let futurePath = try dir.write(future, to: "future.prunekit")
        #expect(checkpointError { _ = try Sequential.load(from: futurePath) }
                == .unsupportedVersion(path: futurePath, found: 3, supported: 2))

        let notJSON = try dir.write(ModelFileFormat.encode(header: Array("{}".utf8), payload: []), to: "empty-header.prunekit")
        let headerError = checkpointError { _ = try Sequential.load(from: notJSON) }
        guard case .malformedHeader(notJSON, let detail) = headerError, detail.contains("model") else {
            Issue.record("a header without a model: \(String(describing: headerError))")
            return
        }

        let longer = try dir.write(bytes + [0], to: "longer.prunekit")
        #expect(checkpointError { _ = try Sequential.load(from: longer) }
                == .malformedHeader(path: longer, detail: "1 unexpected bytes after the checksum"))
    }

    @Test func loadWeightsChecksTheArchitecture() throws {
        let dir = try TemporaryDirectory()
        defer { withExtendedLifetime(dir) {} }
        let path = dir.path("small.prunekit")
        var trained = try builtSmallCNN(seed: 4)
        try trained.fit(try quadrantDataset(count: 20, seed: 2), batchSize: 10, epochs: 1, verbose: false)
        try trained.save(to: path)

        // An unbuilt model of the same architecture takes the weights and Adam's state, keeps its seed.
        var fresh = smallCNN(seed: 99)
        try fresh.loadWeights(from: path)
        #expect(TrainedState(fresh) == TrainedState(trained))
        #expect(fresh.seed == 99 && fresh.inputShape == [12, 12, 1])

        var wider = Sequential(seed: 4) {
            Conv2D(filters: 4, kernelSize: 3, activation: .relu)
            MaxPool2D(poolSize: 2)
            Dropout(0.1)
            Flatten()
            Dense(8, activation: .softmax)
        }
        let error = checkpointError { try wider.loadWeights(from: path) }
        #expect(error == .architectureMismatch(path: path, detail: "layer dense (index 4) is Dense(8, activation: softmax) "
                                               + "in the model but Dense(4, activation: softmax) in the file"))
        #expect(error?.description.hasPrefix(path) == true)

        var otherInput = smallCNN()
        try otherInput.build(inputShape: [14, 14, 1])
        #expect(checkpointError { try otherInput.loadWeights(from: path) }
                == .architectureMismatch(path: path, detail: "the model takes inputs [14, 14, 1] but the file's model takes [12, 12, 1]"))

        var shorter = Sequential { Flatten(); Dense(4, activation: .softmax) }
        #expect(checkpointError { try shorter.loadWeights(from: path) }
                == .architectureMismatch(path: path, detail: "the file has 5 layers, the model 2"))
    }

    @Test func failedSavesNameThePathAndLeaveFilesAlone() throws {
        let dir = try TemporaryDirectory()
        defer { withExtendedLifetime(dir) {} }
        let model = try builtSmallCNN()

        let noDirectory = dir.path("no-such-directory/model.prunekit")
        let missingError = checkpointError { try model.save(to: noDirectory) }
        guard case .cannotWrite(noDirectory, _) = missingError else {
            Issue.record("saving into a missing directory: \(String(describing: missingError))")
            return
        }
        #expect(missingError?.description.hasPrefix(noDirectory) == true)

        // A path whose parent is a regular file fails even for root.
        let existing = dir.path("existing.prunekit")
        try model.save(to: existing)
        let original = try Data(contentsOf: URL(fileURLWithPath: existing))
        let underFile = existing + "/model.prunekit"
        let underFileError = checkpointError { try model.save(to: underFile) }
        guard case .cannotWrite(underFile, _) = underFileError else {
            Issue.record("saving under a file: \(String(describing: underFileError))")
            return
        }

        // Saves that fail over an existing file leave it byte for byte as it was.
        var custom = model
        custom.layers.append(Identity())
        let withLayer = Sequential(layers: custom.layers, layerNames: model.layerNames + ["identity"], seed: 1,
                                   inputShape: [12, 12, 1], loss: nil, metrics: [], optimizer: nil, pruning: nil)
        #expect(checkpointError { try withLayer.save(to: existing) }
                == .unsupportedLayer(path: existing, layer: "identity", type: "Identity"))
        var withOptimizer = model
        withOptimizer.optimizer = PlainGradientDescent()
        #expect(checkpointError { try withOptimizer.save(to: existing) }
                == .unsupportedOptimizer(path: existing, type: "PlainGradientDescent"))
        try withOptimizer.save(to: dir.path("no-optimizer.prunekit"), includeOptimizer: false)
        let withSchedule = try model.pruned(with: NeverPrune())
        #expect(checkpointError { try withSchedule.save(to: existing) }
                == .unsupportedSchedule(path: existing, type: "NeverPrune"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: existing)) == original)

        // A successful save replaces the file and leaves no temporary file behind.
        try model.pruned(with: try ConstantSparsity(targetSparsity: 0.5, beginStep: 0)).save(to: existing)
        #expect(try Data(contentsOf: URL(fileURLWithPath: existing)) != original)
        #expect(try Set(FileManager.default.contentsOfDirectory(atPath: dir.url.path)) == ["existing.prunekit", "no-optimizer.prunekit"])
    }
}

@Suite struct StorageSizeTests {
    @Test func zerosCompressAndTheFileSizeIsTheSavedFile() throws {
        let dense = try Sequential.articleCNN()
        let directory = try TemporaryDirectory()
        try dense.save(to: directory.path("dense.prunekit"), includeOptimizer: false)
        let saved = try FileManager.default.attributesOfItem(atPath: directory.path("dense.prunekit"))[.size] as? Int
        let denseSize = try dense.storageSize(encoding: .dense)
        #expect(try dense.storageSize().fileBytes == saved)
        // Random weights barely compress.
        #expect(denseSize.compressionRatio < 1.2)

        var sparse = dense
        for index in sparse.layers.indices where !sparse.layers[index].parameters.isEmpty {
            var kernel = sparse.layers[index].parameters[0]
            for i in kernel.scalars.indices where i % 8 != 0 { kernel.scalars[i] = 0 }
            sparse.layers[index].parameters[0] = kernel
        }
        // In the dense encoding a zero takes 4 bytes like any weight; gzip keeps little more than
        // the eighth of the weights that is not zero.
        let zerosKept = try sparse.storageSize(encoding: .dense)
        #expect(zerosKept.fileBytes == denseSize.fileBytes)
        #expect(zerosKept.compressionRatio > 4)
        // The default sparse encoding leaves the zeros out before any compression.
        let sparseSize = try sparse.storageSize()
        #expect(Double(denseSize.fileBytes) / Double(sparseSize.fileBytes) > 6)
    }
}

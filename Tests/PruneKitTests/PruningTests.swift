import Testing
@testable import PruneKit

@Suite struct PruningTests {
    private func builtModel(seed: UInt64 = 1) throws -> Sequential {
        var model = smallCNN(seed: seed)
        try model.build(inputShape: [12, 12, 1])
        return model
    }

    @Test func wrappingChecksLayersAndPatterns() throws {
        let schedule = try ConstantSparsity(targetSparsity: 0.5, beginStep: 0)
        #expect(throws: PruningError.modelNotBuilt) { try smallCNN().pruned(with: schedule) }
        let model = try builtModel()
        #expect(throws: PruningError.unknownLayer(name: "dense_7", available: ["conv2d", "dense"])) {
            try model.pruned(with: schedule, layers: ["dense_7"])
        }
        #expect(throws: PruningError.notPrunable(layer: "max_pooling2d", type: "MaxPooling2D")) {
            try model.pruned(with: schedule, layers: ["max_pooling2d"])
        }
        // Block sparsity needs rank-2 kernels: the conv kernel is rank 4.
        let blocks = try BlockSparsity(rows: 1, columns: 4)
        #expect(throws: PruningError.blockSparsityNeedsRank2(shape: [3, 3, 1, 4])) {
            try model.pruned(try PruningPolicy(schedule: schedule, blockSparsity: blocks))
        }
        let onlyDense = try model.pruned(try PruningPolicy(schedule: schedule, layerNames: ["dense"], blockSparsity: blocks))
        #expect(onlyDense.pruning?.layers.map(\.name) == ["dense"])
        #expect(try model.pruned(with: schedule).pruning?.layers.map(\.name) == ["conv2d", "dense"])
    }

    /// Records, after every batch, the step and each pruned kernel's zero fraction and mask sparsity.
    final class SparsityProbe: Callback {
        var records: [(step: Int, prunedButNonZero: Int, maskSparsity: [Double])] = []
        func batchEnd(_ state: inout TrainingState) {
            let pruning = state.model.pruning!
            let leaks = pruning.layers.reduce(0) { count, layer in
                let kernel = state.model.kernel(of: layer.layerIndex)?.scalars ?? []
                return count + zip(kernel, layer.mask.scalars).filter { $1 == 0 && $0 != 0 }.count
            }
            records.append((pruning.step, leaks, pruning.layers.map(\.maskSparsity)))
        }
    }

    @Test func polynomialDecayPrunesOnScheduleAndKeepsZeros() throws {
        // 80 samples, batch 10: 8 steps per epoch, 3 epochs = steps 1…24. Updates at 4, 8, …, 20.
        let schedule = try PolynomialDecay(initialSparsity: 0, finalSparsity: 0.75, beginStep: 4, endStep: 20, frequency: 4)
        var model = try builtModel().pruned(with: schedule)
        let probe = SparsityProbe()
        try model.fit(try quadrantDataset(count: 80, seed: 1), batchSize: 10, epochs: 3, verbose: false, callbacks: [probe])
        #expect(probe.records.map(\.step) == Array(1 ... 24))
        #expect(model.pruning?.step == 24)
        #expect(model.pruning?.lastUpdateStep == 20)
        for record in probe.records {
            // Before step 4 nothing is pruned; masked weights are exactly zero after every update.
            if record.step < 4 { #expect(record.maskSparsity.allSatisfy { $0 == 0 }) }
            #expect(record.prunedButNonZero == 0)
        }
        // The sparsity only changes at update steps and reaches the target at the end step.
        let changes = zip(probe.records, probe.records.dropFirst()).filter { $0.maskSparsity != $1.maskSparsity }.map(\.1.step)
        #expect(Set(changes).isSubset(of: [8, 12, 16, 20]))
        for (layer, sparsity) in zip(model.pruning!.layers, probe.records.last!.maskSparsity) {
            let expected = 1 - Double(MagnitudeMask.keptCount(size: layer.mask.count, sparsity: 0.75)) / Double(layer.mask.count)
            #expect(abs(sparsity - expected) < 1e-9)
        }
        #expect(model.pruning!.layers.allSatisfy { $0.targetSparsity == 0.75 })
    }

    @Test func globalScopeSharesOneThreshold() throws {
        let schedule = try ConstantSparsity(targetSparsity: 0.6, beginStep: 1, frequency: 1)
        var model = try builtModel().pruned(try PruningPolicy(schedule: schedule, scope: .global))
        try model.fit(try quadrantDataset(count: 20, seed: 2), batchSize: 10, epochs: 1, verbose: false)
        let state = model.pruning!
        #expect(Set(state.layers.map(\.threshold)).count == 1)
        let table = model.sparsityTable()
        // 36 + 400 kernel weights; k = round(436 · 0.4) = 174 kept (more only on exact ties).
        #expect(table.totalWeights == 436)
        #expect(table.totalNonZeros == 174)
    }

    @Test func nmSparsityUpdatesOnceAtStepOne() throws {
        let schedule = try ConstantSparsity(targetSparsity: 0.5, beginStep: 0)
        let policy = try PruningPolicy(schedule: schedule, layerNames: ["dense"], nmSparsity: try NMSparsity(m: 2, n: 4))
        var model = try builtModel().pruned(policy)
        try model.fit(try quadrantDataset(count: 30, seed: 3), batchSize: 10, epochs: 2, verbose: false)
        let dense = model.pruning!.layers[0]
        #expect(model.pruning?.lastUpdateStep == 1)
        #expect(dense.threshold == NMSparsity.placeholderThreshold)
        // Dense [36, 4]: in every output column, each group of 4 consecutive inputs keeps at most 2.
        let kernel = try #require(model.kernel(of: dense.layerIndex))
        for output in 0 ..< 4 {
            for group in stride(from: 0, to: 36, by: 4) {
                let kept = (group ..< group + 4).filter { kernel.scalars[$0 * 4 + output] != 0 }.count
                #expect(kept <= 2)
            }
        }
    }

    @Test func strippingKeepsZerosAndDropsState() throws {
        let schedule = try ConstantSparsity(targetSparsity: 0.5, beginStep: 1, frequency: 5)
        var model = try builtModel().pruned(with: schedule)
        try model.fit(try quadrantDataset(count: 20, seed: 4), batchSize: 10, epochs: 1, verbose: false)
        let stripped = model.strippingPruning()
        #expect(stripped.pruning == nil)
        #expect(stripped.sparsityTable().rows.map(\.nonZeros) == model.sparsityTable().rows.map(\.nonZeros))
        #expect(stripped.sparsityTable().rows.allSatisfy { $0.sparsity >= 0.5 })
        // Pruned weights are +0.0, never the −0.0 that masking a negative weight gives.
        let negativeZero = Float(-0.0).bitPattern
        #expect(model.layers.flatMap(\.parameters).contains { $0.scalars.contains { $0.bitPattern == negativeZero } })
        #expect(!stripped.layers.flatMap(\.parameters).contains { $0.scalars.contains { $0.bitPattern == negativeZero } })
    }

    @Test func sparsityTableListsKernels() throws {
        let table = try Sequential.articleCNN().sparsityTable()
        #expect(table.rows.map(\.layer) == ["conv2d", "conv2d_1", "dense", "dense_1"])
        #expect(table.rows.map(\.shape) == [[3, 3, 1, 32], [3, 3, 32, 64], [1600, 256], [256, 10]])
        #expect(table.totalWeights == 430_880)
        #expect(table.totalSparsity == 0)
        #expect(table.description.contains("409,600"))
    }
}

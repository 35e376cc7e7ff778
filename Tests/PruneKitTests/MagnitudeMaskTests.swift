import Foundation
import Testing
@testable import PruneKit

@Suite struct MagnitudeMaskTests {
    let golden = TfmotGolden.shared

    /// The kernel each golden mask entry was computed on.
    static let kernelOfEntry = [
        "conv_0.5": "conv_3x3x1x8_seed42", "dense_0.5": "dense_20x6_seed7",
        "dense_0.5_block_1x2_avg": "dense_20x6_seed7", "dense_0.5_block_1x2_max": "dense_20x6_seed7",
        "dense_0.5_block_3x4_avg": "dense_20x6_seed7", "dense_m_by_n_2_4": "dense_20x6_seed7",
        "conv_m_by_n_2_4": "conv_3x3x1x8_seed42", "ties_2x3_0.5": "ties_2x3", "round_3x3_0.5": "arange_1_9_3x3",
        "round_1x5_0.5": "arange_1_5_1x5", "round_1x7_0.5": "arange_1_7_1x7",
        "dense_poly_step100_sparsity0": "dense_20x6_seed7", "dense_poly_step200": "dense_20x6_seed7",
        "dense_poly_step150_no_update": "dense_20x6_seed7",
    ]
    static let wrapperEntries = ["dense_0.5_via_wrapper_equal_to_direct", "dense_0.5_via_wrapper_threshold",
                                 "dense_0.5_via_wrapper_pruning_step_after_call"]

    @Test func everyGoldenEntryIsCovered() {
        #expect(golden.maskNames == (Array(Self.kernelOfEntry.keys) + Self.wrapperEntries).sorted())
    }

    /// One tfmot `conditional_mask_update()` from a fresh (weight, mask = ones, threshold = 0) triple.
    func update(entry name: String) throws -> (mask: MagnitudeMask, shouldPrune: Bool, sparsity: Float) {
        let entry = golden.mask(name)
        let weights = golden.kernel(Self.kernelOfEntry[name]!)
        let schedule: any PruningSchedule = name.hasPrefix("dense_poly")
            ? try PolynomialDecay(initialSparsity: 0, finalSparsity: 0.875, beginStep: 100, endStep: 1000)
            : try ConstantSparsity(targetSparsity: 0.5, beginStep: 0)
        let (shouldPrune, sparsity) = schedule(step: entry.step)
        let fresh = MagnitudeMask(mask: Tensor(repeating: 1, shape: weights.shape), threshold: 0)
        if let mByN = entry.mByN {
            let pattern = try NMSparsity(m: mByN[0], n: mByN[1])
            return (NMSparsity.shouldUpdate(atStep: entry.step) ? try pattern.mask(for: weights) : fresh, shouldPrune, sparsity)
        }
        guard shouldPrune else { return (fresh, shouldPrune, sparsity) }
        let pooling: BlockSparsity.Pooling = entry.blockPooling == "MAX" ? .maximum : .average
        let blocks = try BlockSparsity(rows: entry.blockSize[0], columns: entry.blockSize[1], pooling: pooling)
        return (try blocks.mask(for: weights, sparsity: sparsity), shouldPrune, sparsity)
    }

    @Test(arguments: Array(kernelOfEntry.keys).sorted())
    func reproducesTfmotMask(name: String) throws {
        let entry = golden.mask(name)
        let (result, shouldPrune, sparsity) = try update(entry: name)
        #expect(shouldPrune == entry.scheduleShouldPrune)
        #expect(sparsity.bitPattern == entry.scheduleSparsity.bits)
        #expect(result.mask == entry.mask, "\(name): mask differs")
        #expect(result.threshold.bitPattern == entry.threshold.bits,
                "\(name): threshold \(result.threshold) vs tfmot \(entry.threshold.float)")
        #expect(result.keptWeights == entry.maskOnes)
        #expect(result.mask.count == entry.maskSize)
        #expect(abs(result.achievedSparsity - entry.achievedSparsity) < 1e-7)
    }

    @Test func wrapperUpdateEqualsTheDirectOne() throws {
        // tfmot's PruneLowMagnitude(Dense(6)), pruning_step preset to 99, is incremented to 100 by the
        // call, which is a pruning turn of ConstantSparsity(0.5, 0): the same mask as at step 0.
        #expect(golden.maskValue("dense_0.5_via_wrapper_pruning_step_after_call") as? Int == 100)
        #expect(golden.maskValue("dense_0.5_via_wrapper_equal_to_direct") as? Bool == true)
        let schedule = try ConstantSparsity(targetSparsity: 0.5, beginStep: 0)
        let (shouldPrune, sparsity) = schedule(step: 100)
        #expect(shouldPrune)
        let result = try MagnitudeMask(weights: golden.kernel("dense_20x6_seed7"), sparsity: sparsity)
        #expect(result.mask == golden.mask("dense_0.5").mask)
        let threshold = TfmotGolden.float32(golden.maskValue("dense_0.5_via_wrapper_threshold"))
        #expect(result.threshold.bitPattern == threshold.bits)
    }

    // MARK: Element-wise rules

    @Test func tiesAtTheThresholdAreAllKept() throws {
        // |w| = .3 .5 .3 / .1 .3 .2 at 0.5: k = 3, the 3rd largest is .3, and all three .3 stay.
        let weights = Tensor(shape: [2, 3], scalars: [0.3, 0.5, -0.3, 0.1, 0.3, 0.2])
        let result = try MagnitudeMask(weights: weights, sparsity: 0.5)
        #expect(result.mask.scalars == [1, 1, 1, 0, 1, 0])
        #expect(result.threshold == 0.3)
        // −0 and +0 tie too: at sparsity 0 every weight stays.
        let zeros = try MagnitudeMask(weights: Tensor(shape: [3], scalars: [-0.0, 0, 1]), sparsity: 0)
        #expect(zeros.mask.scalars == [1, 1, 1] && zeros.threshold == 0)
    }

    @Test func exhaustiveSweepOverTinyTensors() throws {
        // Sizes 1…9, sparsities 0, 0.01, …, 0.99, distinct and tied magnitudes.
        var generator = SplitMix64(seed: 2024)
        for size in 1 ... 9 {
            let distinct = (0 ..< size).map { Float($0 + 1) * (Bool.random(using: &generator) ? 1 : -1) }.shuffled(using: &generator)
            let tied = (0 ..< size).map { _ in Float(Int.random(in: 0 ... 2, using: &generator)) * 0.5 }
            for percent in 0 ..< 100 {
                let sparsity = Float(percent) / 100
                let k = MagnitudeMask.keptCount(size: size, sparsity: sparsity)
                #expect(k == max(Int((Float(size) * (1 - sparsity)).rounded(.toNearestOrEven)), 1))
                #expect(k >= 1 && k <= size)
                for weights in [distinct, tied] {
                    let result = try MagnitudeMask(weights: Tensor(shape: [size], scalars: weights), sparsity: sparsity)
                    let magnitudes = weights.map(abs)
                    let threshold = magnitudes.sorted(by: >)[k - 1]
                    #expect(result.threshold == threshold)
                    #expect(result.mask.scalars == magnitudes.map { $0 >= threshold ? 1 : 0 })
                    // At least k kept (ties), exactly k when magnitudes are distinct.
                    #expect(result.keptWeights >= k)
                    if weights == distinct { #expect(result.keptWeights == k) }
                    // Achieved sparsity never exceeds the target, except where k's rounding or
                    // its floor of 1 keeps fewer than size·(1 − s) weights.
                    let exactKept = Double(size) * (1 - Double(sparsity))
                    if Double(k) >= exactKept {
                        #expect(result.achievedSparsity <= Double(sparsity) + 1e-7, "size \(size) s \(sparsity)")
                    } else {
                        #expect(exactKept - Double(k) <= 0.5 + 1e-6)
                    }
                }
            }
        }
    }

    @Test func roundingIsHalfToEvenInFloat32() {
        #expect(MagnitudeMask.keptCount(size: 9, sparsity: 0.5) == 4)   // round(4.5)
        #expect(MagnitudeMask.keptCount(size: 5, sparsity: 0.5) == 2)   // round(2.5)
        #expect(MagnitudeMask.keptCount(size: 7, sparsity: 0.5) == 4)   // round(3.5)
        #expect(MagnitudeMask.keptCount(size: 120, sparsity: 0.2604595422744751) == 89)
        #expect(MagnitudeMask.keptCount(size: 3, sparsity: 0.99) == 1)  // floor of 1
        #expect(MagnitudeMask.keptCount(size: 0, sparsity: 0.5) == 0)
    }

    @Test func nanMagnitudesRankAboveInfinity() throws {
        let weights = Tensor(shape: [4], scalars: [.nan, -.infinity, 1, 2])
        #expect(try MagnitudeMask(weights: weights, sparsity: 0.5).mask.scalars == [1, 1, 0, 0])
        #expect(try MagnitudeMask(weights: weights, sparsity: 0.75).mask.scalars == [1, 0, 0, 0])
    }

    @Test func emptyWeightsGiveAnEmptyMask() throws {
        let result = try MagnitudeMask(weights: Tensor(zeros: [0, 6]), sparsity: 0.5)
        #expect(result.mask.shape == [0, 6] && result.threshold == 0 && result.achievedSparsity == 0)
    }

    @Test func articleSizedKernelMatchesASort() throws {
        // The article's Dense kernel, 3200 × 128 = 409,600 weights, at its final sparsity.
        var generator = SplitMix64(seed: 7)
        let scalars = (0 ..< 409_600).map { _ in Float.random(in: -1 ... 1, using: &generator) }
        let weights = Tensor(shape: [3200, 128], scalars: scalars)
        let result = try MagnitudeMask(weights: weights, sparsity: 0.875)
        let k = MagnitudeMask.keptCount(size: 409_600, sparsity: 0.875)
        #expect(k == 51_200)
        #expect(result.threshold == scalars.map(abs).sorted(by: >)[k - 1])
        #expect(result.keptWeights >= k)
    }

    @Test func invalidSparsityThrowsNamingIt() {
        for bad: Float in [-0.1, 1, .nan] {
            let error = #expect(throws: PruningError.self) {
                try MagnitudeMask(weights: Tensor(zeros: [4]), sparsity: bad)
            }
            #expect(error?.description.contains("sparsity") == true)
        }
        #expect(throws: PruningError.sparsityOutOfRange(name: "sparsity", value: 1)) {
            try MagnitudeMask.global([Tensor(zeros: [4])], sparsity: 1)
        }
    }

    // MARK: Blocks

    @Test func sameWindowsPadHalfBeforeAndTheRestAfter() {
        #expect(BlockSparsity.sameWindows(length: 6, block: 4) == [0 ..< 3, 3 ..< 6])    // pad 2: 1 before
        #expect(BlockSparsity.sameWindows(length: 20, block: 3) == (0 ..< 7).map { $0 * 3 ..< min($0 * 3 + 3, 20) })
        #expect(BlockSparsity.sameWindows(length: 6, block: 2) == [0 ..< 2, 2 ..< 4, 4 ..< 6])
        #expect(BlockSparsity.sameWindows(length: 5, block: 8) == [0 ..< 5])              // pad 3: 1 before
    }

    @Test func blockErrors() throws {
        #expect(throws: PruningError.blockSizeNotPositive(rows: 0, columns: 2)) { try BlockSparsity(rows: 0, columns: 2) }
        let blocks = try BlockSparsity(rows: 2, columns: 2)
        #expect(throws: PruningError.blockSparsityNeedsRank2(shape: [3, 3, 1, 8])) {
            try blocks.mask(for: Tensor(zeros: [3, 3, 1, 8]), sparsity: 0.5)
        }
        // A 1 × 1 block is element-wise pruning on any rank, as in tfmot.
        let conv = golden.kernel("conv_3x3x1x8_seed42")
        #expect(try BlockSparsity(rows: 1, columns: 1).mask(for: conv, sparsity: 0.5) == MagnitudeMask(weights: conv, sparsity: 0.5))
    }

    // MARK: m-by-n

    @Test func mByNKeepsTheLargestOfEveryGroupWithTiesToTheLowerIndex() throws {
        // Dense [c_in = 6, c_out = 2]: output 0 sees 1 −4 3 3 | 0.5 0.1 (+ 2 pads), output 1 sees
        // 2 2 2 2 | 0 0. 2:4 keeps two per group: −4 and the first 3; 0.5 and 0.1 (pads are 0);
        // the first two 2s; and the two real zeros (they tie with the pads and come first).
        let weights = Tensor(shape: [6, 2], scalars: [1, 2, -4, 2, 3, 2, 3, 2, 0.5, 0, 0.1, 0])
        let result = try NMSparsity(m: 2, n: 4).mask(for: weights)
        #expect(result.mask.scalars == [0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1])
        #expect(result.threshold == 999)
        // Conv [1, 1, c_in = 4, c_out = 1]: the same rule along c_in.
        let conv = Tensor(shape: [1, 1, 4, 1], scalars: [0.1, 0.4, -0.3, 0.2])
        #expect(try NMSparsity(m: 2, n: 4).mask(for: conv).mask.scalars == [0, 1, 1, 0])
    }

    @Test func mByNTimingAndErrors() {
        #expect((0 ... 300).filter(NMSparsity.shouldUpdate(atStep:)) == [1])
        #expect(throws: PruningError.invalidMByN(m: 4, n: 4)) { try NMSparsity(m: 4, n: 4) }
        #expect(throws: PruningError.invalidMByN(m: -1, n: 4)) { try NMSparsity(m: -1, n: 4) }
        #expect(throws: PruningError.mByNNeedsRank2Or4(shape: [8])) { try NMSparsity(m: 2, n: 4).mask(for: Tensor(zeros: [8])) }
        #expect(PruningError.invalidMByN(m: 4, n: 4).description.contains("4:4"))
    }

    // MARK: Global

    @Test func globalPruningUsesOneThresholdAcrossLayers() throws {
        // Layer a: |w| = 0.9 0.1 0.5 0.3; layer b: |w| = 0.2 0.8 0.05 0.6 0.4 0.7.
        // 10 weights at 0.5: k = round(5.0) = 5. Sorted: .9 .8 .7 .6 .5 | .4 .3 .2 .1 .05,
        // threshold 0.5: a keeps .9 and .5 (50 %), b keeps .8 .6 .7 (50 %).
        let a = Tensor(shape: [2, 2], scalars: [0.9, -0.1, 0.5, 0.3])
        let b = Tensor(shape: [3, 2], scalars: [0.2, -0.8, 0.05, 0.6, -0.4, 0.7])
        let masks = try MagnitudeMask.global([a, b], sparsity: 0.5)
        #expect(masks.map(\.mask) == [Tensor(shape: [2, 2], scalars: [1, 0, 1, 0]),
                                      Tensor(shape: [3, 2], scalars: [0, 1, 0, 1, 0, 1])])
        #expect(masks.allSatisfy { $0.threshold == 0.5 })
        // At 0.7: k = round(10 · 0.3) = 3, threshold 0.7: layer a keeps only 0.9, b keeps 0.8 and 0.7,
        // where per-layer pruning would keep round(4 · 0.3) = 1 and round(6 · 0.3) = 2 (a: .9, b: .8 .7)…
        let seventy = try MagnitudeMask.global([a, b], sparsity: 0.7)
        #expect(seventy.map(\.keptWeights) == [1, 2] && seventy[0].threshold == 0.7)
        // …but at 0.25 they differ: global k = round(7.5) = 8 (threshold 0.2) keeps 3 of a and 5 of b,
        // per-layer keeps round(3.0) = 3 and round(4.5) = 4.
        let quarter = try MagnitudeMask.global([a, b], sparsity: 0.25)
        #expect(quarter.map(\.keptWeights) == [3, 5] && quarter[0].threshold == 0.2)
        #expect(try MagnitudeMask(weights: b, sparsity: 0.25).keptWeights == 4)
        // One layer is plain element-wise pruning.
        #expect(try MagnitudeMask.global([b], sparsity: 0.5) == [MagnitudeMask(weights: b, sparsity: 0.5)])
    }
}

import Foundation
import Testing
@testable import PruneKit

@Suite struct PruningScheduleTests {
    let golden = TfmotGolden.shared

    /// The tfmot schedule a golden table was produced with.
    func schedule(_ name: String) throws -> any PruningSchedule {
        let s = golden.schedule(name)
        if name == "constant_sparsity" {
            return try ConstantSparsity(targetSparsity: s.double("target_sparsity"), beginStep: s.int("begin_step"),
                                        endStep: s.int("end_step"), frequency: s.int("frequency"))
        }
        return try PolynomialDecay(initialSparsity: s.double("initial_sparsity"), finalSparsity: s.double("final_sparsity"),
                                   beginStep: s.int("begin_step"), endStep: s.int("end_step"),
                                   power: s.double("power"), frequency: s.int("frequency"))
    }

    @Test func goldenHasTheFourSchedules() {
        #expect(golden.scheduleNames == ["anchor_fashion_30ep", "anchor_mnist5k_30ep", "constant_sparsity", "polynomial_decay"])
    }

    @Test(arguments: ["polynomial_decay", "constant_sparsity", "anchor_mnist5k_30ep", "anchor_fashion_30ep"])
    func reproducesTfmotBitForBit(name: String) throws {
        let schedule = try schedule(name)
        for row in golden.schedule(name).table {
            let (shouldPrune, sparsity) = schedule(step: row.step)
            #expect(shouldPrune == row.shouldPrune, "\(name) step \(row.step)")
            #expect(sparsity.bitPattern == row.sparsity.bits,
                    "\(name) step \(row.step): \(sparsity) (0x\(String(sparsity.bitPattern, radix: 16))) vs tfmot \(row.sparsity.float)")
            // The decimal value agrees once rounded to float32 (JSON parsing on Linux can be a
            // double ulp off, so the bits are the reference).
            #expect(Float(row.sparsity.value) == sparsity)
        }
    }

    @Test func pruningTurnRule() throws {
        // step >= begin && (step <= end || end < 0) && (step − begin) % frequency == 0
        let bounded = try ConstantSparsity(targetSparsity: 0.5, beginStep: 10, endStep: 35, frequency: 10)
        #expect((0 ... 60).filter(bounded.isPruningTurn) == [10, 20, 30])
        let forever = try ConstantSparsity(targetSparsity: 0.5, beginStep: 3, frequency: 4)
        #expect((0 ... 20).filter { forever(step: $0).shouldPrune } == [3, 7, 11, 15, 19])
        #expect(forever(step: 1_000_003).shouldPrune)
        let single = try ConstantSparsity(targetSparsity: 0.25, beginStep: 5, endStep: 5, frequency: 1)
        #expect((0 ... 10).filter { single(step: $0).shouldPrune } == [5])
        #expect(single(step: 0).sparsity == 0.25)
    }

    // MARK: The end-step quirk

    @Test func articleScheduleStopsShortOfItsTarget() throws {
        // The article's run: 30 epochs × 16 steps = 480 steps, pruning from 20 % of them (96).
        // 480 − 96 = 384 is not a multiple of 100, so tfmot's last update is at 396.
        let schedule = try PolynomialDecay(initialSparsity: 0, finalSparsity: 0.875, beginStep: 96, endStep: 480)
        let timeline = schedule.timeline(through: 480)
        #expect(timeline.updates.map(\.step) == [96, 196, 296, 396])
        let anchor = golden.schedule("anchor_mnist5k_30ep").table
        let at396 = try #require(anchor.first { $0.step == 396 })
        #expect(timeline.lastTargetedSparsity?.bitPattern == at396.sparsity.bits)  // 0.8658409
        #expect(anchor.first { $0.step == 480 }?.shouldPrune == false)
        #expect(timeline.finalTargetSparsity == 0.875)
        #expect(timeline.shortfall == 0.875 - at396.sparsity.float)
        #expect(abs(timeline.shortfall - 0.0091591) < 1e-6)
    }

    @Test func optInUpdatesAtTheEndStepAndMeetsTheTarget() throws {
        let schedule = try PolynomialDecay(initialSparsity: 0, finalSparsity: 0.875, beginStep: 96, endStep: 480,
                                           updatesAtEndStep: true)
        let timeline = schedule.timeline(through: 600)
        #expect(timeline.updates.map(\.step) == [96, 196, 296, 396, 480])
        #expect(schedule(step: 480) == (true, 0.875))
        #expect(timeline.lastTargetedSparsity == 0.875)
        #expect(timeline.shortfall == 0)
        // Every other step is tfmot's.
        let tfmot = try PolynomialDecay(initialSparsity: 0, finalSparsity: 0.875, beginStep: 96, endStep: 480)
        for step in 0 ... 600 where step != 480 {
            #expect(schedule(step: step) == tfmot(step: step))
        }
    }

    @Test func scheduleWhoseRangeIsAMultipleOfTheFrequencyHasNoShortfall() throws {
        let schedule = try PolynomialDecay(initialSparsity: 0, finalSparsity: 0.875, beginStep: 100, endStep: 1000)
        let timeline = schedule.timeline(through: 2000)
        #expect(timeline.updates.map(\.step) == Array(stride(from: 100, through: 1000, by: 100)))
        #expect(timeline.shortfall == 0)
        let empty = schedule.timeline(through: 50)
        #expect(empty.updates.isEmpty && empty.lastTargetedSparsity == nil && empty.shortfall == 0.875)
    }

    /// Training's first pruning step is 1: a schedule's turn at step 0 is not in its timeline, and
    /// a model trained for the timeline's steps makes exactly its updates.
    @Test func timelineListsTheStepsTrainingVisits() throws {
        let schedule = try ConstantSparsity(targetSparsity: 0.5, beginStep: 0, frequency: 3)
        #expect(schedule.isPruningTurn(0))
        #expect(schedule.timeline(through: 7).updates.map(\.step) == [3, 6])
        #expect(try ConstantSparsity(targetSparsity: 0.5, beginStep: 0, frequency: 100).timeline(through: 52).updates.isEmpty)
        var model = try Sequential(inputShape: [4], seed: 1) { Dense(3) }.pruned(with: schedule)
        var updates: [Int] = []
        for _ in 1 ... 7 {
            let last = model.pruning?.lastUpdateStep
            try model.advancePruning()
            if let step = model.pruning?.lastUpdateStep, step != last { updates.append(step) }
        }
        #expect(updates == [3, 6])
    }

    @Test func curveIsMonotoneAndStartsAtTheInitialSparsity() throws {
        let schedule = try PolynomialDecay(initialSparsity: 0.25, finalSparsity: 0.75, beginStep: 0, endStep: 77, power: 2, frequency: 7)
        #expect(schedule(step: 0).sparsity == 0.25)
        #expect(schedule(step: 77).sparsity == 0.75)
        #expect(schedule(step: 1_000).sparsity == 0.75)
        let curve = (0 ... 77).map { schedule.sparsity(atStep: $0) }
        #expect(zip(curve, curve.dropFirst()).allSatisfy { $0 <= $1 })
    }

    // MARK: Validation

    /// Expects `body` to throw `expected`, with a description naming `parameter`. Compared by
    /// description, which NaN values (never `==`) still match.
    func expectError(_ expected: PruningError, naming parameter: String, sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () throws -> Void) {
        let error = #expect(throws: PruningError.self, sourceLocation: sourceLocation) { try body() }
        #expect(error?.description == expected.description, sourceLocation: sourceLocation)
        #expect(error?.description.contains(parameter) == true, "\(String(describing: error)) should name \(parameter)",
                sourceLocation: sourceLocation)
    }

    @Test func constantSparsityRejectsEachInvalidParameter() {
        for bad in [-0.1, 1, 1.2, .nan, .infinity] {
            expectError(.sparsityOutOfRange(name: "targetSparsity", value: bad), naming: "targetSparsity") {
                _ = try ConstantSparsity(targetSparsity: bad, beginStep: 0)
            }
        }
        expectError(.negativeBeginStep(-1), naming: "beginStep") { _ = try ConstantSparsity(targetSparsity: 0.5, beginStep: -1) }
        expectError(.endStepOutOfRange(endStep: 9, beginStep: 10, endAfterBegin: false, allowsForever: true), naming: "endStep") {
            _ = try ConstantSparsity(targetSparsity: 0.5, beginStep: 10, endStep: 9)
        }
        expectError(.endStepOutOfRange(endStep: -2, beginStep: 0, endAfterBegin: false, allowsForever: true), naming: "endStep") {
            _ = try ConstantSparsity(targetSparsity: 0.5, beginStep: 0, endStep: -2)
        }
        for bad in [0, -100] {
            expectError(.frequencyNotPositive(bad), naming: "frequency") {
                _ = try ConstantSparsity(targetSparsity: 0.5, beginStep: 0, frequency: bad)
            }
        }
        #expect(PruningError.sparsityOutOfRange(name: "targetSparsity", value: 1.2).description == "targetSparsity 1.2 is outside [0, 1)")
    }

    @Test func polynomialDecayRejectsEachInvalidParameter() {
        func make(initial: Double = 0, final: Double = 0.5, begin: Int = 0, end: Int = 100, power: Double = 3,
                  frequency: Int = 10) throws {
            _ = try PolynomialDecay(initialSparsity: initial, finalSparsity: final, beginStep: begin, endStep: end,
                                    power: power, frequency: frequency)
        }
        for bad in [-0.5, 1, .nan] {
            expectError(.sparsityOutOfRange(name: "initialSparsity", value: bad), naming: "initialSparsity") { try make(initial: bad) }
            expectError(.sparsityOutOfRange(name: "finalSparsity", value: bad), naming: "finalSparsity") { try make(final: bad) }
        }
        #expect(PruningError.sparsityOutOfRange(name: "finalSparsity", value: 1.2).description == "finalSparsity 1.2 is outside [0, 1)")
        expectError(.negativeBeginStep(-5), naming: "beginStep") { try make(begin: -5) }
        // tfmot: PolynomialDecay needs an end (no -1), and we also need end > begin (tfmot divides by 0).
        for bad in [-1, 49, 50] {
            expectError(.endStepOutOfRange(endStep: bad, beginStep: 50, endAfterBegin: true, allowsForever: false), naming: "endStep") {
                try make(begin: 50, end: bad)
            }
        }
        #expect(throws: Never.self) { try make(begin: 50, end: 51) }
        #expect(PruningError.endStepOutOfRange(endStep: 50, beginStep: 50, endAfterBegin: true, allowsForever: false).description
            == "endStep 50 is out of range: it must be > beginStep 50")
        #expect(PruningError.endStepOutOfRange(endStep: -2, beginStep: 0, endAfterBegin: false, allowsForever: true).description
            == "endStep -2 is out of range: it must be -1 (prune forever) or >= beginStep 0")
        expectError(.endStepOutOfRange(endStep: Int.max, beginStep: Int.max, endAfterBegin: true, allowsForever: false),
                    naming: "endStep") { try make(begin: Int.max, end: Int.max) }
        expectError(.frequencyNotPositive(0), naming: "frequency") { try make(frequency: 0) }
        for bad in [0, -1, .nan, .infinity] {
            expectError(.powerNotPositive(bad), naming: "power") { try make(power: bad) }
        }
        #expect(throws: Never.self) { try make(initial: 0.999, final: 0, power: 0.5) }
    }

    // MARK: Codable

    @Test func schedulesRoundTripThroughJSONAndRevalidate() throws {
        let decay = try PolynomialDecay(initialSparsity: 0.1, finalSparsity: 0.875, beginStep: 96, endStep: 480,
                                        frequency: 50, updatesAtEndStep: true)
        let constant = try ConstantSparsity(targetSparsity: 0.5, beginStep: 0)
        #expect(try JSONDecoder().decode(PolynomialDecay.self, from: JSONEncoder().encode(decay)) == decay)
        #expect(try JSONDecoder().decode(ConstantSparsity.self, from: JSONEncoder().encode(constant)) == constant)
        let tfmotConfig = #"{"initialSparsity":0,"finalSparsity":0.875,"beginStep":100,"endStep":1000,"power":3,"frequency":100}"#
        #expect(try JSONDecoder().decode(PolynomialDecay.self, from: Data(tfmotConfig.utf8)).updatesAtEndStep == false)
        let invalid = #"{"targetSparsity":1.5,"beginStep":0,"endStep":-1,"frequency":100}"#
        #expect(throws: PruningError.sparsityOutOfRange(name: "targetSparsity", value: 1.5)) {
            try JSONDecoder().decode(ConstantSparsity.self, from: Data(invalid.utf8))
        }
    }
}

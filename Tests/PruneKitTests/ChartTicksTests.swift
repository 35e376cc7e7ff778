import Testing
@testable import PruneKitCharts

@Suite struct ChartTicksTests {
    @Test func unitRangeStepsByTwoTenths() {
        let (values, step) = Ticks.linear(in: 0...1, targetCount: 5)
        #expect(step == 0.2)
        #expect(values == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(TickLabels.linear(values, step: step, format: .number) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(TickLabels.linear(values, step: step, format: .percent) == ["0%", "20%", "40%", "60%", "80%", "100%"])
    }

    @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        // 390 / 8 = 48.75 → 50; 390 / 5 = 78 → 100; 390 / 3 = 130 → 200.
        #expect(Ticks.linear(in: 0...390, targetCount: 8).values == [0, 50, 100, 150, 200, 250, 300, 350])
        #expect(Ticks.linear(in: 0...390, targetCount: 5).values == [0, 100, 200, 300])
        #expect(Ticks.linear(in: 0...390, targetCount: 3).values == [0, 200])
        #expect(Ticks.niceStep(span: 0.0037, targetCount: 5) == 0.001)
        #expect(Ticks.niceStep(span: 1.2e6, targetCount: 6) == 200_000)
    }

    @Test func ticksStayInsideOffsetRanges() {
        // −0.05…1.05 (5% padding around 0…1): the ticks still fall on multiples of 0.2.
        #expect(Ticks.linear(in: -0.05...1.05, targetCount: 6).values == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(Ticks.linear(in: -7...7, targetCount: 7).values == [-6, -4, -2, 0, 2, 4, 6])
    }

    @Test func logarithmicTicksAreDecades() {
        #expect(Ticks.logarithmic(in: 1...1e5, targetCount: 8) == [1, 10, 100, 1000, 10_000, 100_000])
        #expect(TickLabels.logarithmic([1, 10, 100, 1000, 10_000, 100_000, 1e6], format: .number)
            == ["1", "10", "100", "1k", "10k", "100k", "1M"])
        // 0.7…2e4 holds decades 1…10⁴.
        #expect(Ticks.logarithmic(in: 0.7...2e4, targetCount: 8) == [1, 10, 100, 1000, 10_000])
        // Twelve decades with room for six ticks: every second one.
        #expect(Ticks.logarithmic(in: 1...1e11, targetCount: 6) == [1, 100, 1e4, 1e6, 1e8, 1e10])
        // Under two decades: 1-2-5 within each.
        #expect(Ticks.logarithmic(in: 3...80, targetCount: 8) == [5, 10, 20, 50])
    }

    @Test func labelsAreCompact() {
        #expect(TickLabels.linear([0, 500, 1000, 1500], step: 500, format: .number) == ["0", "500", "1000", "1500"])
        #expect(TickLabels.linear([0, 5000, 10_000, 15_000], step: 5000, format: .number) == ["0", "5k", "10k", "15k"])
        #expect(TickLabels.linear([0, 2.5e6, 5e6], step: 2.5e6, format: .number) == ["0.0", "2.5M", "5.0M"])
        #expect(TickLabels.linear([-0.5, 0, 0.5], step: 0.5, format: .number) == ["\u{2212}0.5", "0.0", "0.5"])
        #expect(TickLabels.linear([0, 0.05, 0.1], step: 0.05, format: .percent) == ["0%", "5%", "10%"])
        #expect(TickLabels.linear([0, 0.025], step: 0.025, format: .percent) == ["0.0%", "2.5%"])
    }

    @Test func autoFitPadsTheDataAndPinsBarsToZero() {
        let padded = ResolvedAxis(.linear(), data: [0, 10], padding: 0.05, targetTickCount: 5)
        #expect(padded.range == -0.5...10.5)
        let bars = ResolvedAxis(.linear(), data: [0, 10], padding: 0.05, pinnedLower: 0, targetTickCount: 5)
        #expect(bars.range == 0...10.5)
        // Pinned away from the data: the padding is 5% of the span from the pinned bound.
        let pinnedFar = ResolvedAxis(.linear(), data: [8, 10], padding: 0.05, pinnedLower: 0, targetTickCount: 5)
        #expect(pinnedFar.range == 0...10.5)
        let single = ResolvedAxis(.linear(), data: [4, 4], padding: 0, targetTickCount: 5)
        #expect(single.range == 3.6...4.4)
        // Log axes skip zeros and negatives.
        let log = ResolvedAxis(.logarithmic(), data: [0, -3, 10, 1000], padding: 0, targetTickCount: 5)
        #expect(log.range == 10...1000)
        #expect(log.ticks == [10, 100, 1000])
        #expect(log.fraction(0) == nil)
    }
}

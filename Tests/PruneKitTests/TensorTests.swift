import Testing
@testable import PruneKit

@Suite struct TensorTests {
    @Test func zeroFractionCountsExactZeros() {
        let t = Tensor(shape: [2, 2], scalars: [0, 1, -0.0, 3])
        #expect(t.zeroFraction == 0.5)
    }

    @Test func reshapeKeepsScalars() {
        let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).reshaped(to: [3, 2])
        #expect(t.shape == [3, 2])
        #expect(t.scalars == [1, 2, 3, 4, 5, 6])
    }
}

@Suite struct TensorCountTests {
    @Test(arguments: [0, 1, 7, 8, 9, 17, 64, 1001])
    func zeroCountMatchesAScalarCount(count: Int) {
        var generator = SplitMix64(seed: UInt64(count))
        let scalars = (0 ..< count).map { _ -> Float in
            switch generator.next() % 4 { case 0: 0; case 1: -0.0; case 2: .nan; default: 1.5 }
        }
        let tensor = Tensor(shape: [count], scalars: scalars)
        #expect(tensor.zeroCount == scalars.filter { $0 == 0 }.count)
        #expect(tensor.nonZeroCount == count - tensor.zeroCount)
    }
}

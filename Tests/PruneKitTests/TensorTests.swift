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

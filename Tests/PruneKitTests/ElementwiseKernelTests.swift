import PruneKit
import Testing
import _PruneKitKernels

/// The plain-C kernels of `_PruneKitKernels` (element-wise loops, dropout, Adam, im2col/col2im;
/// max pooling in PoolingKernelTests) against straightforward Swift references, bit for bit, on sizes around the
/// eight-lane vector width and with special values (±0, ±∞, NaN, ties).
struct ElementwiseKernelTests {
    static let sizes = [0, 1, 7, 8, 9, 15, 16, 17, 33, 1001]

    @Test(arguments: sizes) func relu(count: Int) {
        var values = Self.values(count, seed: 1)
        let expected = values.map { $0 > 0 ? $0 : 0 }
        pk_relu(&values, count)
        #expect(bits(values) == bits(expected))
    }

    @Test(arguments: sizes) func reluGradient(count: Int) {
        var gradient = Self.values(count, seed: 2)
        let output = Self.values(count, seed: 3)
        let expected = zip(gradient, output).map { $1 > 0 ? $0 : 0 }
        pk_relu_gradient(&gradient, output, count)
        #expect(bits(gradient) == bits(expected))
    }

    @Test(arguments: sizes) func addAndMultiply(count: Int) {
        let source = Self.values(count, seed: 4)
        var sum = Self.values(count, seed: 5), product = sum
        let expectedSum = zip(sum, source).map { $0 + $1 }
        let expectedProduct = zip(product, source).map { $0 * $1 }
        pk_add(source, &sum, count)
        pk_multiply(&product, source, count)
        #expect(bits(sum) == bits(expectedSum))
        #expect(bits(product) == bits(expectedProduct))
    }

    @Test(arguments: sizes) func fillAndCountZeros(count: Int) {
        var values = [Float](repeating: 1, count: count)
        pk_fill(&values, count, -0.0)
        #expect(values.allSatisfy { $0.bitPattern == (-0.0 as Float).bitPattern })
        let mixed = Self.values(count, seed: 6)
        #expect(pk_count_zeros(mixed, count) == mixed.filter { $0 == 0 }.count)
        #expect(pk_count_zeros(values, count) == count)
    }

    @Test(arguments: [(0, 5), (1, 1), (3, 7), (7, 8), (5, 9), (2, 33), (3, 1001), (0, 32), (4, 32), (9, 64), (6, 71)])
    func biasAndRowSums(rows: Int, width: Int) {
        let bias = Self.values(width, seed: 7, specials: false)
        var values = Self.values(rows * width, seed: 8, specials: false)
        var expectedValues = values, expectedSums = [Float](repeating: 0, count: width)
        for r in 0 ..< rows {
            for j in 0 ..< width {
                expectedValues[r * width + j] += bias[j]
                expectedSums[j] += expectedValues[r * width + j]
            }
        }
        var sums = [Float](repeating: .nan, count: width)
        pk_add_bias(bias, &values, rows, width)
        pk_sum_rows(values, rows, width, &sums)
        #expect(bits(values) == bits(expectedValues))
        #expect(bits(sums) == bits(expectedSums))
    }

    @Test(arguments: sizes) func dropout(count: Int) {
        let source = Self.values(count, seed: 9)
        for (first, rate) in [(UInt32(0), Float(0.25)), (UInt32.max - 3, 0.5), (65_536, 0.9)] {
            let (low, high): (UInt32, UInt32) = (0x1234_5678, 0x9ABC_DEF0)
            let offset = (1 << 24) - UInt32((Double(rate) * 0x1p24).rounded(.up))
            let scale = 1 / (1 - rate)
            let expected = (0 ..< count).map { i in
                let bits = fmix32(fmix32((first &+ UInt32(i)) ^ low) ^ high)
                let kept = ((bits >> 8) &+ offset) >> 24
                return source[i] * (Float(kept) * scale)
            }
            // Each path the CPU runs (the GEMM path selects dropout's loop too): 16, 8 and 8 lanes.
            for path in ["avx512", "avx2+fma", "neon", "portable"] where pk_sgemm_supports(path) == 1 {
                #expect(pk_sgemm_select(path) == 0)
                defer { _ = pk_sgemm_select(nil) }
                var destination = [Float](repeating: .nan, count: count)
                pk_dropout_scale(source, &destination, count, first, low, high, offset, scale)
                #expect(bits(destination) == bits(expected), "path \(path), first \(first), rate \(rate)")
                var inPlace = source
                inPlace.withUnsafeMutableBufferPointer { pk_dropout_scale($0.baseAddress, $0.baseAddress, count, first, low, high, offset, scale) }
                #expect(bits(inPlace) == bits(expected), "in place, path \(path)")
            }
        }
    }

    @Test(arguments: sizes) func adamStep(count: Int) {
        let g = Self.values(count, seed: 10, specials: false)
        var theta = Self.values(count, seed: 11, specials: false)
        var m = Self.values(count, seed: 12, specials: false)
        var v = Self.values(count, seed: 13, specials: false).map { abs($0) }
        let (alpha, b1, b2, epsilon): (Float, Float, Float, Float) = (0.0031, 0.1, 0.001, 1e-7)
        var (expectedTheta, expectedM, expectedV) = (theta, m, v)
        for i in 0 ..< count {
            expectedM[i] += (g[i] - expectedM[i]) * b1
            expectedV[i] += (g[i] * g[i] - expectedV[i]) * b2
            expectedTheta[i] -= alpha * expectedM[i] / (expectedV[i].squareRoot() + epsilon)
        }
        pk_adam_step(&theta, &m, &v, g, count, alpha, b1, b2, epsilon)
        #expect(bits(m) == bits(expectedM))
        #expect(bits(v) == bits(expectedV))
        #expect(bits(theta) == bits(expectedTheta))
    }

    /// Spans (kernel width × channels) below and above the copy loop's switch to memcpy.
    @Test(arguments: [(2, 5, 6, 1, 3, 3), (3, 4, 4, 9, 3, 2), (1, 3, 3, 2, 3, 3), (2, 7, 5, 33, 2, 3)])
    func im2colAndCol2im(samples: Int, height: Int, width: Int, channels: Int, kernelHeight: Int, kernelWidth: Int) {
        let (outputHeight, outputWidth) = (height - kernelHeight + 1, width - kernelWidth + 1)
        let inputSize = height * width * channels, patchSize = kernelHeight * kernelWidth * channels
        let rows = samples * outputHeight * outputWidth
        let input = Self.values(samples * inputSize, seed: 16, specials: false)
        let patchGradient = Self.values(rows * patchSize, seed: 17, specials: false)
        var expectedPatches = [Float](repeating: 0, count: rows * patchSize)
        var expectedGradient = [Float](repeating: 0, count: samples * inputSize)
        var row = 0
        for n in 0 ..< samples {
            for y in 0 ..< outputHeight {
                for x in 0 ..< outputWidth {
                    var column = 0
                    for i in 0 ..< kernelHeight {
                        for j in 0 ..< kernelWidth {
                            for c in 0 ..< channels {
                                let index = n * inputSize + ((y + i) * width + x + j) * channels + c
                                expectedPatches[row * patchSize + column] = input[index]
                                expectedGradient[index] += patchGradient[row * patchSize + column]
                                column += 1
                            }
                        }
                    }
                    row += 1
                }
            }
        }
        var patches = [Float](repeating: .nan, count: rows * patchSize)
        var gradient = [Float](repeating: .nan, count: samples * inputSize)
        pk_im2col(input, samples, height, width, channels, kernelHeight, kernelWidth, height - kernelHeight + 1,
                  width - kernelWidth + 1, &patches)
        pk_col2im(patchGradient, samples, height, width, channels, kernelHeight, kernelWidth, &gradient)
        #expect(bits(patches) == bits(expectedPatches))
        #expect(bits(gradient) == bits(expectedGradient))
    }

    // MARK: - Helpers

    /// `count` values in [−1, 1); unless `specials` is false, every fifth one is taken in turn from
    /// ±0, ±∞, NaN and a subnormal.
    static func values(_ count: Int, seed: UInt64, specials: Bool = true) -> [Float] {
        var generator = SplitMix64(seed: seed)
        let special: [Float] = [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude]
        return (0 ..< count).map { i in
            if specials, i % 5 == 2 { return special[(i / 5) % special.count] }
            return Float(Int64(bitPattern: generator.next()) >> 40) / Float(1 << 23)
        }
    }
}

/// Bit patterns, so that NaNs compare equal and ±0 differ.
private func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

/// MurmurHash3's 32-bit finaliser.
private func fmix32(_ value: UInt32) -> UInt32 {
    var h = value
    h ^= h >> 16
    h &*= 0x85EB_CA6B
    h ^= h >> 13
    h &*= 0xC2B2_AE35
    return h ^ (h >> 16)
}

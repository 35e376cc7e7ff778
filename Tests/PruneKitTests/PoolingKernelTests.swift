import PruneKit
import Testing
import _PruneKitKernels

/// The max-pooling kernels (Sources/_PruneKitKernels/pooling.c: forward, forward fused with bias
/// and activation, channels-last and channel-major, and backward, also from recorded switches) against Swift references, bit
/// for bit, on every SIMD path this CPU runs (AVX-512, AVX2 and the baseline vectors, chosen with
/// the GEMM path; those it lacks are reported as skipped). Shapes have a dropped last row and
/// column, channel counts and row widths around the 8- and 16-lane vectors, and windows other
/// than 2 × 2; values are quantised so that windows have ties, and the fused kernels also see
/// ±0, ±∞ and NaN.
struct PoolingKernelTests {
    /// (height, width, channels, pool height, pool width).
    static let shapes = [(7, 5, 1, 2, 2), (6, 9, 9, 3, 2), (5, 5, 70, 2, 2), (4, 4, 8, 1, 1), (9, 7, 33, 2, 3),
                         (26, 26, 3, 2, 2), (11, 11, 17, 2, 2), (4, 41, 2, 2, 2)]

    @Test(.enabled(if: pk_sgemm_supports("avx512") == 1, "this CPU has no AVX-512F"))
    func avx512() { checkEveryKernel(on: "avx512") }
    @Test(.enabled(if: pk_sgemm_supports("avx2+fma") == 1, "this CPU has no AVX2 with FMA"))
    func avx2() { checkEveryKernel(on: "avx2+fma") }
    @Test(.enabled(if: pk_sgemm_supports("neon") == 1, "not an AArch64 build"))
    func neon() { checkEveryKernel(on: "neon") }
    @Test func baseline() { checkEveryKernel(on: "portable") }

    private func checkEveryKernel(on path: String) {
        #expect(pk_sgemm_select(path) == 0)
        defer { _ = pk_sgemm_select(nil) }
        for shape in Self.shapes {
            let label = "\(path) \(shape)"
            maxPool(shape, label)
            maxPoolThroughReLU(shape, label)
            for relu in [false, true] {
                biasMaxPool(shape, relu: relu, label)
                biasMaxPoolPlanes(shape, relu: relu, label)
            }
        }
    }

    /// Forward and backward (also in place) against the reference: the first window value, then
    /// `v > m ? v : m` in row-major order; the gradient to the first input equal to the maximum,
    /// +0 elsewhere.
    private func maxPool(_ shape: (Int, Int, Int, Int, Int), _ label: String) {
        let (height, width, channels, poolHeight, poolWidth) = shape
        let (outputHeight, outputWidth) = (height / poolHeight, width / poolWidth)
        let inputSize = height * width * channels, outputSize = outputHeight * outputWidth * channels
        let input = ElementwiseKernelTests.values(inputSize, seed: 14, specials: false).map { ($0 * 3).rounded() }
        let outputGradient = ElementwiseKernelTests.values(outputSize, seed: 15, specials: false)
        var expectedOutput = [Float](repeating: 0, count: outputSize)
        var expectedGradient = [Float](repeating: 0, count: inputSize)
        for y in 0 ..< outputHeight {
            for x in 0 ..< outputWidth {
                for c in 0 ..< channels {
                    let window = (0 ..< poolHeight).flatMap { i in
                        (0 ..< poolWidth).map { j in ((y * poolHeight + i) * width + x * poolWidth + j) * channels + c }
                    }
                    var maximum = input[window[0]]
                    for index in window.dropFirst() where input[index] > maximum { maximum = input[index] }
                    let o = (y * outputWidth + x) * channels + c
                    expectedOutput[o] = maximum
                    expectedGradient[window.first { input[$0] == maximum }!] = outputGradient[o]
                }
            }
        }
        var output = [Float](repeating: .nan, count: outputSize)
        var gradient = [Float](repeating: .nan, count: inputSize)
        pk_maxpool_forward(input, &output, width, channels, outputHeight, outputWidth, poolHeight, poolWidth)
        pk_maxpool_backward(input, output, outputGradient, &gradient, inputSize, width, channels,
                            outputHeight, outputWidth, poolHeight, poolWidth, 0)
        #expect(bits(output) == bits(expectedOutput), "forward \(label)")
        #expect(bits(gradient) == bits(expectedGradient), "backward \(label)")
        // In place: the gradient overwrites the input it is computed from.
        var inPlace = input
        inPlace.withUnsafeMutableBufferPointer { values in
            pk_maxpool_backward(values.baseAddress!, output, outputGradient, values.baseAddress!, inputSize, width, channels,
                                outputHeight, outputWidth, poolHeight, poolWidth, 0)
        }
        #expect(bits(inPlace) == bits(expectedGradient), "backward in place \(label)")
    }

    /// The gradient taken through the ReLU below in one pass has the bits of the two passes one
    /// after the other, on a ReLU's output (zeros, ties at zero and positive ties).
    private func maxPoolThroughReLU(_ shape: (Int, Int, Int, Int, Int), _ label: String) {
        let (height, width, channels, poolHeight, poolWidth) = shape
        let (outputHeight, outputWidth) = (height / poolHeight, width / poolWidth)
        let inputSize = height * width * channels, outputSize = outputHeight * outputWidth * channels
        var input = ElementwiseKernelTests.values(inputSize, seed: 18, specials: false).map { ($0 * 3).rounded() }
        pk_relu(&input, inputSize)
        let outputGradient = ElementwiseKernelTests.values(outputSize, seed: 19, specials: false)
        var output = [Float](repeating: .nan, count: outputSize)
        pk_maxpool_forward(input, &output, width, channels, outputHeight, outputWidth, poolHeight, poolWidth)
        var expected = [Float](repeating: .nan, count: inputSize)
        pk_maxpool_backward(input, output, outputGradient, &expected, inputSize, width, channels,
                            outputHeight, outputWidth, poolHeight, poolWidth, 0)
        pk_relu_gradient(&expected, input, inputSize)
        var fused = [Float](repeating: .nan, count: inputSize)
        pk_maxpool_backward(input, output, outputGradient, &fused, inputSize, width, channels,
                            outputHeight, outputWidth, poolHeight, poolWidth, 1)
        #expect(bits(fused) == bits(expected), "through ReLU \(label)")
        #expect(fused.contains { $0 != 0 }, "through ReLU \(label)")
    }

    /// Channels-last products → `bias + value`, the ReLU's rule when set, then the reference pooling.
    private func biasMaxPool(_ shape: (Int, Int, Int, Int, Int), relu: Bool, _ label: String) {
        let (height, width, channels, poolHeight, poolWidth) = shape
        let (outputHeight, outputWidth) = (height / poolHeight, width / poolWidth)
        let input = products(height * width * channels, seed: 30)
        let bias = ElementwiseKernelTests.values(channels, seed: 31, specials: false)
        var expected = [Float](repeating: 0, count: outputHeight * outputWidth * channels)
        for y in 0 ..< outputHeight {
            for x in 0 ..< outputWidth {
                for c in 0 ..< channels {
                    expected[(y * outputWidth + x) * channels + c] = pooled(poolHeight, poolWidth, bias: bias[c], relu: relu) { i, j in
                        input[((y * poolHeight + i) * width + x * poolWidth + j) * channels + c]
                    }
                }
            }
        }
        var output = [Float](repeating: .nan, count: expected.count)
        pk_bias_maxpool_forward(input, bias, relu ? 1 : 0, &output, width, channels, outputHeight, outputWidth,
                                poolHeight, poolWidth, nil, 0)
        #expect(bits(output) == bits(expected), "bias + pooling, relu \(relu), \(label)")
        // Recording switches (an odd stride between positions) changes no output, and the
        // gradient taken back from them has the bits of pk_maxpool_backward on the activated
        // values, through the ReLU when there is one.
        let switchStride = channels + 3
        var switches = [UInt8](repeating: 77, count: outputHeight * outputWidth * switchStride)
        var switched = [Float](repeating: .nan, count: expected.count)
        pk_bias_maxpool_forward(input, bias, relu ? 1 : 0, &switched, width, channels, outputHeight, outputWidth,
                                poolHeight, poolWidth, &switches, switchStride)
        #expect(bits(switched) == bits(expected), "bias + pooling with switches, relu \(relu), \(label)")
        var activated = input
        pk_add_bias(bias, &activated, height * width, channels)
        if relu { pk_relu(&activated, activated.count) }
        let outputGradient = ElementwiseKernelTests.values(expected.count, seed: 32, specials: false)
        var reference = [Float](repeating: .nan, count: input.count), gradient = reference
        pk_maxpool_backward(activated, expected, outputGradient, &reference, input.count, width, channels,
                            outputHeight, outputWidth, poolHeight, poolWidth, relu ? 1 : 0)
        pk_maxpool_switch_backward(outputGradient, switches, switchStride, &gradient, input.count, width, channels,
                                   outputHeight, outputWidth, poolHeight, poolWidth)
        #expect(bits(gradient) == bits(reference), "gradient from switches, relu \(relu), \(label)")
        #expect(gradient.contains { $0 != 0 }, "gradient from switches, relu \(relu), \(label)")
    }

    /// Channel-major products (rows wider than the image, planes wider than their rows) → pooled
    /// planes with padding between them: the reference values, +0 in each padding, and nothing
    /// written more than 15 floats past the last plane.
    private func biasMaxPoolPlanes(_ shape: (Int, Int, Int, Int, Int), relu: Bool, _ label: String) {
        let (height, width, channels, poolHeight, poolWidth) = shape
        let (outputHeight, outputWidth) = (height / poolHeight, width / poolWidth)
        let rowStride = width + 2, planeStride = height * rowStride + 5
        let pixels = outputHeight * outputWidth, outputPlaneStride = pixels + 3
        let planes = products(channels * planeStride, seed: 32)
        let bias = ElementwiseKernelTests.values(channels, seed: 33, specials: false)
        var expected = [Float](repeating: .nan, count: channels * outputPlaneStride + 32)
        for c in 0 ..< channels {
            for p in pixels ..< outputPlaneStride { expected[c * outputPlaneStride + p] = 0 }
            for y in 0 ..< outputHeight {
                for x in 0 ..< outputWidth {
                    expected[c * outputPlaneStride + y * outputWidth + x] = pooled(poolHeight, poolWidth, bias: bias[c], relu: relu) { i, j in
                        planes[c * planeStride + (y * poolHeight + i) * rowStride + x * poolWidth + j]
                    }
                }
            }
        }
        var output = [Float](repeating: .nan, count: expected.count)
        pk_bias_maxpool_planes(planes, planeStride, rowStride, bias, relu ? 1 : 0, &output, outputPlaneStride, channels,
                               outputHeight, outputWidth, poolHeight, poolWidth)
        let end = channels * outputPlaneStride
        #expect(bits(Array(output[..<end])) == bits(Array(expected[..<end])), "planes, relu \(relu), \(label)")
        let pastSpill = output[(end + 15)...].filter { !$0.isNaN }.count
        #expect(pastSpill == 0, "planes wrote past the spill, relu \(relu), \(label)")
    }
}

// MARK: - Helpers

/// Products for the fused kernels: quantised (ties), every seventh one ±0, ±∞ or NaN in turn.
private func products(_ count: Int, seed: UInt64) -> [Float] {
    let specials: [Float] = [0, -0.0, .infinity, -.infinity, .nan]
    return ElementwiseKernelTests.values(count, seed: seed, specials: false).enumerated().map { i, value in
        i % 7 == 3 ? specials[(i / 7) % specials.count] : (value * 4).rounded()
    }
}

/// One window of the fused kernels' reference: `f(v) = v + bias`, then `f > 0 ? f : 0` when
/// `relu`; the first window value, then `v > m ? v : m` in row-major order.
private func pooled(_ poolHeight: Int, _ poolWidth: Int, bias: Float, relu: Bool, _ value: (Int, Int) -> Float) -> Float {
    func f(_ v: Float) -> Float {
        let sum = v + bias
        return relu ? (sum > 0 ? sum : 0) : sum
    }
    var maximum = f(value(0, 0))
    for i in 0 ..< poolHeight {
        for j in 0 ..< poolWidth where i > 0 || j > 0 {
            let v = f(value(i, j))
            if v > maximum { maximum = v }
        }
    }
    return maximum
}

/// Bit patterns, so that NaNs compare equal and ±0 differ.
private func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

import Testing
@testable import PruneKit

/// In training, a convolution on GEMM followed by a MaxPool2D computes only the outputs the
/// pooling windows read (``ForwardPass/pooledBy``): those have the bits of the whole convolution,
/// the rows and columns past the last whole window are +0, and the pooled values are the same.
struct ConvolutionRegionTests {
    @Test func outputsThePoolingReadsAreComputedAlone() throws {
        var generator = SplitMix64(seed: 17)
        // (input shape, window, filters, pooling window): rows and columns left over, only rows,
        // only columns, none.
        let cases: [([Int], Int, Int, (height: Int, width: Int))] = [
            ([13, 13, 32], 3, 64, (2, 2)), ([9, 8, 16], 2, 5, (2, 3)), ([8, 9, 16], 2, 7, (3, 2)), ([7, 7, 4], 2, 3, (3, 3)),
        ]
        for (shape, size, filters, window) in cases {
            var layer = Conv2D(filters: filters, kernelSize: size, activation: .relu)
            layer.build(inputShape: shape, generator: &generator)
            let outputShape = try layer.outputShape(for: shape)
            let batch = 3
            let input = (0 ..< batch * shape.reduce(1, *)).map { _ in SplitMix64.unitFloat(generator.next()) - 0.5 }
            let whole = convolutionForward(layer, input: input, inputShape: shape, batch: batch, pooledBy: nil)
            let cropped = convolutionForward(layer, input: input, inputShape: shape, batch: batch, pooledBy: window)
            let (height, width) = (outputShape[0] / window.height * window.height, outputShape[1] / window.width * window.width)
            var differing = 0, nonZeroOutside = 0
            for sample in 0 ..< batch {
                for y in 0 ..< outputShape[0] {
                    for x in 0 ..< outputShape[1] {
                        for f in 0 ..< filters {
                            let i = ((sample * outputShape[0] + y) * outputShape[1] + x) * filters + f
                            if y < height && x < width {
                                if whole[i].bitPattern != cropped[i].bitPattern { differing += 1 }
                            } else if cropped[i].bitPattern != 0 {
                                nonZeroOutside += 1
                            }
                        }
                    }
                }
            }
            let label = "\(shape) \(size)×\(size) \(filters) filters, pooled \(window)"
            #expect(differing == 0, "\(label): \(differing) outputs the windows read differ")
            #expect(nonZeroOutside == 0, "\(label): \(nonZeroOutside) outputs past the windows are not +0")
        }
    }
}

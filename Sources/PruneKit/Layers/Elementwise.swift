import _PruneKitKernels

/// Element-wise loops of the layers, as thin wrappers over the plain-C kernels of
/// `_PruneKitKernels`: they vectorise in release builds and stay fast in debug builds, where
/// Swift's SIMD types cost tens of nanoseconds per element.
enum Elementwise {
    /// `values[i] = max(values[i], 0)` (NaN becomes 0).
    static func relu(_ values: UnsafeMutablePointer<Float>, count: Int) {
        pk_relu(values, count)
    }

    /// `gradient[i] = output[i] > 0 ? gradient[i] : 0`: ReLU's derivative from its output.
    static func reluGradient(_ gradient: UnsafeMutablePointer<Float>, output: UnsafePointer<Float>, count: Int) {
        pk_relu_gradient(gradient, output, count)
    }

    /// Adds `bias` to each of `rows` rows of `width` values.
    static func addBias(_ bias: UnsafePointer<Float>, to values: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        pk_add_bias(bias, values, rows, width)
    }

    /// Writes the column sums of `rows × width` values into `sums`.
    static func sumRows(_ values: UnsafePointer<Float>, rows: Int, width: Int, into sums: UnsafeMutablePointer<Float>) {
        pk_sum_rows(values, rows, width, sums)
    }

    /// `target[i] += source[i]`.
    static func add(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int) {
        pk_add(source, target, count)
    }

    /// `values[i] *= factors[i]`.
    static func multiply(_ values: UnsafeMutablePointer<Float>, by factors: UnsafePointer<Float>, count: Int) {
        pk_multiply(values, factors, count)
    }

    /// The number of values equal to zero.
    static func countZeros(_ values: UnsafePointer<Float>?, count: Int) -> Int {
        guard let values, count > 0 else { return 0 }
        return pk_count_zeros(values, count)
    }
}

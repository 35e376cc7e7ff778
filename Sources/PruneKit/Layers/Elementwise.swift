/// Element-wise loops of the layers, written with `SIMD8<Float>` so they vectorise whatever the
/// optimiser decides about aliasing, with a scalar loop for the tail.
enum Elementwise {
    /// `values[i] = max(values[i], 0)` (NaN becomes 0).
    static func relu(_ values: UnsafeMutablePointer<Float>, count: Int) {
        let raw = UnsafeMutableRawPointer(values)
        var i = 0
        while i + 8 <= count {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            raw.storeBytes(of: v.replacing(with: 0, where: .!(v .> 0)), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { values[i] = values[i] > 0 ? values[i] : 0; i += 1 }
    }

    /// `gradient[i] = output[i] > 0 ? gradient[i] : 0`: ReLU's derivative from its output.
    static func reluGradient(_ gradient: UnsafeMutablePointer<Float>, output: UnsafePointer<Float>, count: Int) {
        let g = UnsafeMutableRawPointer(gradient), y = UnsafeRawPointer(output)
        var i = 0
        while i + 8 <= count {
            let keep = y.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) .> 0
            let v = g.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            g.storeBytes(of: v.replacing(with: 0, where: .!keep), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { gradient[i] = output[i] > 0 ? gradient[i] : 0; i += 1 }
    }

    /// Adds `bias` to each of `rows` rows of `width` values.
    static func addBias(_ bias: UnsafePointer<Float>, to values: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for row in 0 ..< rows { add(bias, into: values + row * width, count: width) }
    }

    /// Writes the column sums of `rows × width` values into `sums`.
    static func sumRows(_ values: UnsafePointer<Float>, rows: Int, width: Int, into sums: UnsafeMutablePointer<Float>) {
        sums.initialize(repeating: 0, count: width)
        for row in 0 ..< rows { add(values + row * width, into: sums, count: width) }
    }

    /// `target[i] += source[i]`.
    static func add(_ source: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int) {
        let s = UnsafeRawPointer(source), t = UnsafeMutableRawPointer(target)
        var i = 0
        while i + 8 <= count {
            let sum = t.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) + s.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            t.storeBytes(of: sum, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { target[i] += source[i]; i += 1 }
    }

    /// `values[i] *= factors[i]`.
    static func multiply(_ values: UnsafeMutablePointer<Float>, by factors: UnsafePointer<Float>, count: Int) {
        let v = UnsafeMutableRawPointer(values), f = UnsafeRawPointer(factors)
        var i = 0
        while i + 8 <= count {
            let product = v.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) * f.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            v.storeBytes(of: product, toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count { values[i] *= factors[i]; i += 1 }
    }

    /// The number of values equal to zero.
    static func countZeros(_ values: UnsafePointer<Float>?, count: Int) -> Int {
        guard let values, count > 0 else { return 0 }
        let raw = UnsafeRawPointer(values)
        var lanes = SIMD8<Int32>()
        let zero = SIMD8<Int32>(), one = SIMD8<Int32>(repeating: 1)
        var i = 0
        while i + 8 <= count {
            let isZero = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) .== 0
            lanes &+= zero.replacing(with: one, where: isZero)
            i += 8
        }
        var zeros = Int(lanes.wrappedSum())
        while i < count { zeros += values[i] == 0 ? 1 : 0; i += 1 }
        return zeros
    }
}

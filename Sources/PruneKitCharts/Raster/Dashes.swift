/// Splits `polyline` into the dashes of an on/off pattern measured along its length, so that a
/// dashed line is stroked as many short polylines (each keeping the corners it passes through).
///
/// - Parameters:
///   - on: Length of each dash, in pixels, before caps.
///   - off: Length of each gap, in pixels.
func dashes(of polyline: [SIMD2<Double>], on: Double, off: Double) -> [[SIMD2<Double>]] {
    precondition(on > 0 && off > 0)
    var result: [[SIMD2<Double>]] = []
    var current: [SIMD2<Double>] = polyline.first.map { [$0] } ?? []
    var drawing = true
    var remaining = on
    for index in polyline.indices.dropFirst() {
        var start = polyline[index - 1]
        let end = polyline[index]
        var length = ((end - start) * (end - start)).sum().squareRoot()
        while length >= remaining {
            let cut = start + (end - start) * (remaining / length)
            if drawing {
                current.append(cut)
                result.append(current)
                current = []
            } else {
                current = [cut]
            }
            length -= remaining
            start = cut
            drawing.toggle()
            remaining = drawing ? on : off
        }
        remaining -= length
        if drawing { current.append(end) }
    }
    if drawing && current.count > 1 { result.append(current) }
    return result
}

/// The end of a Dense or Conv2D forward pass on rows of its output (the product already there):
/// the bias added, the values copied to the pass's pre-activation buffer when the model asks for
/// them, then the activation applied.
///
/// - Parameters:
///   - output: `rows × width` products, overwritten with the layer's output.
///   - offset: where `output` starts in the pass's output, in floats (the same place in the
///     pre-activation buffer).
func finishLinearOutput(_ output: UnsafeMutablePointer<Float>, rows: Int, width: Int, bias: UnsafePointer<Float>,
                        activation: Activation, offset: Int, pass: ForwardPass) {
    Elementwise.addBias(bias, to: output, rows: rows, width: width)
    if let logits = pass.preActivation {
        (logits.baseAddress! + offset).update(from: output, count: rows * width)
    }
    activation.apply(output, rows: rows, width: width)
}

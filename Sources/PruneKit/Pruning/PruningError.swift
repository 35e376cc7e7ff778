/// Why a pruning schedule or a mask could not be built.
///
/// Schedule parameters follow tfmot's `PruningSchedule._validate_step` and `_validate_sparsity`
/// (tensorflow-model-optimization 0.8.1), with the few stricter rules documented on each case.
public enum PruningError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A sparsity (`targetSparsity`, `initialSparsity`, `finalSparsity`, `sparsity`) is NaN or outside
    /// `[0, 1)`, tfmot's `0.0 <= sparsity < 1.0`.
    case sparsityOutOfRange(name: String, value: Double)
    /// `beginStep` is negative (tfmot: `begin_step should be >= 0`).
    case negativeBeginStep(Int)
    /// `endStep` is neither `-1` (prune forever, where allowed) nor a step at or after `beginStep`
    /// (strictly after it when `endAfterBegin`, as ``PolynomialDecay`` needs).
    case endStepOutOfRange(endStep: Int, beginStep: Int, endAfterBegin: Bool, allowsForever: Bool)
    /// `frequency` is below 1 (tfmot: `frequency should be > 0`).
    case frequencyNotPositive(Int)
    /// ``PolynomialDecay``'s `power` is NaN, infinite or not above 0 (tfmot does not check it).
    case powerNotPositive(Double)
    /// A block of a block-sparse mask has a side below 1.
    case blockSizeNotPositive(rows: Int, columns: Int)
    /// Block sparsity needs a rank-2 (Dense) kernel, as tfmot's `_validate_block`.
    case blockSparsityNeedsRank2(shape: [Int])
    /// An m-by-n pattern needs `0 <= m < n` (tfmot asserts `m < n`).
    case invalidMByN(m: Int, n: Int)
    /// m-by-n sparsity needs a rank-2 (Dense) or rank-4 (Conv2D) kernel, as tfmot's `weights_rearrange`.
    case mByNNeedsRank2Or4(shape: [Int])

    /// ``PruningPolicy`` options that cannot be used together, named as its initialiser's arguments.
    case incompatibleOptions([String], reason: String)
    /// ``PruningPolicy``'s `layerNames` is empty or names a layer twice.
    case invalidLayerNames([String], reason: String)

    /// A model was wrapped for pruning before it had weights.
    case modelNotBuilt
    /// A layer named for pruning does not exist.
    case unknownLayer(name: String, available: [String])
    /// A layer named for pruning has no prunable parameter (pooling, dropout, flatten), see
    /// ``Layer/prunableParameterIndex``.
    case notPrunable(layer: String, type: String)

    /// The error in one sentence that names the file, parameter or layer at fault.
    public var description: String {
        switch self {
        case .modelNotBuilt:
            return "the model has no weights yet: build it (Sequential(inputShape:)) before wrapping it for pruning"
        case .unknownLayer(let name, let available):
            return "no layer named \"\(name)\" to prune; prunable layers: \(available.joined(separator: ", "))"
        case .notPrunable(let layer, let type):
            return "layer \(layer) (\(type)) has no kernel to prune (no prunable parameter)"
        case .incompatibleOptions(let options, let reason):
            return "\(options.joined(separator: " and ")) cannot be used together: \(reason)"
        case .invalidLayerNames(let names, let reason):
            return "invalid layerNames \(names): \(reason)"
        case .sparsityOutOfRange(let name, let value):
            return "\(name) \(value) is outside [0, 1)"
        case .negativeBeginStep(let step):
            return "beginStep \(step) is negative: it must be >= 0"
        case .endStepOutOfRange(let endStep, let beginStep, let endAfterBegin, let allowsForever):
            let allowed = "\(endAfterBegin ? ">" : ">=") beginStep \(beginStep)"
            return "endStep \(endStep) is out of range: it must be \(allowsForever ? "-1 (prune forever) or " : "")\(allowed)"
        case .frequencyNotPositive(let frequency):
            return "frequency \(frequency) is out of range: it must be >= 1"
        case .powerNotPositive(let power):
            return "power \(power) is out of range: it must be a finite number > 0"
        case .blockSizeNotPositive(let rows, let columns):
            return "block size \(rows)x\(columns) is out of range: both sides must be >= 1"
        case .blockSparsityNeedsRank2(let shape):
            return "block sparsity needs a rank-2 kernel, got shape \(shape)"
        case .invalidMByN(let m, let n):
            return "m-by-n sparsity \(m):\(n) is out of range: it needs 0 <= m < n"
        case .mByNNeedsRank2Or4(let shape):
            return "m-by-n sparsity needs a rank-2 (Dense) or rank-4 (Conv2D) kernel, got shape \(shape)"
        }
    }
}

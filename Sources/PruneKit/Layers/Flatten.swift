/// Flattens each sample to one dimension, as Keras's `Flatten()`; channels-last order is kept, so
/// the following Dense kernel lines up with Keras's.
public struct Flatten: Layer {
    /// A flatten layer.
    public init() {}

    public var typeName: String { "Flatten" }
    public var namePrefix: String { "flatten" }

    public func outputShape(for inputShape: [Int]) throws(ModelError) -> [Int] {
        [inputShape.reduce(1, *)]
    }

    public func forward(_ pass: ForwardPass) {
        pass.output.baseAddress!.update(from: pass.input.baseAddress!, count: pass.output.count)
    }

    public func backward(_ pass: BackwardPass) {
        guard let inputGradient = pass.inputGradient else { return }
        inputGradient.baseAddress!.update(from: pass.outputGradient.baseAddress!, count: inputGradient.count)
    }
}

// MARK: - Configuration

extension Flatten: SavableLayer {
    /// Nothing: Flatten has no hyperparameters.
    public struct Configuration: Codable, Equatable, Sendable, CustomStringConvertible {
        /// The configuration as Swift code would create the layer.
        public var description: String { "Flatten()" }
    }

    public static var configurationKey: String { "flatten" }
    public var configuration: Configuration { Configuration() }
    /// A Flatten layer with this configuration and no parameters yet.
    public init(configuration: Configuration) throws(ModelError) { self.init() }
}

/// A layer that a model file can hold: it describes itself with a `Codable` configuration (its
/// hyperparameters, as Keras's `get_config`) and is rebuilt from one (`from_config`); its weights
/// are stored beside it under the names of ``Layer/parameterNames``.
///
/// PruneKit's own layers are savable. A layer of your own becomes savable by conforming, and is
/// read back by naming its type when loading:
///
/// ```swift
/// struct Scale: SavableLayer {
///     struct Configuration: Codable, Equatable, Sendable { var factor: Float }
///     static let configurationKey = "scale"
///     var configuration: Configuration { .init(factor: factor) }
///     init(configuration: Configuration) throws(ModelError) { … }
///     …
/// }
/// let model = try Sequential.load(from: path, customLayers: [Scale.self])
/// ```
///
/// In the file, a layer is `{"<configurationKey>": <configuration>}`, such as
/// `{"dense": {"activation": "softmax", "units": 10}}`.
public protocol SavableLayer: Layer {
    /// The hyperparameters that, with the input shape, determine the layer and its parameter shapes.
    associatedtype Configuration: Codable, Equatable, Sendable
    /// The key of the configuration in a model file, unique among the layer types a program loads,
    /// such as `"dense"`.
    static var configurationKey: String { get }
    /// This layer's hyperparameters.
    var configuration: Configuration { get }
    /// A new layer with `configuration` and no parameters yet (they come from the file or `build`).
    ///
    /// - Throws: ``ModelError/invalidConfiguration(layer:reason:)`` for hyperparameters the layer
    ///   cannot take: a file is untrusted input, so this must check what the layer's initialiser
    ///   would otherwise trap on.
    init(configuration: Configuration) throws(ModelError)
}

extension SavableLayer {
    /// Whether `other` is a layer of the same type with the same configuration.
    func hasSameConfiguration(as other: any Layer) -> Bool {
        (other as? Self)?.configuration == configuration
    }

    /// The configuration in words, for error messages: its `description` when it has one, such as
    /// `Dense(10, activation: softmax)`.
    var configurationDescription: String { String(describing: configuration) }
}

/// The layer types ``Checkpoint`` reads: PruneKit's own and a program's custom ones, by
/// ``SavableLayer/configurationKey``.
struct LayerTypes: @unchecked Sendable {
    /// PruneKit's layer types.
    static let builtIn: [any SavableLayer.Type] = [Conv2D.self, MaxPool2D.self, Dropout.self, Flatten.self, Dense.self]

    private let types: [String: any SavableLayer.Type]

    /// PruneKit's layer types and `custom` ones; a custom type with a built-in type's key replaces
    /// it, so a program can read a stored layer with its own implementation.
    init(custom: [any SavableLayer.Type]) {
        var types: [String: any SavableLayer.Type] = [:]
        for type in Self.builtIn + custom { types[type.configurationKey] = type }
        self.types = types
    }

    /// The type stored under `key`, if known.
    subscript(key: String) -> (any SavableLayer.Type)? { types[key] }
}

/// A layer's type and hyperparameters as a model file stores them, without its weights:
/// `{"<configurationKey>": <configuration>}` for a ``SavableLayer``, such as
/// `{"conv2D": {"activation": "relu", "filters": 32, "kernelSize": [3, 3]}}`.
///
/// Decoding needs the known layer types in the decoder's `userInfo` under ``typesKey``; a key they
/// do not hold or hyperparameters the type rejects are kept as such, so the reader can name the
/// layer at fault.
struct LayerConfiguration: Codable {
    /// What a stored configuration turned out to be.
    enum Content {
        /// A layer, without parameters.
        case layer(any SavableLayer)
        /// A key no known layer type has.
        case unknownType(String)
        /// A known type that refused the hyperparameters, with its reason.
        case invalid(String)
    }

    /// The `userInfo` key of the ``LayerTypes`` a decoder reads layers with.
    static let typesKey = CodingUserInfoKey(rawValue: "PruneKit.LayerTypes")!

    let content: Content

    /// The configuration of `layer`.
    init(_ layer: any SavableLayer) { content = .layer(layer) }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "a layer configuration has one key, the layer type; found "
                                                        + "\(container.allKeys.map(\.stringValue))"))
        }
        guard let type = (decoder.userInfo[Self.typesKey] as? LayerTypes)?[key.stringValue] else {
            content = .unknownType(key.stringValue)
            return
        }
        content = try type.decodeLayer(from: container, forKey: key)
    }

    func encode(to encoder: any Encoder) throws {
        guard case .layer(let layer) = content else {
            throw EncodingError.invalidValue(self, .init(codingPath: encoder.codingPath, debugDescription: "not a layer"))
        }
        var container = encoder.container(keyedBy: Key.self)
        try layer.encodeConfiguration(into: &container)
    }

    /// A configuration key: a layer type's ``SavableLayer/configurationKey``.
    struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}

private extension SavableLayer {
    /// Writes `{configurationKey: configuration}`.
    func encodeConfiguration(into container: inout KeyedEncodingContainer<LayerConfiguration.Key>) throws {
        try container.encode(configuration, forKey: .init(stringValue: Self.configurationKey))
    }

    /// Reads this type's configuration under `key` and makes the layer, or says why it cannot.
    static func decodeLayer(from container: KeyedDecodingContainer<LayerConfiguration.Key>,
                            forKey key: LayerConfiguration.Key) throws -> LayerConfiguration.Content {
        let configuration = try container.decode(Configuration.self, forKey: key)
        do { return .layer(try Self(configuration: configuration)) } catch {
            guard case .invalidConfiguration(_, let reason) = error else { return .invalid(error.description) }
            return .invalid(reason)
        }
    }
}

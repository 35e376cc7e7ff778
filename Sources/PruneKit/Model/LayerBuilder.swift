/// Collects the layers written inside `Sequential { … }`, one per line, as in Keras's
/// `Sequential([...])`.
@resultBuilder
public enum LayerBuilder {
    public static func buildExpression(_ layer: any Layer) -> [any Layer] { [layer] }
    public static func buildBlock(_ layers: [any Layer]...) -> [any Layer] { layers.flatMap { $0 } }
    public static func buildOptional(_ layers: [any Layer]?) -> [any Layer] { layers ?? [] }
    public static func buildEither(first layers: [any Layer]) -> [any Layer] { layers }
    public static func buildEither(second layers: [any Layer]) -> [any Layer] { layers }
    public static func buildArray(_ layers: [[any Layer]]) -> [any Layer] { layers.flatMap { $0 } }
}

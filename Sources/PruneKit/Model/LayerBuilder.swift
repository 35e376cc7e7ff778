/// Collects the layers written inside `Sequential { … }`, one per line, as in Keras's
/// `Sequential([...])`.
@resultBuilder
public enum LayerBuilder {
    /// One layer.
    public static func buildExpression(_ layer: any Layer) -> [any Layer] { [layer] }
    /// Layers written one after another, in order.
    public static func buildBlock(_ layers: [any Layer]...) -> [any Layer] { layers.flatMap { $0 } }
    /// Layers under an `if` without `else`: none when the condition is false.
    public static func buildOptional(_ layers: [any Layer]?) -> [any Layer] { layers ?? [] }
    /// The layers of an `if` branch.
    public static func buildEither(first layers: [any Layer]) -> [any Layer] { layers }
    /// The layers of an `else` branch.
    public static func buildEither(second layers: [any Layer]) -> [any Layer] { layers }
    /// Layers made by a `for` loop, in order.
    public static func buildArray(_ layers: [[any Layer]]) -> [any Layer] { layers.flatMap { $0 } }
}

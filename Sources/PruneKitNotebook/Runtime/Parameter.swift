/// A value a notebook parameter can take: written and read back as text (`--set epochs=2`).
public protocol NotebookParameterValue: LosslessStringConvertible, Sendable {}

extension Int: NotebookParameterValue {}
extension Double: NotebookParameterValue {}
extension Bool: NotebookParameterValue {}
extension String: NotebookParameterValue {}

/// A papermill-style parameter: the notebook's `default`, replaced by `quick` in quick mode (`--quick`,
/// meant for CI) and by an explicit override (`--set name=value`) above both.
///
/// ```swift
/// let epochs = parameter("epochs", default: 30, quick: 1)
/// ```
///
/// The value used and where it came from are reported to the weaver, which records them in the page
/// header; an override the notebook never declares makes the weaver fail the run. A value that does
/// not parse as the default's type stops the notebook with an error naming the parameter.
///
/// - Parameters:
///   - name: The name used on the command line.
///   - default: The value of a full run (the article's setting).
///   - quick: The value in quick mode, when it differs from `default`.
public func parameter<Value: NotebookParameterValue>(_ name: String, default: Value, quick: Value? = nil) -> Value {
    let session = NotebookSession.shared
    session.start()
    let value: Value
    let origin: ParameterOrigin
    if let text = session.overrides[name] {
        guard let parsed = Value(text) else {
            session.fail("parameter \(name): cannot read '\(text)' as \(Value.self)")
        }
        (value, origin) = (parsed, .override)
    } else if session.isQuick, let quick {
        (value, origin) = (quick, .quick)
    } else {
        (value, origin) = (`default`, .default)
    }
    session.emit(.parameter(name: name, value: value.description, origin: origin),
                 plain: origin == .default ? nil : "parameter \(name) = \(value) (\(origin.rawValue))")
    return value
}

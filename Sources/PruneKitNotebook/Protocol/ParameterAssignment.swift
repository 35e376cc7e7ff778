import Foundation

/// A parameter override written `name=value`, as `--set` and a notebook's own arguments take it.
public enum ParameterAssignment {
    /// `text` split at its first `=`, the name trimmed of spaces; `nil` without an `=` or a name.
    ///
    ///     ParameterAssignment.parse("epochs=2")      // ("epochs", "2")
    ///     ParameterAssignment.parse("label=a=b")     // ("label", "a=b")
    ///     ParameterAssignment.parse("=2")            // nil
    public static func parse(_ text: some StringProtocol) -> (name: String, value: String)? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let name = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return nil }
        return (name, String(text[text.index(after: equals)...]))
    }
}

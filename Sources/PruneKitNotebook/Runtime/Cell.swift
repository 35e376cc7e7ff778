/// Marks the start of a notebook cell: the code from this call to the next `cell(…)` is one cell,
/// and everything it prints, shows or throws lands under it in the page.
///
/// Comments vanish at run time, so this call is how the weaver ties output to source: it sends the
/// call's `#line`, which the weaver matches to the `cell(…)` line it found in the source. Run on its
/// own, the notebook prints the title as a heading instead.
///
/// - Parameters:
///   - title: A few words naming the step; shown on a terminal and in error messages.
///   - line: The source line of the call (leave the default).
public func cell(_ title: String, line: Int = #line) {
    NotebookSession.shared.emit(.cell(line: line, title: title),
                                plain: "\n── \(title) " + String(repeating: "─", count: max(3, 72 - title.count)))
}

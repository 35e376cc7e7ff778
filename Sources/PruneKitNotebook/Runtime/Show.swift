import Foundation
import PruneKitCharts

/// Shows a table under the current cell: Markdown in the page, aligned text on a terminal.
public func show(table: NotebookTable) {
    NotebookSession.shared.emit(.table(table), plain: table.plainText)
}

/// Shows a table given as column titles and rows (see ``NotebookTable/init(headers:rows:alignments:)``).
public func show(headers: [String], rows: [[String]]) {
    show(table: NotebookTable(headers: headers, rows: rows))
}

/// Shows Markdown computed by the notebook (a sentence with measured numbers, a list) as part of
/// the page; printed as is on a terminal.
public func show(markdown: String) {
    NotebookSession.shared.emit(.markdown(markdown), plain: markdown)
}

/// Writes `image` as `<name>.png` into the page's files directory and shows it under the current
/// cell (on a terminal, prints where the file is).
///
/// - Parameters:
///   - image: The picture, for example a rendered chart.
///   - name: The file name without `.png`: letters, digits, `-` and `_`, unique within the notebook.
///   - alt: What the picture shows, for the page's alt text.
/// - Throws: `ChartError` when the file cannot be written.
public func show(image: ChartImage, name: String, alt: String) throws {
    let session = NotebookSession.shared
    session.start()
    guard !name.isEmpty, name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }) else {
        session.fail("image name '\(name)' must be letters, digits, '-' and '_'")
    }
    try FileManager.default.createDirectory(atPath: session.filesDirectory, withIntermediateDirectories: true)
    let file = name + ".png"
    let path = (session.filesDirectory as NSString).appendingPathComponent(file)
    try image.writePNG(to: path)
    session.emit(.image(file: file, alt: alt), plain: "[image: \(alt) → \(path)]")
}

/// Renders a line chart at `width`×`height` in the font at `fontPath` and shows it (see
/// ``show(image:name:alt:)``).
///
/// - Throws: `ChartError.fontNotFound` or `ChartError.fontUnreadable`
///   naming `fontPath`, before anything is shown; `ChartError` when the file cannot be written.
public func show(_ chart: LineChart, name: String, alt: String? = nil, width: Int = 900, height: Int = 500,
                 fontPath: String = ChartFont.defaultPath) throws {
    try show(image: chart.render(width: width, height: height, fontPath: fontPath), name: name, alt: alt ?? chart.title)
}

/// Renders a histogram chart at `width`×`height` in the font at `fontPath` and shows it (see
/// ``show(image:name:alt:)``).
///
/// - Throws: as ``show(_:name:alt:width:height:fontPath:)-(LineChart,_,_,_,_,_)``.
public func show(_ chart: HistogramChart, name: String, alt: String? = nil, width: Int = 900, height: Int = 500,
                 fontPath: String = ChartFont.defaultPath) throws {
    try show(image: chart.render(width: width, height: height, fontPath: fontPath), name: name, alt: alt ?? chart.title)
}

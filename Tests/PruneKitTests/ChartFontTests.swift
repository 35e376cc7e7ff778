import Foundation
import PruneKitCharts
import PruneKitNotebook
import Testing

/// Charts find a system font by default and take any other, with errors that name the path.
@Suite struct ChartFontTests {
    @Test func theDefaultIsTheFirstReadableSearchPath() throws {
        let path = ChartFont.defaultPath
        #expect(ChartFont.searchPaths.contains(path))
        let readable = ChartFont.searchPaths.filter { FileManager.default.isReadableFile(atPath: $0) }
        #expect(path == readable.first ?? ChartFont.searchPaths[0])
        #if os(Linux)
        #expect(ChartFont.searchPaths[0] == "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
        #endif
        try ChartFont.check(path: path)
    }

    @Test func aMissingOrBadFontIsNamed() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("missing.ttf")
        #expect(throws: ChartError.fontNotFound(path: missing)) { try ChartFont.check(path: missing) }
        #expect(ChartError.fontNotFound(path: missing).description.hasPrefix("\(missing): font file not found"))
        let garbage = try directory.write(Array("not a font".utf8), to: "garbage.ttf")
        let error = #expect(throws: ChartError.self) { try ChartFont.check(path: garbage) }
        #expect(error?.description.hasPrefix("\(garbage): cannot load font: not a font file FreeType can read") == true)
        #expect(throws: ChartError.self) { try ChartFont.check(path: directory.url.path) }
    }

    @Test func chartsAndNotebookShowTakeAFontPath() throws {
        let chart = ChartSamples.sparsityChart()
        let directory = try TemporaryDirectory()
        let missing = directory.path("missing.ttf")
        #expect(throws: ChartError.fontNotFound(path: missing)) { try chart.render(width: 300, height: 200, fontPath: missing) }
        // `show` renders before it shows anything, so a bad font fails with nothing written.
        #expect(throws: ChartError.fontNotFound(path: missing)) { try show(chart, name: "chart", fontPath: missing) }
        #if os(Linux)
        // Another font (fonts-dejavu-core has three) gives a chart of the same size with other glyphs.
        let other = try #require(["/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"]
            .first { FileManager.default.isReadableFile(atPath: $0) })
        let inDefault = try chart.render(width: 300, height: 200)
        let inOther = try chart.render(width: 300, height: 200, fontPath: other)
        #expect(inDefault.width == inOther.width && inDefault != inOther)
        #endif
    }
}

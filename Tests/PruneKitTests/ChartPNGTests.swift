import Foundation
import Testing
@testable import PruneKitCharts

@Suite struct ChartPNGTests {
    @Test func renderedChartRoundTripsThroughPNG() throws {
        let directory = try TemporaryDirectory()
        let image = try ChartSamples.sparsityChart().render(width: 1000, height: 600)
        #expect(image.width == 1000 && image.height == 600)
        try image.writePNG(to: directory.path("chart.png"))
        let decoded = try ChartImage(contentsOfPNG: directory.path("chart.png"))
        #expect(decoded == image)
    }

    @Test func unwritableDestinationNamesThePath() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("missing/chart.png")
        let image = ChartImage(width: 2, height: 1, rgb: [0, 0, 0, 255, 255, 255])
        #expect(throws: ChartError.self) { try image.writePNG(to: path) }
        do {
            try image.writePNG(to: path)
        } catch {
            guard case .cannotWritePNG(let reported, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(reported == path)
            #expect(error.description.hasPrefix(path))
        }
    }

    @Test func failedWritesLeaveTheExistingFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("chart.png")
        let original = ChartImage(width: 1, height: 1, rgb: [10, 20, 30])
        try original.writePNG(to: path)
        // An image libpng refuses to encode fails before any file is touched.
        #expect(throws: ChartError.self) { try ChartImage(width: 0, height: 0, rgb: []).writePNG(to: path) }
        #expect(try ChartImage(contentsOfPNG: path) == original)
        // A rename that fails (onto a directory) removes the temporary file it wrote.
        let blocked = directory.path("blocked.png")
        try FileManager.default.createDirectory(atPath: blocked + "/inside", withIntermediateDirectories: true)
        #expect(throws: ChartError.self) { try original.writePNG(to: blocked) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == ["blocked.png", "chart.png"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: blocked) == ["inside"])
    }

    @Test func longFileNamesAreWritable() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path(String(repeating: "c", count: 246) + ".png")
        let image = ChartImage(width: 1, height: 1, rgb: [10, 20, 30])
        try image.writePNG(to: path)
        #expect(try ChartImage(contentsOfPNG: path) == image)
    }

    @Test func unreadablePNGNamesThePath() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(Array("not a png".utf8), to: "bad.png")
        #expect {
            try ChartImage(contentsOfPNG: path)
        } throws: { error in
            guard case .cannotReadPNG(let reported, let detail) = error as? ChartError else { return false }
            return reported == path && !detail.isEmpty
        }
    }

    @Test func missingFontNamesThePath() {
        let chart = LineChart(title: "t")
        #expect(throws: ChartError.fontNotFound(path: "/nonexistent/DejaVuSans.ttf")) {
            try chart.render(width: 100, height: 100, fontPath: "/nonexistent/DejaVuSans.ttf")
        }
        #expect(ChartError.fontNotFound(path: "/x/f.ttf").description.contains("/x/f.ttf"))
        #expect(throws: ChartError.invalidSize(width: 0, height: 10)) { try chart.render(width: 0, height: 10) }
    }
}

@Test func grayImageIsScaledToRGB() {
    let image = ChartImage(width: 2, height: 1, gray: [0, 200], scale: 2)
    #expect(image.width == 4 && image.height == 2)
    #expect(image.pixel(x: 1, y: 1) == (0, 0, 0))
    #expect(image.pixel(x: 2, y: 0) == (200, 200, 200))
    #expect(image.pixel(x: 3, y: 1) == (200, 200, 200))
}

import Foundation
import PruneKitCharts
import PruneKitFiles
import Testing

/// The one atomic writer, used by model files, reports, charts and notebook pages.
@Suite struct AtomicFileTests {
    private func contents(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func writesAndReplacesLeavingNoTemporaryFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("file.bin")
        try AtomicFile.write([1, 2, 3], to: path)
        #expect(try contents(path) == [1, 2, 3])
        try AtomicFile.write(Array(repeating: 7, count: 100_000), to: path)
        #expect(try contents(path) == Array(repeating: 7, count: 100_000))
        try AtomicFile.write([], to: path)
        #expect(try contents(path) == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["file.bin"])
    }

    @Test func failuresNameThePathAndLeaveTheOldFile() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("missing/file.bin")
        let error = #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write([1], to: missing) }
        #expect(error?.path == missing)
        #expect(error?.description.hasPrefix("\(missing): cannot write: cannot create a file in \(directory.path("missing"))") == true)

        // A rename onto a non-empty directory fails: the directory stays, the temporary file goes.
        let blocked = directory.path("blocked")
        try FileManager.default.createDirectory(atPath: blocked + "/inside", withIntermediateDirectories: true)
        let renameError = #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write([1], to: blocked) }
        #expect(renameError?.detail.hasPrefix("cannot replace the file") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["blocked"])
    }

    @Test func longFileNamesAreWritable() throws {
        let directory = try TemporaryDirectory()
        // 250 bytes: a temporary name made by adding to it would pass NAME_MAX (255).
        let path = directory.path(String(repeating: "n", count: 246) + ".bin")
        try AtomicFile.write([9], to: path)
        #expect(try contents(path) == [9])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).count == 1)
    }

    @Test func chartsWriteTheirPNGEncodingThroughIt() throws {
        let directory = try TemporaryDirectory()
        let image = ChartImage(width: 2, height: 1, rgb: [0, 0, 0, 255, 255, 255])
        try image.writePNG(to: directory.path("chart.png"))
        #expect(try contents(directory.path("chart.png")) == image.pngData())
        #expect(try ChartImage(contentsOfPNG: directory.path("chart.png")) == image)
    }
}

import ArgumentParser
import Foundation

/// Where the notebook executables are built: by default next to this command's own executable
/// (`<scratch>/<triple>/<configuration>/notebook`), so `swift run [-c release] [--scratch-path X]
/// notebook` finds the notebooks of the same build.
struct BuildLocation {
    /// SwiftPM's scratch path.
    var scratchPath: String
    /// `debug` or `release`.
    var configuration: String
    /// The directory holding the executables.
    var binPath: String

    init(scratchPath: String?, configuration: String?) {
        let own = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
        let ownBin = own.deletingLastPathComponent()
        let ownConfiguration = ownBin.lastPathComponent
        let triple = ownBin.deletingLastPathComponent()
        self.configuration = configuration ?? (["debug", "release"].contains(ownConfiguration) ? ownConfiguration : "debug")
        if let scratchPath {
            self.scratchPath = scratchPath
            // Under another scratch path, the executables sit in <scratch>/<configuration> (a link to the triple's).
            binPath = URL(fileURLWithPath: scratchPath).appendingPathComponent(self.configuration).resolvingSymlinksInPath().path
        } else {
            self.scratchPath = triple.deletingLastPathComponent().path
            binPath = triple.appendingPathComponent(self.configuration).path
        }
    }

    /// `swift build` of `products` (all targets when empty), its output passed through to standard error.
    func build(products: [String], packagePath: String) throws {
        var arguments = ["swift", "build", "--package-path", packagePath, "--scratch-path", scratchPath, "-c", configuration]
        for product in products { arguments += ["--product", product] }
        log("$ " + arguments.joined(separator: " "))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            log("swift build failed (status \(process.terminationStatus))")
            throw ExitCode(1)
        }
    }
}

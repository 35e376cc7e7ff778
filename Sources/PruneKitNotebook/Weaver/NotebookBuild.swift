import Foundation

/// Where the notebook executables are built, and building them: by default next to the weaving
/// command's own executable (`<scratch>/<triple>/<configuration>/notebook`), so `swift run
/// [-c release] [--scratch-path X] notebook` finds the notebooks of the same build.
public struct NotebookBuild: Sendable, Equatable {
    /// SwiftPM's scratch path.
    public var scratchPath: String
    /// `debug` or `release`.
    public var configuration: String
    /// The directory holding the executables.
    public var binPath: String

    /// The build beside `executablePath` (the weaving command's own executable), or under
    /// `scratchPath` when given, in `configuration` (by default the executable's own, else debug).
    public init(executablePath: String, scratchPath: String?, configuration: String?) {
        let own = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
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

    /// The `swift build` command line for one product.
    public func buildArguments(product: String, packagePath: String) -> [String] {
        ["swift", "build", "--package-path", packagePath, "--scratch-path", scratchPath, "-c", configuration, "--product", product]
    }

    /// Runs `swift build` for each of `products` in turn (SwiftPM builds one product per command;
    /// building the whole package instead would also build dependencies' tools, such as
    /// swift-protobuf's `protoc`, that no notebook needs), its output passed through to standard error.
    ///
    /// - Throws: ``NotebookError/buildFailed(status:)`` when a build fails, or the error of starting it.
    public func build(products: [String], packagePath: String, log: (String) -> Void) throws {
        for product in products {
            let arguments = buildArguments(product: product, packagePath: packagePath)
            log("$ " + arguments.joined(separator: " "))
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            process.standardOutput = FileHandle.standardError
            process.standardError = FileHandle.standardError
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw NotebookError.buildFailed(status: process.terminationStatus) }
        }
    }
}

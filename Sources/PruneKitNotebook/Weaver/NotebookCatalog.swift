import Foundation

/// The notebooks of a package: one folder per notebook under `Notebooks/`, each with a `main.swift`
/// and the executable target `nb<folder>`.
public struct NotebookCatalog: Sendable {
    /// One notebook.
    public struct Entry: Sendable, Equatable {
        /// The folder name, `03-pruning`; also the page's name.
        public var name: String
        /// The source file relative to the package root, `Notebooks/03-pruning/main.swift`.
        public var sourcePath: String
        /// The executable target and product, `nb03-pruning`.
        public var product: String { "nb" + name }
    }

    /// The package root.
    public var packagePath: String
    /// Every notebook, by name.
    public var entries: [Entry]

    /// Lists `Notebooks/*/main.swift` under `packagePath`.
    public init(packagePath: String) {
        self.packagePath = packagePath
        let folder = (packagePath as NSString).appendingPathComponent("Notebooks")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        entries = names.sorted().filter {
            FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("\($0)/main.swift"))
        }.map { Entry(name: $0, sourcePath: "Notebooks/\($0)/main.swift") }
    }

    /// The notebook a user means by `reference`: its source path (`Notebooks/03-pruning/main.swift`),
    /// folder (`Notebooks/03-pruning`), name (`03-pruning`), product (`nb03-pruning`) or number (`3`, `03`).
    public func entry(for reference: String) -> Entry? {
        var key = reference
        while key.hasSuffix("/") { key.removeLast() }
        if key.hasSuffix("/main.swift") { key = String(key.dropLast("/main.swift".count)) }
        key = (key as NSString).lastPathComponent
        if key.hasPrefix("nb") { key = String(key.dropFirst(2)) }
        if let exact = entries.first(where: { $0.name == key }) { return exact }
        if let number = Int(key) {
            let matches = entries.filter { Int($0.name.prefix { $0.isNumber }) == number }
            return matches.count == 1 ? matches[0] : nil
        }
        return nil
    }
}

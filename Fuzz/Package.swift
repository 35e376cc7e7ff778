// swift-tools-version: 6.0
import Foundation
import PackageDescription

// libFuzzer targets for every parser of outside input, kept out of PruneKit's own build (they
// link only with `-sanitize=fuzzer`): each defines `LLVMFuzzerTestOneInput`, and its main runs
// libFuzzer's driver on it. Build and run them with `Fuzz/run.sh`; see Fuzz/README.md.

/// A path dependency's identity is its directory's name, which differs between clones and worktrees.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let prunekit = root.lastPathComponent

/// The fuzz targets: name → what each one links besides `FuzzSupport`.
let targets: [(name: String, dependencies: [Target.Dependency])] = [
    ("fuzz-idx", [.product(name: "PruneKit", package: prunekit)]),
    ("fuzz-npz", [.product(name: "PruneKit", package: prunekit)]),
    ("fuzz-npy", [.product(name: "PruneKit", package: prunekit),
                  .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
    ("fuzz-checkpoint", [.product(name: "PruneKit", package: prunekit)]),
    ("fuzz-sparse-tensor", [.product(name: "PruneKit", package: prunekit)]),
    ("fuzz-summaries", [.product(name: "PruneKit", package: prunekit)]),
    ("fuzz-results", [.product(name: "PruneKitReport", package: prunekit)]),
]

let package = Package(
    name: "PruneKitFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        /// Scratch files for the targets, whose parsers read paths.
        .target(name: "FuzzSupport"),
    ] + targets.map { target in
        .executableTarget(name: target.name, dependencies: ["FuzzSupport"] + target.dependencies)
    }
)

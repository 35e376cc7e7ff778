// swift-tools-version: 6.0
import PackageDescription

/// The notebooks, one folder each under `Notebooks/`; each is the executable target `nb<folder>`.
let notebooks = ["01-data", "02-model", "03-pruning", "04-training", "05-evaluation", "06-deployment"]

let package = Package(
    name: "PruneKit",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "PruneKit", targets: ["PruneKit"]),
        .library(name: "PruneKitCharts", targets: ["PruneKitCharts"]),
        .library(name: "PruneKitONNX", targets: ["PruneKitONNX"]),
        .library(name: "PruneKitReport", targets: ["PruneKitReport"]),
        .library(name: "PruneKitNotebook", targets: ["PruneKitNotebook"]),
        .executable(name: "report", targets: ["report"]),
        .executable(name: "notebook", targets: ["notebook"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        // `swift package generate-documentation` (DocC), which CI runs with warnings as errors.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
    ],
    targets: [
        // MARK: - C shims

        /// Hot numeric kernels (GEMM) with per-function AVX2/FMA, NEON and portable paths,
        /// chosen at run time from the CPU's features.
        .target(name: "_PruneKitKernels"),
        /// C's `stdout` buffering, which Swift 6 code cannot reach, for the notebook runtime.
        .target(name: "_PruneKitNotebookShims"),
        /// zlib, for gzip-compressed IDX files and model-size measurements.
        .systemLibrary(
            name: "_CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        /// libpng's simplified API (`png_image`), for writing and reading chart PNGs.
        /// Links `-lpng`: Debian's libpng-dev and Homebrew's libpng both install that name
        /// as a link to libpng16.
        .systemLibrary(
            name: "_CLibPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"]), .brew(["libpng"])]
        ),
        /// FreeType, for rasterising chart text.
        .systemLibrary(
            name: "_CFreeType",
            pkgConfig: "freetype2",
            providers: [.apt(["libfreetype-dev"]), .brew(["freetype"])]
        ),

        // MARK: - Library

        /// Atomic file writes, shared by the libraries that write files.
        .target(name: "PruneKitFiles"),
        .target(
            name: "PruneKit",
            dependencies: [
                "PruneKitFiles",
                "_PruneKitKernels",
                "_CZlib",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            resources: [.copy("Resources/mnist-5k")]
        ),

        /// ONNX export of a stripped model (float32 or int8 weights), on swift-protobuf messages
        /// generated from onnx.proto (`Scripts/generate-protobuf.sh`).
        .target(
            name: "PruneKitONNX",
            dependencies: ["PruneKit", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),

        /// Line charts and histograms rendered to PNG; independent of `PruneKit`.
        .target(
            name: "PruneKitCharts",
            dependencies: ["PruneKitFiles", "_CLibPNG", "_CFreeType"]
        ),
        /// Notebooks: the run-time side (`cell`, `parameter`, `show`) and the weaver that runs a
        /// notebook and writes its Markdown page.
        .target(
            name: "PruneKitNotebook",
            dependencies: ["PruneKitCharts", "PruneKitFiles", "_PruneKitNotebookShims"]
        ),
        /// The article's experiment and its Markdown report with charts and the ONNX export.
        .target(
            name: "PruneKitReport",
            dependencies: ["PruneKit", "PruneKitCharts", "PruneKitONNX"]
        ),

        // MARK: - Executables

        .executableTarget(
            name: "report",
            dependencies: [
                "PruneKit",
                "PruneKitCharts",
                "PruneKitReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "notebook",
            dependencies: [
                "PruneKitNotebook",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "bench",
            dependencies: ["PruneKit", "PruneKitCharts", "PruneKitReport", "_PruneKitKernels"],
            path: "Benchmarks/bench"
        ),

        // MARK: - Notebooks

        // One executable per notebook, so every `swift build` compiles every notebook.
    ] + notebooks.map { name in
        .executableTarget(
            name: "nb\(name)",
            dependencies: ["PruneKit", "PruneKitCharts", "PruneKitNotebook", "PruneKitONNX", "PruneKitReport"],
            path: "Notebooks/\(name)"
        )
    } + [
        // MARK: - Tests

        .testTarget(
            name: "PruneKitTests",
            dependencies: [
                "PruneKit",
                "PruneKitCharts",
                "PruneKitReport",
                "PruneKitNotebook",
                "PruneKitFiles",
                "PruneKitONNX",
                "_PruneKitKernels",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Resources")]
        ),
    ]
)

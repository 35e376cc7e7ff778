// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "PruneKit",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "PruneKit", targets: ["PruneKit"]),
        .library(name: "PruneKitCharts", targets: ["PruneKitCharts"]),
        .library(name: "PruneKitReport", targets: ["PruneKitReport"]),
        .executable(name: "report", targets: ["report"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // MARK: - C shims

        /// Hot numeric kernels (GEMM) with per-function AVX2/FMA, NEON and portable paths,
        /// chosen at run time from the CPU's features.
        .target(name: "_PruneKitKernels"),
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

        .target(
            name: "PruneKit",
            dependencies: [
                "_PruneKitKernels",
                "_CZlib",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Resources/mnist-5k")]
        ),

        /// Line charts and histograms rendered to PNG; independent of `PruneKit`.
        .target(
            name: "PruneKitCharts",
            dependencies: ["_CLibPNG", "_CFreeType"]
        ),
        /// The article's experiment and its Markdown report with charts.
        .target(
            name: "PruneKitReport",
            dependencies: ["PruneKit", "PruneKitCharts"]
        ),

        // MARK: - Executables

        .executableTarget(
            name: "report",
            dependencies: [
                "PruneKit",
                "PruneKitReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "bench",
            dependencies: ["PruneKit", "PruneKitCharts", "_PruneKitKernels"],
            path: "Benchmarks/bench"
        ),

        // MARK: - Tests

        .testTarget(
            name: "PruneKitTests",
            dependencies: [
                "PruneKit",
                "PruneKitCharts",
                "PruneKitReport",
                "_PruneKitKernels",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Resources")]
        ),
    ]
)

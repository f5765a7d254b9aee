// swift-tools-version:6.0
import PackageDescription

// No unsafeFlags: SwiftPM refuses a versioned dependency on a package that uses them. The release
// flags (cross-module optimization, unchecked exclusivity, libnnswift.so's soname) are passed on the
// command line by scripts/build.sh (its `swift_flags` array), which every release build goes through.

let package = Package(
    name: "nnswift",
    products: [
        .library(name: "NNSwift", targets: ["NNSwift"]),
        .library(name: "NNSwiftTraining", targets: ["NNSwiftTraining"]),
        // Installed as libnnswift.so; scripts/build.sh links it with that soname.
        .library(name: "NNSwiftCAPI", type: .dynamic, targets: ["NNSwiftC"]),
        .library(name: "NNSwiftOptimize", targets: ["NNSwiftOptimize"]),
        .library(name: "NNSwiftSearch", targets: ["NNSwiftSearch"]),
        .library(name: "NNSwiftPlot", targets: ["NNSwiftPlot"]),
        .executable(name: "nnswift", targets: ["nnswift"]),
        .executable(name: "nnswift-forcecheck", targets: ["nnswift-forcecheck"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "NNSwift"),
        // SVG charts (line/scatter series, log y, legend, parity line) and nice axis ticks;
        // depends only on NNSwift (for NNSwiftError). Used by NNSwiftSearch (scans) and the CLI (training reports).
        .target(name: "NNSwiftPlot", dependencies: ["NNSwift"]),
        // Local minimizers (L-BFGS, FIRE) of any differentiable function of a flat vector; depends on
        // nothing, so structure relaxation (NNSwiftSearch) and network training (NNSwiftTraining) share them.
        .target(name: "NNSwiftOptimize"),
        .target(name: "NNSwiftSearch", dependencies: ["NNSwift", "NNSwiftOptimize", "NNSwiftPlot"]),
        .target(name: "NNSwiftTraining", dependencies: ["NNSwift", "NNSwiftOptimize"]),
        .target(name: "CNNSwiftSupport"),
        .target(name: "NNSwiftC", dependencies: ["NNSwift", "CNNSwiftSupport"]),
        // Option groups and structure input shared by the command-line tools (nnswift, nnswift-forcecheck).
        .target(name: "NNSwiftCommandLine", dependencies: ["NNSwift", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(
            name: "nnswift",
            dependencies: ["NNSwift", "NNSwiftCommandLine", "NNSwiftOptimize", "NNSwiftSearch", "NNSwiftTraining", "NNSwiftPlot", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Finite-difference check of forces and virial, computed only through the C API entry points.
        .executableTarget(
            name: "nnswift-forcecheck",
            dependencies: ["NNSwift", "NNSwiftC", "NNSwiftCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Helpers shared by the test targets (temporary directories, SVG checks).
        .target(name: "NNSwiftTestSupport", dependencies: ["NNSwift"], path: "Tests/NNSwiftTestSupport"),
        .testTarget(name: "NNSwiftTests", dependencies: ["NNSwift", "NNSwiftTestSupport"]),
        .testTarget(name: "NNSwiftSearchTests", dependencies: ["NNSwiftSearch", "NNSwiftOptimize", "NNSwift", "NNSwiftPlot", "NNSwiftTestSupport"]),
        .testTarget(name: "NNSwiftPlotTests", dependencies: ["NNSwiftPlot", "NNSwift", "NNSwiftTestSupport"]),
        .testTarget(name: "NNSwiftTrainingTests", dependencies: ["NNSwiftTraining", "NNSwift", "NNSwiftTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)

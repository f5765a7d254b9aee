// swift-tools-version:6.0
import PackageDescription

// -Xcc -fno-math-errno: square roots compile to the vector instruction (with errno, Swift's
// squareRoot() on Linux becomes a scalar sqrt with a libm call per lane).
let optimize: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked", "-Xcc", "-fno-math-errno"],
                 .when(configuration: .release)),
]

let package = Package(
    name: "nnswift",
    products: [
        .library(name: "NNSwift", targets: ["NNSwift"]),
        .library(name: "NNSwiftTraining", targets: ["NNSwiftTraining"]),
        // Installed as libnnswift.so (scripts/build.sh); the soname is set below.
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
        .target(name: "NNSwift", swiftSettings: optimize),
        // SVG charts (line/scatter series, log y, legend, parity line) and nice axis ticks;
        // depends only on NNSwift (for NNSwiftError). Used by NNSwiftSearch (scans) and the CLI (training reports).
        .target(name: "NNSwiftPlot", dependencies: ["NNSwift"], swiftSettings: optimize),
        // Local minimizers (L-BFGS, FIRE) of any differentiable function of a flat vector; depends on
        // nothing, so structure relaxation (NNSwiftSearch) and network training (NNSwiftTraining) share them.
        .target(name: "NNSwiftOptimize", swiftSettings: optimize),
        .target(name: "NNSwiftSearch", dependencies: ["NNSwift", "NNSwiftOptimize", "NNSwiftPlot"], swiftSettings: optimize),
        .target(name: "NNSwiftTraining", dependencies: ["NNSwift", "NNSwiftOptimize"], swiftSettings: optimize),
        .target(name: "CNNSwiftSupport"),
        .target(name: "NNSwiftC", dependencies: ["NNSwift", "CNNSwiftSupport"], swiftSettings: optimize,
                linkerSettings: [.unsafeFlags(["-Xlinker", "-soname=libnnswift.so"])]),
        .executableTarget(
            name: "nnswift",
            dependencies: ["NNSwift", "NNSwiftOptimize", "NNSwiftSearch", "NNSwiftTraining", "NNSwiftPlot", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: optimize),
        // Finite-difference check of forces and virial, computed only through the C API entry points.
        .executableTarget(
            name: "nnswift-forcecheck",
            dependencies: ["NNSwift", "NNSwiftC", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: optimize),
        // Helpers shared by the test targets (SVG checks).
        .target(name: "NNSwiftTestSupport", path: "Tests/NNSwiftTestSupport"),
        .testTarget(name: "NNSwiftTests", dependencies: ["NNSwift"]),
        .testTarget(name: "NNSwiftSearchTests", dependencies: ["NNSwiftSearch", "NNSwiftOptimize", "NNSwift", "NNSwiftPlot", "NNSwiftTestSupport"]),
        .testTarget(name: "NNSwiftPlotTests", dependencies: ["NNSwiftPlot", "NNSwift", "NNSwiftTestSupport"]),
        .testTarget(name: "NNSwiftTrainingTests", dependencies: ["NNSwiftTraining", "NNSwift"]),
    ],
    swiftLanguageModes: [.v5]
)

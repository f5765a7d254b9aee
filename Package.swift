// swift-tools-version:6.0
import PackageDescription

let optimize: [SwiftSetting] = [
    .unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "nnswift",
    products: [
        .library(name: "NNSwift", targets: ["NNSwift"]),
        .library(name: "nnswift", type: .dynamic, targets: ["NNSwiftC"]),
        .executable(name: "nnswift", targets: ["nnswift"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "NNSwift", swiftSettings: optimize),
        .target(name: "CNNSwiftSupport"),
        .target(name: "NNSwiftC", dependencies: ["NNSwift", "CNNSwiftSupport"], swiftSettings: optimize),
        .executableTarget(
            name: "nnswift",
            dependencies: ["NNSwift", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: optimize),
        .testTarget(name: "NNSwiftTests", dependencies: ["NNSwift"]),
    ],
    swiftLanguageModes: [.v5]
)

// swift-tools-version:6.0
// A package that uses NNSwift as any other package would: by URL and version.
// tests/packaging/run.sh copies this folder, points the URL at a tagged clone of the repository
// (file://...) and builds it offline; a real consumer names the repository's public URL instead.
import PackageDescription

let package = Package(
    name: "nnswift-consumer",
    dependencies: [
        .package(url: "@NNSWIFT_GIT_URL@", from: "0.2.0"),
    ],
    targets: [
        .executableTarget(name: "nnswift-consumer", dependencies: [.product(name: "NNSwift", package: "nnswift")]),
    ]
)

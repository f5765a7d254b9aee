import ArgumentParser
import NNSwift

/// Which build of the program runs: in a portable install tree, bin/nnswift picks the x86-64-v3
/// or the baseline build at run time (docs/portable.md), and this says which one it picked.
struct BuildInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build-info",
        abstract: "Print the version and the instruction set this program was built for.")

    func run() {
        print("version: \(NNSwiftVersion.string)")
        print("isa: \(NNSwiftBuild.isa)")
        print("fused multiply-add: \(NNSwiftBuild.fusedMultiplyAdd ? "yes" : "no")")
    }
}

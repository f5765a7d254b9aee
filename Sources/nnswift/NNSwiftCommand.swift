import ArgumentParser
import Foundation
import NNSwift

@main
struct NNSwiftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnswift",
        abstract: "Neural-network interatomic potentials (Behler–Parrinello): evaluate, inspect, convert, benchmark.",
        version: NNSwiftVersion.string,
        subcommands: [Eval.self, Descriptors.self, Info.self, Convert.self, Bench.self, Train.self, Minimize.self, Search.self, Scan.self, LearningCurves.self, BuildInfo.self])
}

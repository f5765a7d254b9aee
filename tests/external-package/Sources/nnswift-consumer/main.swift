import Foundation
import NNSwift

// nnswift-consumer MODEL STRUCTURES [LENGTH_UNIT ENERGY_UNIT]: the energy of every structure,
// one "structure N: E = VALUE" line each (model units), through NNSwift's public API only.
let args = CommandLine.arguments
guard args.count == 3 || args.count == 5 else {
    FileHandle.standardError.write(Data("usage: nnswift-consumer MODEL STRUCTURES [LENGTH_UNIT ENERGY_UNIT]\n".utf8))
    exit(2)
}
do {
    let units = args.count == 5 ? try Units(parsingLength: args[3], energy: args[4]) : nil
    let potential = try Potential(model: ModelLoader.load(path: args[1], units: units))
    for (n, structure) in try StructureFile.read(path: args[2]).enumerated() {
        print("structure \(n + 1): E = \(String(format: "%.15e", try potential.evaluate(structure).energy))")
    }
    print("nnswift \(NNSwiftVersion.string)")
} catch {
    FileHandle.standardError.write(Data("nnswift-consumer: \(error)\n".utf8))
    exit(1)
}

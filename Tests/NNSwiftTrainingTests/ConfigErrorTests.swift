import Foundation
import XCTest
import NNSwift
import NNSwiftTraining
import NNSwiftTestSupport

/// Broken training configs give one clear error naming the key and the value (tests/robustness
/// runs seeded mutations of them through `nnswift train`).
final class ConfigErrorTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUpWithError() throws { dir = try TemporaryDirectory("config-errors") }
    override func tearDownWithError() throws { dir.remove() }

    /// The error of reading and validating `json` (a config body after `"data": "x.xyz",`).
    func message(_ body: String) -> String {
        do {
            let path = try dir.write("c.json", "{\"data\": \"x.xyz\",\n \(body)}")
            try TrainingConfig.read(path: path).validate()
        } catch { return "\(error)" }
        return "no error"
    }

    func testSyntaxErrorsAreLocatedWithTheirKey() {
        let c = dir.path("c.json")
        XCTAssertEqual(message("\"forceWeight\": NaN"),
                       "\(c):2:17: not valid JSON (Invalid value around character 34.; NaN and Infinity are not JSON numbers) at: {\"data\": \"x.xyz\", \"forceWeight\": NaN}")
        let big = message("\"stressWeight\": 1e999")
        XCTAssertTrue(big.hasPrefix("\(c):2:18: not valid JSON (Number 1e999 is not representable"), big)
        // A value deep in a list, far from its key: the key path is named.
        let filler = String(repeating: " ", count: 100)
        let deep = message("\"symmetryFunctions\": {\"functions\": [{\"type\": \"G2\", \"neighbors\": [\"Au\"], \"cutoff\": 6}, \(filler)NaN]}")
        XCTAssertTrue(deep.contains("NaN and Infinity are not JSON numbers) in 'symmetryFunctions.functions[1]' at: "), deep)
    }

    func testWholeNumbersAndBounds() {
        XCTAssertTrue(message("\"epochs\": 2.5").hasSuffix("config: epochs = 2.5: must be a whole number in -9223372036854775808...9223372036854775807"))
        XCTAssertTrue(message("\"seed\": -1").hasSuffix("config: seed = -1.0: must be a whole number in 0...18446744073709551615"))
        XCTAssertTrue(message("\"optimizer\": {\"memory\": 1e300}").hasSuffix("optimizer.memory = 1e+300: must be a whole number in -9223372036854775808...9223372036854775807"))
        XCTAssertEqual(message("\"epochs\": 1000000000000"), "invalid argument: config: epochs = 1000000000000: at most 10000000")
        XCTAssertTrue(message("\"optimizer\": {\"name\": \"kalman\", \"kalman_type\": 0.5}").hasSuffix("optimizer.kalman_type = 0.5: must be a whole number in -9223372036854775808...9223372036854775807"))
        XCTAssertEqual(message("\"patience\": -2"), "invalid argument: config: patience = -2: must be >= 0 (0 = no early stopping)")
        XCTAssertEqual(message("\"optimizer\": {\"beta1\": 1}"), "invalid argument: config: optimizer.beta1 = 1.0: must be in [0, 1)")
        XCTAssertEqual(message("\"optimizer\": {\"decay\": 0}"), "invalid argument: config: optimizer.decay = 0.0: must be in (0, 10]")
        XCTAssertEqual(message("\"symmetryFunctionLearningRate\": {\"eta\": 1e30}"),
                       "invalid argument: config: symmetryFunctionLearningRate.eta = 1e+30: must be in [0, 1e6]")
        XCTAssertEqual(message("\"log\": \"\""), "\(dir.path("c.json")): invalid argument: config: log is empty: give a file name (or null for none)")
    }

    func testUnknownKeysAnywhere() {
        let c = dir.path("c.json")
        XCTAssertEqual(message("\"epochz\": 3"), "\(c): config: unknown key 'epochz'")
        XCTAssertEqual(message("\"optimizer\": {\"learningrate\": 1}"), "\(c): config: unknown key 'optimizer.learningrate' (did you mean 'learningRate'?)")
        XCTAssertEqual(message("\"symmetryFunctions\": {\"functions\": [{\"type\": \"G2\", \"neighbors\": [\"Au\"], \"cutoff\": 6, \"etta\": 1}]}"),
                       "\(c): config: unknown key 'symmetryFunctions.functions[0].etta'")
        XCTAssertEqual(message("\"log\": null, \"checkpoint\": null"), "no error", "null is not an unknown key")
        // The Kalman filter's n2p2 keys sit flat in the optimizer object.
        XCTAssertEqual(message("\"optimizer\": {\"name\": \"kalman\", \"kalman_type\": 1, \"kalman_lambda_short\": 0.98, \"covarianceMemoryGB\": 2}"), "no error")
        XCTAssertEqual(message("\"optimizer\": {\"name\": \"kalman\", \"kalman_nu_short\": 0.9}"), "\(c): config: unknown key 'optimizer.kalman_nu_short'")
    }

    /// Sizes are checked before anything is allocated; function parameters against the data's elements.
    func testSizesAndElementsBeforeTraining() throws {
        let data = TrainerTests.morseData(count: 8, seed: 1)
        func trainerError(_ edit: (inout TrainingConfig) -> Void) -> String {
            var c = TrainingConfig.small(architecture: "4t", epochs: 1, seed: 1)
            edit(&c)
            do { _ = try Trainer(config: c, dataset: data) } catch { return "\(error)" }
            return "no error"
        }
        XCTAssertEqual(trainerError { $0.architecture = "100000t-100000t" },
                       "invalid argument: config: architecture '100000t-100000t' with 24 symmetry functions: invalid argument: layer widths = [24, 100000, 100000, 1]: more than 10000000 parameters")
        XCTAssertEqual(trainerError { $0.symmetryFunctions.rmin = 5.5 },
                       "invalid argument: config: symmetryFunctions.rmin = 5.5: the presets need 0 <= rmin < cutoff - 1 (cutoff 5.0)")
        let xx = try JSONDecoder().decode(SymmetryFunctionSettings.self, from: Data(#"{"functions": [{"type": "G2", "neighbors": ["Xx"], "cutoff": 5}]}"#.utf8))
        XCTAssertEqual(trainerError { $0.symmetryFunctions = xx },
                       "invalid argument: config: symmetryFunctions.functions[0]: element 'Xx' (element or neighbors) is not in the training data (Au)")
    }
}

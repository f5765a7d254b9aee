import Foundation
import NNSwift

/// One rule of the config's `structureWeights`: structures whose extended-XYZ info values equal
/// every entry of `match` get `weight` (as MACE's `config_type_weights`, by any info keys). A
/// structure with weight ω counts ω times in every term of the loss (energy, forces, stress), as
/// if it were repeated ω times in the file; reported RMSEs stay unweighted.
public struct StructureWeightRule: Codable, Equatable, Sendable {
    /// Info key → value. Values are compared as text; a JSON number in the config also matches an
    /// info value with the same numeric value ("300" and "300.0" both match 300).
    public var match: [String: MatchValue]
    public var weight: Double

    public init(match: [String: MatchValue], weight: Double) { self.match = match; self.weight = weight }

    public enum MatchValue: Codable, Equatable, Sendable, CustomStringConvertible {
        case text(String), number(Double)
        public var description: String {
            switch self {
            case .text(let s): return s
            case .number(let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
            }
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) { self = .text(s); return }
            if let x = try? c.decode(Double.self) { self = .number(x); return }
            let key = decoder.codingPath.last?.stringValue ?? "?"
            throw NNSwiftError.argument("config: structureWeights: the match value of '\(key)' must be a string or a number")
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self { case .text(let s): try c.encode(s); case .number(let x): try c.encode(x) }
        }
        func matches(_ value: String) -> Bool {
            switch self {
            case .text(let s): return s == value
            case .number(let x): return Double(value) == x
            }
        }
    }

    /// Largest weight accepted (a bound, so a typo cannot make one structure the whole loss silently).
    public static let maxWeight = 1e6

    func matches(_ s: Structure) -> Bool {
        match.allSatisfy { key, v in s.info[key].map(v.matches) ?? false }
    }
}

public enum StructureWeights {
    /// Checks the rules (weights finite in (0, maxWeight], at least one key per rule).
    public static func validate(_ rules: [StructureWeightRule]) throws {
        for (i, r) in rules.enumerated() {
            guard !r.match.isEmpty else {
                throw NNSwiftError.argument("config: structureWeights[\(i)].match is empty: name at least one info key (e.g. {\"config_type\": \"bulk\"})")
            }
            guard r.weight.isFinite, r.weight > 0, r.weight <= StructureWeightRule.maxWeight else {
                throw NNSwiftError.argument("config: structureWeights[\(i)].weight = \(r.weight): must be in (0, \(StructureWeightRule.maxWeight)]")
            }
            for (key, v) in r.match {
                if case .number(let x) = v, !x.isFinite {
                    throw NNSwiftError.argument("config: structureWeights[\(i)].match['\(key)'] = \(x): must be finite")
                }
            }
        }
    }

    /// The weight of every structure (the first rule that matches; 1 when none does) and how many
    /// structures each rule matched. A rule that matches no structure is an error (a misspelled
    /// key or value would otherwise change nothing, silently).
    public static func assign(_ rules: [StructureWeightRule], to structures: [Structure]) throws -> (weights: [Double], matched: [Int]) {
        var matched = [Int](repeating: 0, count: rules.count)
        let weights = structures.map { s -> Double in
            guard let k = rules.firstIndex(where: { $0.matches(s) }) else { return 1 }
            matched[k] += 1
            return rules[k].weight
        }
        for (i, n) in matched.enumerated() where n == 0 {
            let keys = rules[i].match.keys.sorted().joined(separator: ", ")
            throw NNSwiftError.argument("config: structureWeights[\(i)] (match on \(keys)) matches no structure of the data (after any earlier rule took its matches); check the info keys and values")
        }
        return (weights, matched)
    }
}

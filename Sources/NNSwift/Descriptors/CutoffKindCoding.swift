extension CutoffKind {
    /// Model files name cutoff types ("cos", "tanhu", "poly2", ...) rather than n2p2's numbers.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let name = try c.decode(String.self)
        guard let kind = CutoffKind(name: name) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown cutoff type '\(name)' (one of \(CutoffKind.allCases.map(\.name).joined(separator: ", ")))")
        }
        self = kind
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}

/// Every failure nnswift reports: each names the problem (and the file and line where there is one).
public enum NNSwiftError: Error, CustomStringConvertible, Equatable {
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// A file was read but its content is wrong: `location` is "file:line" or a key path.
    case format(location: String, reason: String)
    /// An element symbol the model does not cover.
    case unknownElement(String)
    /// A species index (0-based, as the C API takes them) outside the model's element list.
    case speciesIndex(index: Int, atom: Int, elements: Int)
    /// Invalid geometry: NaN positions, overlapping atoms, degenerate cell.
    case geometry(String)
    /// An argument out of range or inconsistent with another.
    case argument(String)
    /// A computed energy, force or virial is not finite (NaN or ±inf).
    case numeric(String)

    public var description: String {
        switch self {
        case let .io(path, reason): return "cannot access '\(path)': \(reason)"
        case let .format(location, reason): return "\(location): \(reason)"
        case let .unknownElement(e): return "element '\(e)' is not in the model"
        case let .speciesIndex(s, atom, n):
            return "species index \(s) of atom \(atom) is out of range: the model has \(n) element\(n == 1 ? "" : "s") (indices 0 to \(n - 1))"
        case let .geometry(m): return "invalid geometry: \(m)"
        case let .argument(m): return "invalid argument: \(m)"
        case let .numeric(m): return "non-finite result: \(m)"
        }
    }
}

/// Where a structure was read: the file, its 1-based index in the file and the 1-based line
/// where its frame (extended XYZ), block (input.data) or file (LAMMPS data) begins. Errors
/// found later, when the structure is evaluated, name this place.
public struct StructureOrigin: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var index: Int
    public var line: Int

    public init(path: String, index: Int, line: Int) {
        self.path = path; self.index = index; self.line = line
    }

    /// "file:line: structure k"
    public var description: String { "\(path):\(line): structure \(index)" }

    /// `error` located at this structure: "file:line: structure k: <message>". Errors that
    /// already name this file, and errors that are not `NNSwiftError`, are returned unchanged.
    public func locating(_ error: Error) -> Error {
        guard let e = error as? NNSwiftError else { return error }
        if case let .format(location, _) = e, location == path || location.hasPrefix(path + ":") { return e }
        return NNSwiftError.format(location: "\(path):\(line)", reason: "structure \(index): \(e)")
    }
}

import Foundation

/// nnswift's native model file: versioned, human-readable JSON holding units, elements,
/// symmetry functions, scaling, networks and metadata. Numbers are written in their shortest
/// round-trip form, so a model read back is bit-identical.
public enum ModelFile {
    public static let formatName = "nnswift-model"
    public static let currentVersion = 1

    struct Envelope: Codable {
        var format: String
        var version: Int
        var model: Model
    }

    public static func encode(_ model: Model) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(Envelope(format: formatName, version: currentVersion, model: model))
    }

    public static func decode(_ data: Data, source: String) throws -> Model {
        struct Header: Decodable { var format: String?; var version: Int? }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: data) } catch {
            throw NNSwiftError.format(location: source, reason: "not a JSON model file (\(describe(error)))")
        }
        guard header.format == formatName else {
            throw NNSwiftError.format(location: source, reason: "not an nnswift model (format is '\(header.format ?? "missing")')")
        }
        guard let v = header.version, v >= 1, v <= currentVersion else {
            throw NNSwiftError.format(location: source, reason: "model format version \(header.version.map(String.init) ?? "missing") is not supported (this nnswift reads 1...\(currentVersion))")
        }
        let model: Model
        do { model = try JSONDecoder().decode(Envelope.self, from: data).model } catch {
            throw NNSwiftError.format(location: source, reason: describe(error))
        }
        do { try model.validate() } catch NNSwiftError.argument(let m) {
            throw NNSwiftError.format(location: source, reason: "model.\(m)")
        }
        return model
    }

    public static func write(_ model: Model, to path: String) throws {
        let data = try encode(model)
        try AtomicFile.write(data, to: path)
    }

    public static func read(path: String) throws -> Model {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NNSwiftError.io(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot read" : "no such file")
        }
        return try decode(data, source: path)
    }

    /// A JSON decoding error as one line: which key, what was wrong.
    static func describe(_ error: Error) -> String {
        func path(_ c: [CodingKey]) -> String { c.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") }
        switch error as? DecodingError {
        case .keyNotFound(let k, let c)?: return "missing key '\(k.stringValue)' at '\(path(c.codingPath))'"
        case .typeMismatch(_, let c)?: return "wrong type at '\(path(c.codingPath))': \(c.debugDescription)"
        case .valueNotFound(_, let c)?: return "missing value at '\(path(c.codingPath))'"
        case .dataCorrupted(let c)?: return "corrupt data at '\(path(c.codingPath))': \(c.debugDescription)"
        default: return "\(error)"
        }
    }
}

/// Loads a model from a native file or an n2p2 potential directory.
public enum ModelLoader {
    /// `units` gives units to a model that declares none (an n2p2 directory); a unit the model
    /// already declares may be repeated but not changed (that would relabel without converting).
    public static func load(path: String, units: Units? = nil) throws -> Model {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw NNSwiftError.io(path: path, reason: "no such file or directory")
        }
        var model = isDir.boolValue ? try N2P2Potential.read(directory: path) : try ModelFile.read(path: path)
        if let units { model.units = try model.units.declaring(units, source: path) }
        return model
    }
}

import Foundation
import NNSwift

/// Appends extended XYZ frames to a file as they come (a minimization trajectory).
public final class TrajectoryWriter {
    public let path: String
    private let handle: FileHandle

    /// Creates (truncates) the file at `path`.
    public init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw NNSwiftError.io(path: path, reason: "cannot create the file")
        }
        self.path = path; handle = h
    }

    public func append(_ s: Structure) throws {
        handle.write(Data(try ExtendedXYZ.format(s).utf8))
    }

    deinit { try? handle.close() }
}

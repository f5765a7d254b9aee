import Foundation
import NNSwift

/// Appends extended XYZ frames to a file as they come (a minimization trajectory).
public final class TrajectoryWriter {
    public let path: String
    private let handle: FileHandle

    /// Creates (truncates) the file at `path`.
    public init(path: String) throws {
        try AtomicFile.write(Data(), to: path)
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw NNSwiftError.io(path: path, reason: "cannot open the file for writing")
        }
        self.path = path; handle = h
    }

    public func append(_ s: Structure) throws {
        handle.write(Data(try ExtendedXYZ.format(s).utf8))
    }

    deinit { try? handle.close() }
}

import Foundation
import NNSwift

/// A fresh directory for one test's files, `nnswift-NAME-PID-UUID` under the system's temporary
/// directory (unique, so tests running in parallel processes never share one). The test removes
/// it with `remove()` (in `tearDown` or a `defer`).
public final class TemporaryDirectory {
    public let url: URL

    public init(_ name: String) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("nnswift-\(name)-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `text` (UTF-8) to `name` inside the directory and returns the file's path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let p = path(name)
        try AtomicFile.write(text, to: p)
        return p
    }

    public func remove() { try? FileManager.default.removeItem(at: url) }
}

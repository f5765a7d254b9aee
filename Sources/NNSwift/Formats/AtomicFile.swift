import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place nnswift writes an output file: a temporary file in the destination's own
/// directory, then rename(2) over the destination, so a reader never sees a half-written file and
/// an interrupted write leaves the old file. Foundation's `write(toFile:atomically: true)` is not
/// used: on Linux it leaves a `TemporaryDirectory.XXXXXX` directory in /tmp for every write.
public enum AtomicFile {
    /// Writes `text` as UTF-8 to `path`; throws `NNSwiftError.io` naming the path.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `data` to `path`; throws `NNSwiftError.io` naming the path. The new file gets the
    /// usual mode (0666 less the umask); the temporary file is removed on every failure.
    public static func write(_ data: Data, to path: String) throws {
        guard !path.isEmpty else { throw NNSwiftError.io(path: path, reason: "empty file name") }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw NNSwiftError.io(path: path, reason: "is a directory, not a file") }

        // A fresh hidden name next to the destination (same file system, so rename is atomic).
        var temporary = ""
        var fd: Int32 = -1
        for _ in 0..<100 {
            temporary = directory + "/." + name + ".tmp-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { throw NNSwiftError.io(path: path, reason: "cannot write: \(lastErrorText())") }

        var failure: String?
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let n = systemWrite(fd, base + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = lastErrorText(); return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = lastErrorText() }
        if close(fd) != 0, failure == nil { failure = lastErrorText() }
        if failure == nil, rename(temporary, path) != 0 { failure = lastErrorText() }
        if let failure {
            unlink(temporary)
            throw NNSwiftError.io(path: path, reason: "cannot write: \(failure)")
        }
    }

    private static func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(fd, bytes, count)
        #elseif canImport(Musl)
        return Musl.write(fd, bytes, count)
        #else
        return Darwin.write(fd, bytes, count)
        #endif
    }

    private static func lastErrorText() -> String { String(cString: strerror(errno)) }
}

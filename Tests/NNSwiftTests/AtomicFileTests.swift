import Foundation
import NNSwift
import NNSwiftTestSupport
import XCTest

/// `AtomicFile.write`: whole content, replacement, the usual mode, and no leftovers on failure.
final class AtomicFileTests: XCTestCase {
    func testWritesReplacesAndLeavesNothingElse() throws {
        let dir = try TemporaryDirectory("atomic-file")
        defer { dir.remove() }
        let p = dir.path("out.txt")
        let long = String(repeating: "0123456789\n", count: 100_000)
        try AtomicFile.write(long, to: p)
        XCTAssertEqual(try String(contentsOfFile: p, encoding: .utf8), long)
        try AtomicFile.write("short\n", to: p)
        XCTAssertEqual(try String(contentsOfFile: p, encoding: .utf8), "short\n", "replaced, not overwritten in place")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.url.path), ["out.txt"])

        // A new file gets 0666 less the umask, like any other file the process creates.
        let mask = umask(0o022); umask(mask)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? Int)
        XCTAssertEqual(mode, 0o666 & ~Int(mask))
    }

    func testFailuresNameThePathAndLeaveNoTemporaryFile() throws {
        let dir = try TemporaryDirectory("atomic-file-fail")
        defer { dir.remove() }
        let missing = dir.path("no/such/dir/out.txt")
        XCTAssertThrowsError(try AtomicFile.write("x", to: missing)) { e in
            guard case let NNSwiftError.io(path, reason)? = e as? NNSwiftError else { return XCTFail("\(e)") }
            XCTAssertEqual(path, missing)
            XCTAssertTrue(reason.contains("No such file or directory"), reason)
        }
        // The destination is a directory: the rename fails after the data was written.
        try FileManager.default.createDirectory(atPath: dir.path("sub"), withIntermediateDirectories: false)
        try AtomicFile.write("keep", to: dir.path("sub/inner"))
        XCTAssertThrowsError(try AtomicFile.write("x", to: dir.path("sub"))) { e in
            XCTAssertTrue("\(e)".contains(dir.path("sub")), "\(e)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.url.path), ["sub"], "temporary file removed")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path("sub")), ["inner"])
        XCTAssertThrowsError(try AtomicFile.write("x", to: ""))
        XCTAssertThrowsError(try AtomicFile.write("x", to: dir.url.path + "/"))
    }
}

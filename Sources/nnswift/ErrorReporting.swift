import ArgumentParser
import Foundation
import NNSwift

/// Prints "nnswift: warning: <message>" on standard error.
func warn(_ message: String) {
    FileHandle.standardError.write(Data("nnswift: warning: \(message)\n".utf8))
}

/// Runs `body`, turning nnswift errors into a one-line message and exit code 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let e as NNSwiftError {
        FileHandle.standardError.write(Data("nnswift: error: \(e)\n".utf8))
        throw ExitCode.failure
    }
}

/// Writes a text output: to `path`, or to standard output when `path` is nil.
func writeOutput(_ text: String, to path: String?) throws {
    guard let path else { print(text, terminator: ""); return }
    try AtomicFile.write(text, to: path)
}

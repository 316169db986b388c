import Foundation
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// A complete file taken from the inbox, handed to a processor.
public struct InboxFile: Sendable, Equatable {
    /// Absolute path at the time it was taken.
    public var path: String
    /// Path relative to the inbox (what result lines show).
    public var relativePath: String
    /// Lowercase hex SHA-256 of the bytes: the journal key.
    public var sha256: String
    public var bytes: Int

    public init(path: String, relativePath: String, sha256: String, bytes: Int) {
        self.path = path; self.relativePath = relativePath; self.sha256 = sha256; self.bytes = bytes
    }

    /// Reads the file's bytes (processors that need them; the pipeline's ingest reads the path itself).
    public func readBytes() throws -> [UInt8] {
        let fd: Int32
        do {
            fd = try Posix.retrying("open", path: relativePath) { RawPath.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW) }
        } catch let e as ErrnoError {
            throw WenshuError(.read.open, "cannot read the file", stage: .read, errno: e)
        }
        let h = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do { return [UInt8](try h.readToEnd() ?? Data()) } catch {
            throw WenshuError(.read.io, "read failed: \(error.localizedDescription)", stage: .read, path: relativePath)
        }
    }
}

/// What one file produced: result lines and error lines (a JSONL file may give many of each).
public struct FileOutcome: Sendable {
    public var results: [ResultRecord]
    public var errors: [ErrorRecord]
    public init(results: [ResultRecord] = [], errors: [ErrorRecord] = []) {
        self.results = results; self.errors = errors
    }
}

/// Turns one inbox file into result and error records. Must not throw for bad input:
/// a bad file is an `ErrorRecord`. Called on one thread at a time.
public protocol InboxFileProcessor {
    func process(_ file: InboxFile) -> FileOutcome
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A system call that failed: the `errno` it left, the operation (`open`, `read`,
/// `flock`) and the file or folder it was about.
///
/// `reason` is the C library's message for the code (`strerror`), and `description`
/// reads `open /srv/in/a.txt: No such file or directory`. Turn it into a `WenshuError`
/// with `WenshuError(_:_:stage:errno:)`, which keeps the path and appends the reason.
public struct ErrnoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `errno` value.
    public var code: Int32
    /// What was being done (`open`, `read`, `write`, `fsync`, `flock`, `rename`...).
    public var operation: String
    /// The file or folder concerned, when there is one.
    public var path: String?

    /// An error for `code` (default: the current `errno`).
    public init(_ operation: String, path: String? = nil, code: Int32 = errno) {
        self.code = code; self.operation = operation; self.path = path
    }

    /// The C library's message for the code, e.g. `No such file or directory`.
    public var reason: String { ErrnoError.message(code) }

    /// `operation path: reason`.
    public var description: String {
        path.map { "\(operation) \($0): \(reason)" } ?? "\(operation): \(reason)"
    }

    /// Whether the call would have blocked (`EAGAIN`/`EWOULDBLOCK`): a lock held elsewhere.
    public var wouldBlock: Bool { code == EWOULDBLOCK || code == EAGAIN }

    /// `strerror(code)` as a Swift string.
    public static func message(_ code: Int32) -> String { String(cString: strerror(code)) }
}

extension WenshuError {
    /// A Wenshu error for a failed system call: `message` followed by the system's
    /// reason (`cannot open: Permission denied`), with the call's path unless `path` is given.
    public init(_ code: ErrorCode, _ message: String, stage: Stage, errno failure: ErrnoError, path: String? = nil,
                location: SourceLocation? = nil) {
        self.init(code, "\(message): \(failure.reason)", stage: stage, path: path ?? failure.path, location: location)
        underlying = failure
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Small wrappers around POSIX calls: one place that retries on `EINTR` and turns
/// `errno` into an `ErrnoError` (see also `FileLock`).
public enum Posix {
    /// Calls `body` again while it fails with `EINTR`; returns its first other result.
    /// A negative result with another `errno` throws an `ErrnoError` naming `operation` and `path`.
    ///
    /// ```swift
    /// let n = try Posix.retrying("read", path: path) { read(fd, buf, count) }
    /// ```
    @discardableResult
    public static func retrying<T: BinaryInteger>(_ operation: String, path: String? = nil,
                                                  _ body: () -> T) throws -> T {
        while true {
            let r = body()
            if r >= 0 { return r }
            let code = errno
            if code == EINTR { continue }
            throw ErrnoError(operation, path: path, code: code)
        }
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and `EINTR`.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String? = nil) throws {
        var off = 0
        while off < bytes.count {
            let n = try retrying("write", path: path) {
                bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, bytes.count - off) }
            }
            // A write that takes nothing would loop forever: report it as an I/O error.
            if n == 0 { throw ErrnoError("write", path: path, code: EIO) }
            off += n
        }
    }

    /// Reads up to `count` bytes from `fd` (fewer at the end; empty at end of file), retrying `EINTR`.
    public static func read(_ fd: Int32, into buffer: inout [UInt8], path: String? = nil) throws -> Int {
        try retrying("read", path: path) { buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) } }
    }
}

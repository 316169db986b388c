import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a file line by line with bounded memory. Lines end at LF; a CR before
/// the LF is dropped. The last line need not end with LF.
public final class LineReader {
    private let fd: Int32
    private let ownsFD: Bool
    private var buffer = [UInt8]()
    private var start = 0
    private var eof = false
    private let chunk: Int
    /// 1-based number of the line last returned.
    public private(set) var lineNumber = 0
    /// Byte offset of the start of the line last returned.
    public private(set) var lineOffset = 0
    private var consumed = 0
    public let path: String

    /// Opens `path` ("-" reads standard input).
    public init(path: String, chunkSize: Int = 1 << 16) throws {
        self.path = path
        chunk = chunkSize
        if path == "-" {
            fd = 0; ownsFD = false
        } else {
            do {
                fd = try Posix.retrying("open", path: path) { RawPath.open(path, O_RDONLY | O_CLOEXEC) }
            } catch let e as ErrnoError {
                throw WenshuError(.read.open, "cannot open", stage: .read, errno: e)
            }
            ownsFD = true
        }
    }

    /// Reads from an already open descriptor (not closed by the reader).
    public init(fileDescriptor: Int32, name: String, chunkSize: Int = 1 << 16) {
        fd = fileDescriptor; ownsFD = false; path = name; chunk = chunkSize
    }

    /// Reads the lines of an in-memory buffer (`name` names it in errors); never touches a file.
    public init(bytes: [UInt8], name: String) {
        fd = -1; ownsFD = false; path = name; chunk = 0
        buffer = bytes; eof = true
    }

    deinit { if ownsFD { close(fd) } }

    /// The next line's bytes without its line ending, or nil at the end.
    public func nextLine() throws -> [UInt8]? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                var end = nl
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[start..<end])
                lineOffset = consumed
                consumed += nl + 1 - start
                start = nl + 1
                lineNumber += 1
                compact()
                return line
            }
            if eof {
                if start < buffer.count {
                    var end = buffer.count
                    if buffer[end - 1] == 0x0D { end -= 1 }
                    let line = Array(buffer[start..<end])
                    lineOffset = consumed
                    consumed += buffer.count - start
                    start = buffer.count
                    lineNumber += 1
                    return line
                }
                return nil
            }
            try fill()
        }
    }

    private func compact() {
        if start > (1 << 20) && start > buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }

    private func fill() throws {
        var tmp = [UInt8](repeating: 0, count: chunk)
        let n: Int
        do {
            n = try Posix.read(fd, into: &tmp, path: path)
        } catch let e as ErrnoError {
            throw WenshuError(.read.io, "read failed", stage: .read, errno: e)
        }
        if n == 0 { eof = true; return }
        if start > 0 && start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        buffer.append(contentsOf: tmp[0..<n])
    }
}

/// Writes whole lines to a file descriptor: each call writes one complete line or
/// throws, so a reader never sees a partial line from a finished call.
public final class LineWriter {
    public let fd: Int32
    private let ownsFD: Bool
    public let path: String

    /// Opens (creating) `path` for appending, or truncating when `append` is false. "-" is standard output.
    public init(path: String, append: Bool = true) throws {
        self.path = path
        if path == "-" {
            fd = 1; ownsFD = false
        } else {
            let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
            do {
                fd = try Posix.retrying("open", path: path) { open(path, flags, 0o644) }
            } catch let e as ErrnoError {
                throw WenshuError(.output.open, "cannot open for writing", stage: .output, errno: e)
            }
            ownsFD = true
        }
    }

    public init(fileDescriptor: Int32, name: String) { fd = fileDescriptor; ownsFD = false; path = name }

    deinit { if ownsFD { close(fd) } }

    /// Writes `bytes` plus a newline, retrying short writes.
    public func writeLine(_ bytes: [UInt8]) throws {
        var all = bytes
        all.append(0x0A)
        try writeAll(all)
    }

    /// Encodes `value` as one JSON line.
    public func write<T: Encodable>(_ value: T, encoder: JSONEncoder = .wenshuLine()) throws {
        let data = try encoder.encode(value)
        try writeLine([UInt8](data))
    }

    public func writeAll(_ bytes: [UInt8]) throws {
        do {
            try Posix.writeAll(fd, bytes, path: path)
        } catch let e as ErrnoError {
            throw WenshuError(.output.write, "write failed", stage: .output, errno: e)
        }
    }

    /// Flushes to stable storage.
    public func sync() throws {
        do {
            try Posix.retrying("fsync", path: path) { fsync(fd) }
        } catch let e as ErrnoError where e.code != EINVAL {
            throw WenshuError(.output.sync, "fsync failed", stage: .output, errno: e)
        } catch {}
    }
}

import Foundation
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// An append-only JSONL stream split into daily files, `PREFIX-YYYY-MM-DD.jsonl`,
/// rotated at local midnight and, past `rotateBytes`, into numbered parts
/// `PREFIX-YYYY-MM-DD.1.jsonl`, `.2`, ... Whole lines only: a batch of lines is one
/// `write` (via `LineWriter`), and a torn tail left by a crash is cut back to the
/// last newline when the file is opened again.
public final class DailyJSONLFile {
    public let folder: String
    public let prefix: String
    public let rotateBytes: Int
    /// Older files of this stream kept besides the current one; nil keeps all.
    public let keepRotated: Int?
    private var writer: LineWriter?
    private var day = ""
    private var part = 0
    /// The file now written and its size.
    public private(set) var currentPath = ""
    public private(set) var size = 0

    public init(folder: String, prefix: String, rotateBytes: Int, keepRotated: Int? = nil) {
        self.folder = folder; self.prefix = prefix; self.rotateBytes = rotateBytes; self.keepRotated = keepRotated
    }

    /// This stream's files in the folder, oldest first (by day, then part).
    public func streamFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let lead = prefix + "-"
        let parsed: [(String, String, Int)] = names.compactMap { n in
            guard n.hasPrefix(lead), n.hasSuffix(".jsonl") else { return nil }
            let mid = n.dropFirst(lead.count).dropLast(".jsonl".count)
            guard mid.count >= 10 else { return nil }
            let day = String(mid.prefix(10))
            let rest = mid.dropFirst(10)
            if rest.isEmpty { return (n, day, 0) }
            guard rest.hasPrefix("."), let k = Int(rest.dropFirst()) else { return nil }
            return (n, day, k)
        }
        return parsed.sorted { ($0.1, $0.2) < ($1.1, $1.2) }.map { folder + "/" + $0.0 }
    }

    /// Deletes the oldest files past `keepRotated` (never the current one).
    private func prune() {
        guard let keep = keepRotated else { return }
        let old = streamFiles().filter { $0 != currentPath }
        for p in old.dropLast(keep) { unlink(p) }
    }

    /// Local calendar day, YYYY-MM-DD.
    public static func localDay(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var tmv = tm()
        localtime_r(&t, &tmv)
        return String(format: "%04d-%02d-%02d", Int(tmv.tm_year) + 1900, Int(tmv.tm_mon) + 1, Int(tmv.tm_mday))
    }

    func path(day: String, part: Int) -> String {
        folder + "/" + prefix + "-" + day + (part == 0 ? "" : ".\(part)") + ".jsonl"
    }

    /// Makes sure the right file for `date` is open, with room for `incoming` bytes;
    /// returns its path and the offset the next write will land at.
    public func prepare(date: Date, incoming: Int) throws -> (path: String, offset: Int) {
        let d = DailyJSONLFile.localDay(date)
        if incoming == 0 { // nothing to write: name the place without creating an empty file
            if d == day && writer != nil { return (currentPath, size) }
            var p = 0
            while FileManager.default.fileExists(atPath: path(day: d, part: p + 1)) { p += 1 }
            let name = path(day: d, part: p)
            return (name, DailyJSONLFile.fileSize(name))
        }
        if d != day || writer == nil {
            day = d
            part = 0
            while FileManager.default.fileExists(atPath: path(day: d, part: part + 1)) { part += 1 }
            try open()
        }
        while rotateBytes > 0 && size > 0 && size + incoming > rotateBytes {
            part += 1
            try open()
        }
        return (currentPath, size)
    }

    private func open() throws {
        writer = nil
        currentPath = path(day: day, part: part)
        try DailyJSONLFile.trimTornTail(currentPath)
        let w = try LineWriter(path: currentPath, append: true)
        let end = lseek(w.fd, 0, SEEK_END)
        if end < 0 {
            throw WenshuError(.output.seek, "cannot find the end of the file", stage: .output, path: currentPath)
        }
        size = Int(end)
        writer = w
        prune()
    }

    /// Appends bytes made of whole lines (each ending in a newline) in one write.
    public func append(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        guard let writer else {
            throw WenshuError(.output.closed, "the stream is not open", stage: .output, path: currentPath)
        }
        try writer.writeAll(bytes)
        size += bytes.count
    }

    /// fsyncs the open file.
    public func sync() throws { try writer?.sync() }

    /// Closes the open file (the next `prepare` opens it again).
    public func close() { writer = nil; day = "" }

    /// Cuts a file back to its last newline (a crash can leave a partial last line).
    /// Returns the number of bytes removed.
    @discardableResult
    public static func trimTornTail(_ path: String) throws -> Int {
        let fd = Glibc.open(path, O_RDWR | O_CLOEXEC)
        if fd < 0 { return 0 }
        defer { Glibc.close(fd) }
        let end = Int(lseek(fd, 0, SEEK_END))
        if end <= 0 { return 0 }
        var pos = end
        var buf = [UInt8](repeating: 0, count: 4096)
        while pos > 0 {
            let n = min(4096, pos)
            let got = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, n, off_t(pos - n)) }
            if got != n {
                throw WenshuError(.output.read, "cannot read the tail of the file", stage: .output, path: path)
            }
            if let nl = buf[0..<n].lastIndex(of: 0x0A) {
                let keep = pos - n + nl + 1
                if keep == end { return 0 }
                try truncate(path, to: keep, fd: fd)
                return end - keep
            }
            pos -= n
        }
        try truncate(path, to: 0, fd: fd)
        return end
    }

    /// Truncates `path` to `length` bytes and fsyncs it.
    public static func truncate(_ path: String, to length: Int, fd existing: Int32? = nil) throws {
        let fd = existing ?? Glibc.open(path, O_RDWR | O_CLOEXEC)
        if fd < 0 { return }
        defer { if existing == nil { Glibc.close(fd) } }
        do {
            try Posix.retrying("ftruncate", path: path) { ftruncate(fd, off_t(length)) }
            try Posix.retrying("fsync", path: path) { fsync(fd) }
        } catch let e as ErrnoError {
            throw WenshuError(.output.truncate, "cannot cut the file back to \(length) bytes", stage: .output, errno: e)
        }
    }

    /// Reads `length` bytes at `offset` (fewer when the file is shorter; nil when absent).
    public static func read(_ path: String, offset: Int, length: Int) -> [UInt8]? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return nil }
        defer { Glibc.close(fd) }
        var buf = [UInt8](repeating: 0, count: length)
        var got = 0
        while got < length {
            let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, length - got, off_t(offset + got)) }
            if n <= 0 { break }
            got += n
        }
        return Array(buf[0..<got])
    }

    /// Size of a file, 0 when absent.
    public static func fileSize(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }
}

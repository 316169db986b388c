import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// File names as the kernel sees them (bytes), carried in Swift strings by a reversible escape.
///
/// Linux file names are byte strings; shares written by older Windows tools hold Latin-1 or
/// GBK names that are not valid UTF-8. Wenshu carries every path it finds as a string in
/// which:
/// - a byte that is not part of a valid UTF-8 sequence is written `\xNN` (two upper-case hex digits);
/// - a backslash in the name is written `\\`;
/// - everything else is the name's UTF-8 text, unchanged.
///
/// So a path with neither backslashes nor invalid bytes is written as is, and `unescape`
/// gives back the exact bytes of any escaped path. Records carry the escaped form in
/// `source.path`. Every open, stat and rename of a path found by a walk goes through the
/// functions here, which turn the escaped form back into bytes.
public enum RawPath {
    /// The escaped string of a byte name.
    public static func escape<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let b = Array(bytes)
        var out = ""
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0x5C { out += "\\\\"; i += 1; continue }
            if c < 0x80 { out.unicodeScalars.append(Unicode.Scalar(c)); i += 1; continue }
            let n = sequenceLength(b, at: i)
            if n > 0, let s = String(validating: b[i..<(i + n)], as: UTF8.self) {
                out += s
                i += n
            } else {
                out += String(format: "\\x%02X", c)
                i += 1
            }
        }
        return out
    }

    /// Length of the valid UTF-8 sequence starting at `i`, or 0 when the bytes there are not one.
    static func sequenceLength(_ b: [UInt8], at i: Int) -> Int {
        let c = b[i]
        let n: Int
        switch c {
        case 0xC2...0xDF: n = 2
        case 0xE0...0xEF: n = 3
        case 0xF0...0xF4: n = 4
        default: return 0
        }
        guard i + n <= b.count else { return 0 }
        for k in 1..<n where b[i + k] & 0xC0 != 0x80 { return 0 }
        // Overlongs, surrogates and values above U+10FFFF.
        if c == 0xE0 && b[i + 1] < 0xA0 { return 0 }
        if c == 0xED && b[i + 1] >= 0xA0 { return 0 }
        if c == 0xF0 && b[i + 1] < 0x90 { return 0 }
        if c == 0xF4 && b[i + 1] >= 0x90 { return 0 }
        return n
    }

    /// The escaped string of a path given as text (a command-line argument): its UTF-8 bytes escaped.
    public static func escape(text: String) -> String { escape(Array(text.utf8)) }

    /// The bytes an escaped path stands for. Unknown escapes (`\q`) are kept as written.
    public static func unescape(_ s: String) -> [UInt8] {
        let u = Array(s.utf8)
        guard u.contains(0x5C) else { return u }
        var out = [UInt8]()
        out.reserveCapacity(u.count)
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x41...0x46: return c - 0x41 + 10
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        while i < u.count {
            if u[i] == 0x5C, i + 1 < u.count {
                if u[i + 1] == 0x5C { out.append(0x5C); i += 2; continue }
                if u[i + 1] == 0x78, i + 3 < u.count, let h = hex(u[i + 2]), let l = hex(u[i + 3]) {
                    out.append(h << 4 | l); i += 4; continue
                }
            }
            out.append(u[i]); i += 1
        }
        return out
    }

    /// Calls `body` with the NUL-terminated bytes of an escaped path.
    public static func withCString<T>(_ escaped: String, _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        var bytes = unescape(escaped).map { CChar(bitPattern: $0) }
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// `open(2)` of an escaped path.
    public static func open(_ escaped: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
        withCString(escaped) { Glibc.open($0, flags, mode) }
    }

    /// `lstat(2)` of an escaped path (the link itself); nil with `errno` set when it fails.
    public static func lstatOf(_ escaped: String) -> Glibc.stat? {
        var st = Glibc.stat()
        return withCString(escaped) { Glibc.lstat($0, &st) } == 0 ? st : nil
    }

    /// `stat(2)` of an escaped path (following links); nil with `errno` set when it fails.
    public static func statOf(_ escaped: String) -> Glibc.stat? {
        var st = Glibc.stat()
        let r: Int32 = withCString(escaped) { fstatat(AT_FDCWD, $0, &st, 0) }
        return r == 0 ? st : nil
    }

    /// `rename(2)` between escaped paths; 0 on success.
    public static func rename(_ from: String, _ to: String) -> Int32 {
        withCString(from) { f in withCString(to) { t in Glibc.rename(f, t) } }
    }

    /// `realpath(3)` of an escaped path, escaped; nil when it cannot be resolved.
    public static func realpath(_ escaped: String) -> String? {
        withCString(escaped) { p -> String? in
            guard let r = Glibc.realpath(p, nil) else { return nil }
            defer { free(r) }
            return escape(UnsafeBufferPointer(start: UnsafeRawPointer(r).assumingMemoryBound(to: UInt8.self), count: strlen(r)))
        }
    }

    /// The names in a folder (escaped), without `.` and `..`, in no particular order; nil with `errno` when it cannot be listed.
    public static func list(_ escapedFolder: String) -> [String]? {
        guard let d = withCString(escapedFolder, { opendir($0) }) else { return nil }
        defer { closedir(d) }
        var out: [String] = []
        while true {
            errno = 0
            guard let e = readdir(d) else { break }
            let name: [UInt8] = withUnsafeBytes(of: e.pointee.d_name) { raw in
                let p = raw.bindMemory(to: UInt8.self)
                let n = p.firstIndex(of: 0) ?? p.count
                return Array(p[0..<n])
            }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            out.append(escape(name))
        }
        return out
    }

    /// Creates a folder and its parents (escaped path); true when it exists afterwards.
    @discardableResult
    public static func makeFolders(_ escaped: String, mode: mode_t = 0o755) -> Bool {
        if let st = statOf(escaped) { return (st.st_mode & S_IFMT) == S_IFDIR }
        let parent = (escaped as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != escaped && parent != "/" { makeFolders(parent, mode: mode) }
        _ = withCString(escaped) { mkdir($0, mode) }
        if let st = statOf(escaped) { return (st.st_mode & S_IFMT) == S_IFDIR }
        return false
    }

    /// What kind of file a mode names, in words for error messages.
    public static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a folder"
        case S_IFLNK: return "a symbolic link"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        default: return "a special file"
        }
    }
}

import Foundation
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// Tells whether any process holds a file open for writing, so the inbox never takes a
/// file that a writer still has open (a slow copy that pauses longer than `settle_ms`).
///
/// 1. A read lease (`fcntl(F_SETLEASE, F_RDLCK)`): the kernel refuses it with `EAGAIN`
///    while any descriptor in any process has the file open for writing, and grants it
///    otherwise; a granted lease is dropped at once. (SIGIO, the lease-break signal, is
///    ignored by the watcher, so a writer opening the file in that instant costs nothing.)
/// 2. Where leases are not allowed (a file owned by another user without CAP_LEASE, a file
///    system without leases), a scan of `/proc/*/fd`: a descriptor that resolves to the
///    same device and inode and whose `fdinfo` flags say write or read-write.
public enum OpenWriterProbe {
    /// The answer for one file.
    public enum Answer: Equatable, Sendable {
        case noWriter
        case writerOpen
        /// The file is gone (or cannot be opened).
        case vanished
    }

    static let F_SETLEASE: Int32 = 1024   // F_LINUX_SPECIFIC_BASE + 0
    static let F_RDLCK_: Int32 = 0
    static let F_UNLCK_: Int32 = 2

    /// Ignores SIGIO (the lease-break signal), whose default action ends the process.
    public static func prepare() { signal(SIGIO, SIG_IGN) }

    /// Whether a process holds `path` (escaped, see `RawPath`) open for writing.
    public static func check(_ path: String) -> Answer {
        let fd = RawPath.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW)
        guard fd >= 0 else { return .vanished }
        defer { close(fd) }
        if fcntl(fd, F_SETLEASE, F_RDLCK_) == 0 {
            _ = fcntl(fd, F_SETLEASE, F_UNLCK_)
            return .noWriter
        }
        if errno == EAGAIN || errno == EBUSY { return .writerOpen }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .vanished }
        return procWriters(dev: UInt64(st.st_dev), ino: UInt64(st.st_ino)) ? .writerOpen : .noWriter
    }

    /// The `/proc` fallback: does any descriptor of any process refer to this file with write access?
    public static func procWriters(dev: UInt64, ino: UInt64) -> Bool {
        guard let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
        for pid in pids where pid.first?.isNumber == true {
            let fdDir = "/proc/\(pid)/fd"
            guard let fds = try? FileManager.default.contentsOfDirectory(atPath: fdDir) else { continue }
            for n in fds {
                var st = stat()
                guard stat(fdDir + "/" + n, &st) == 0, UInt64(st.st_ino) == ino, UInt64(st.st_dev) == dev else { continue }
                guard let info = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(n)", encoding: .utf8) else { continue }
                for line in info.split(separator: "\n") where line.hasPrefix("flags:") {
                    let octal = line.dropFirst("flags:".count).trimmingCharacters(in: .whitespaces)
                    if let flags = Int(octal, radix: 8), flags & Int(O_ACCMODE) != Int(O_RDONLY) { return true }
                }
            }
        }
        return false
    }
}

import Foundation
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// What `stat` says about a file, enough to tell whether it is still changing.
public struct FileStamp: Equatable, Sendable {
    public var size: Int
    public var mtimeNs: Int64
    public var inode: UInt64

    /// Stats a regular file (not following a final symlink); nil when absent or not a regular file.
    public static func of(_ path: String) -> FileStamp? {
        guard let st = RawPath.lstatOf(path), (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let ns = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        return FileStamp(size: Int(st.st_size), mtimeNs: ns, inode: UInt64(st.st_ino))
    }
}

/// Files seen but not yet taken, each waiting until its size and mtime have stayed the
/// same for the settle time. Notes for the same path (a close-after-write and a
/// moved-in event for one atomic write, a rescan finding it again) merge into one entry.
public struct SettleTracker {
    public struct Entry: Equatable {
        public var stamp: FileStamp
        /// When the stamp last changed (or the entry was made), in monotonic seconds.
        public var since: Double
        /// An event told us the writer closed it (or it was moved in).
        public var closed: Bool
        /// When a check first found a process holding it open for writing (monotonic seconds);
        /// nil while no writer was seen.
        public var heldSince: Double? = nil
    }

    public let settle: Double
    public private(set) var entries: [String: Entry] = [:]

    public init(settleMs: Int) { settle = Double(settleMs) / 1000 }

    public var count: Int { entries.count }

    /// Notes that `path` may be ready; returns true when it is new to the tracker.
    @discardableResult
    public mutating func note(_ path: String, now: Double, closed: Bool) -> Bool {
        guard let s = FileStamp.of(path) else { entries[path] = nil; return false }
        if var e = entries[path] {
            if e.stamp != s { e.stamp = s; e.since = now }
            e.closed = e.closed || closed
            // A file found held open is complete when its writer closes it: the close-after-write
            // event makes it ready at once (it is still taken only if no writer remains).
            if closed && e.heldSince != nil { e.since = now - settle }
            entries[path] = e
            return false
        }
        entries[path] = Entry(stamp: s, since: now, closed: closed)
        return true
    }

    /// Paths whose stamp is unchanged for the settle time, oldest first; entries that
    /// changed restart their wait, vanished ones are dropped.
    public mutating func ready(now: Double, limit: Int) -> [(path: String, stamp: FileStamp)] {
        var out: [(String, FileStamp, Double)] = []
        for (p, e) in entries where now - e.since >= settle {
            guard let s = FileStamp.of(p) else { entries[p] = nil; continue }
            if s != e.stamp { entries[p] = Entry(stamp: s, since: now, closed: e.closed, heldSince: e.heldSince); continue }
            out.append((p, s, e.since))
        }
        out.sort { $0.2 < $1.2 || ($0.2 == $1.2 && $0.0 < $1.0) }
        return out.prefix(limit).map { ($0.0, $0.1) }
    }

    /// A settled path that a process still holds open for writing: it waits another settle
    /// time before it is checked again, and remembers since when it is held.
    public mutating func hold(_ path: String, now: Double) {
        guard var e = entries[path] else { return }
        e.since = now
        e.closed = false
        if e.heldSince == nil { e.heldSince = now }
        entries[path] = e
    }

    /// Paths held open for writing longer than `seconds`, with how long, longest first.
    public func heldLongerThan(_ seconds: Double, now: Double) -> [(path: String, seconds: Double)] {
        entries.compactMap { p, e in e.heldSince.flatMap { now - $0 > seconds ? (p, now - $0) : nil } }
            .sorted { $0.seconds > $1.seconds || ($0.seconds == $1.seconds && $0.path < $1.path) }
    }

    /// Removes a path (taken, or found to be done already).
    public mutating func remove(_ path: String) { entries[path] = nil }

    /// Seconds until the next entry could be ready (nil when empty).
    public func nextDeadline(now: Double) -> Double? {
        entries.values.map { max(0, $0.since + settle - now) }.min()
    }
}

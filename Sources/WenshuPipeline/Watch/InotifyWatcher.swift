import Foundation
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// One thing the kernel told us about the watched tree.
public enum InboxEvent: Equatable, Sendable {
    /// A file opened for writing was closed (`IN_CLOSE_WRITE`): absolute path.
    case closedAfterWrite(String)
    /// A file was renamed or moved into a watched folder (`IN_MOVED_TO`): absolute path.
    case movedIn(String)
    /// A folder appeared inside a watched folder (created or moved in); it is now watched too.
    case folderAppeared(String)
    /// The kernel queue overflowed (`IN_Q_OVERFLOW`): events were lost, a rescan is needed.
    case overflow
}

/// A recursive inotify watch over a folder tree (Linux only).
///
/// `inotify_event` is imported into Swift without its flexible `name` member, so
/// events are decoded by hand: the fixed 16-byte header (wd, mask, cookie, len)
/// followed by `len` bytes of NUL-padded name. Folders created or moved in are
/// added to the watch as they appear; files already inside such a folder (a
/// folder moved in whole, or written before the watch was added) are not
/// reported as events, so callers scan a folder that appears.
public final class InotifyWatcher {
    private let fd: Int32
    private var folders: [Int32: String] = [:]
    private var watchOf: [String: Int32] = [:]
    /// Absolute folder paths never watched (the done/ and failed/ folders inside the inbox).
    public let excluded: Set<String>
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Opens an inotify instance and watches `root` and every folder below it, except `excluded` ones.
    public init(root: String, excluded: Set<String> = []) throws {
        do {
            fd = try Posix.retrying("inotify_init1", path: root) { inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC)) }
        } catch let e as ErrnoError {
            throw WenshuError(.watch.inotifyInit, "inotify_init1 failed", stage: .read, errno: e)
        }
        self.excluded = Set(excluded.map { InotifyWatcher.clean($0) })
        _ = try addTree(InotifyWatcher.clean(root), isRoot: true)
    }

    deinit { close(fd) }

    /// The folders now watched (absolute paths).
    public var watchedFolders: [String] { Array(watchOf.keys).sorted() }

    static func clean(_ p: String) -> String {
        var s = (p as NSString).standardizingPath
        while s.count > 1 && s.hasSuffix("/") { s.removeLast() }
        return s
    }

    /// Watches `path` and its subfolders; returns the folders newly added.
    @discardableResult
    public func addTree(_ path: String, isRoot: Bool = false) throws -> [String] {
        var added: [String] = []
        var stack = [InotifyWatcher.clean(path)]
        while let dir = stack.popLast() {
            if excluded.contains(dir) { continue }
            if watchOf[dir] == nil {
                let mask = UInt32(IN_CLOSE_WRITE) | UInt32(IN_MOVED_TO) | UInt32(IN_CREATE) | UInt32(IN_ONLYDIR)
                let wd = RawPath.withCString(dir) { inotify_add_watch(fd, $0, mask) }
                if wd < 0 {
                    let err = ErrnoError("inotify_add_watch", path: dir)
                    if isRoot && dir == InotifyWatcher.clean(path) {
                        throw WenshuError(.watch.addWatch, "cannot watch folder", stage: .read, errno: err)
                    }
                    continue // vanished or not a folder: the rescan will tell
                }
                // A folder moved within the tree keeps its wd: drop the old name.
                if let old = folders[wd], old != dir { watchOf[old] = nil }
                folders[wd] = dir
                watchOf[dir] = wd
                added.append(dir)
            }
            guard let names = RawPath.list(dir) else { continue }
            for n in names {
                let child = dir + "/" + n
                if let st = RawPath.lstatOf(child), (st.st_mode & S_IFMT) == S_IFDIR { stack.append(child) }
            }
        }
        return added
    }

    /// Waits up to `timeoutMs` (-1: forever) for events and returns them in order.
    /// Returns an empty list on timeout or when a signal interrupts the wait.
    public func next(timeoutMs: Int32) throws -> [InboxEvent] {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let r = poll(&pfd, 1, timeoutMs)
        if r < 0 {
            // Not retried: a signal (SIGTERM) must reach the loop's stop check at once.
            let e = ErrnoError("poll")
            if e.code == EINTR { return [] }
            throw WenshuError(.watch.poll, "poll failed", stage: .read, errno: e)
        }
        if r == 0 { return [] }
        var events: [InboxEvent] = []
        while true {
            let n: Int
            do {
                n = try Posix.read(fd, into: &buffer)
            } catch let e as ErrnoError where e.wouldBlock {
                break
            } catch let e as ErrnoError {
                throw WenshuError(.watch.read, "reading inotify events failed", stage: .read, errno: e)
            }
            if n == 0 { break }
            decode(count: n, into: &events)
        }
        return events
    }

    private func decode(count n: Int, into events: inout [InboxEvent]) {
        let header = MemoryLayout<inotify_event>.size // 16: wd, mask, cookie, len
        var off = 0
        while off + header <= n {
            let (wd, mask, len) = buffer.withUnsafeBytes { raw -> (Int32, UInt32, Int) in
                let wd = raw.loadUnaligned(fromByteOffset: off, as: Int32.self)
                let mask = raw.loadUnaligned(fromByteOffset: off + 4, as: UInt32.self)
                let len = raw.loadUnaligned(fromByteOffset: off + 12, as: UInt32.self)
                return (wd, mask, Int(len))
            }
            var name = ""
            if len > 0 && off + header + len <= n {
                let bytes = buffer[(off + header)..<(off + header + len)]
                let trimmed = bytes.prefix { $0 != 0 }
                name = RawPath.escape(trimmed) // byte names stay reversible (see RawPath)
            }
            off += header + len
            if mask & UInt32(IN_Q_OVERFLOW) != 0 { events.append(.overflow); continue }
            if mask & UInt32(IN_IGNORED) != 0 {
                if let dir = folders.removeValue(forKey: wd) { watchOf[dir] = nil }
                continue
            }
            guard let dir = folders[wd], !name.isEmpty else { continue }
            let path = dir + "/" + name
            if mask & UInt32(IN_ISDIR) != 0 {
                if mask & (UInt32(IN_CREATE) | UInt32(IN_MOVED_TO)) != 0 && !excluded.contains(path) {
                    _ = try? addTree(path)
                    events.append(.folderAppeared(path))
                }
                continue
            }
            if mask & UInt32(IN_CLOSE_WRITE) != 0 { events.append(.closedAfterWrite(path)) }
            if mask & UInt32(IN_MOVED_TO) != 0 { events.append(.movedIn(path)) }
        }
    }
}

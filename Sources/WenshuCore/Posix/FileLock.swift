import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive, non-blocking `flock` on a file or folder, held until `unlock()` or
/// until the lock is released (deinit); the kernel releases it too when the process dies.
///
/// `flock` locks belong to an open file description, so a second `FileLock` on the same
/// path fails even inside the same process. A lock held elsewhere throws an `ErrnoError`
/// whose `wouldBlock` is true; other failures (the file cannot be opened) carry their errno.
public final class FileLock {
    /// The locked path.
    public let path: String
    private var fd: Int32

    /// Opens `path` and locks it (`LOCK_EX | LOCK_NB`). A regular file is created when
    /// missing; with `folder` the path must be an existing folder.
    public init(path: String, folder: Bool = false) throws {
        self.path = path
        let flags = folder ? O_RDONLY | O_DIRECTORY | O_CLOEXEC : O_RDWR | O_CREAT | O_CLOEXEC
        let f = try Posix.retrying("open", path: path) { RawPath.open(path, flags, 0o644) }
        do {
            try Posix.retrying("flock", path: path) { flock(f, LOCK_EX | LOCK_NB) }
        } catch {
            close(f)
            throw error
        }
        fd = f
    }

    /// Whether the lock is still held by this object.
    public var isLocked: Bool { fd >= 0 }

    /// Releases the lock (and closes the descriptor); later calls do nothing.
    public func unlock() {
        guard fd >= 0 else { return }
        _ = flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { unlock() }
}

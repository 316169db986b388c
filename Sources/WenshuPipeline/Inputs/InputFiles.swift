import Foundation
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// The files a run reads: every regular file under the given paths, recursively, in a
/// stable order (names sorted byte-wise within each folder), filtered by globs. Walks
/// lazily: memory holds one folder listing per level, never the whole corpus.
///
/// What is found and is not a regular file becomes an error, never a silent skip and
/// never an open that could block:
/// - FIFOs, sockets and devices: `read.not_regular`, naming the kind (a FIFO is never opened);
/// - symbolic links: `read.symlink` (not followed) unless `followSymlinks`; then a link is
///   followed only to a target inside one of the input roots (`read.symlink_outside`
///   otherwise), a folder reached twice (a loop) is walked once, and a file reached twice
///   (by a link and by its own name) is read once;
/// - a name that vanished between the listing and its `lstat`: `read.vanished`.
///
/// Names that are not valid UTF-8 are taken like any other; their paths are escaped
/// reversibly (`RawPath`). A path named directly is always taken when it is a regular file
/// (a link named directly is followed: the user named it).
public struct InputFiles: Sendable {
    public var paths: [String]
    public var include: [Glob]
    public var exclude: [Glob]
    /// Follow symbolic links found in folders (within the input roots only).
    public var followSymlinks: Bool

    public init(paths: [String], globs: [String] = [], exclude: [String] = [], followSymlinks: Bool = false) {
        self.paths = paths
        self.include = globs.map { Glob($0) }
        self.exclude = exclude.map { Glob($0) }
        self.followSymlinks = followSymlinks
    }

    private struct FileID: Hashable { var dev: UInt64; var ino: UInt64 }

    private struct WalkState {
        var seenFiles = Set<FileID>()
        var seenFolders = Set<FileID>()
        var track: Bool
        var roots: [String] = []
    }

    /// Calls `body` with each file path (escaped, see `RawPath`), or with an error for a path
    /// that cannot be read or is not a regular file. Files found in folders must pass the
    /// globs. Hidden files and folders (names starting with `.`) are skipped.
    public func forEach(_ body: (Result<String, WenshuError>) throws -> Void) throws {
        // Only overlapping roots or followed links can reach a file twice: track files only
        // then, so memory does not grow with the corpus in the usual case.
        var state = WalkState(track: paths.count > 1 || followSymlinks)
        state.roots = paths.compactMap { RawPath.realpath(RawPath.escape(text: $0)) }
        for given in paths {
            let p = RawPath.escape(text: given)
            guard let st = RawPath.statOf(p) else {
                let failure = ErrnoError("stat", path: p)
                try body(.failure(failure.code == ENOENT
                    ? WenshuError(.read.missing, "no such file or folder", stage: .read, path: p)
                    : WenshuError(.read.stat, "cannot stat", stage: .read, errno: failure)))
                continue
            }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                state.seenFolders.insert(FileID(dev: UInt64(st.st_dev), ino: UInt64(st.st_ino)))
                try walk(root: p, relative: "", state: &state, body)
            case S_IFREG:
                if !state.track || state.seenFiles.insert(FileID(dev: UInt64(st.st_dev), ino: UInt64(st.st_ino))).inserted {
                    try body(.success(p))
                }
            default:
                try body(.failure(InputFiles.notRegular(p, st.st_mode)))
            }
        }
    }

    static func notRegular(_ path: String, _ mode: mode_t) -> WenshuError {
        WenshuError(.read.notRegular, "\(RawPath.kind(mode)), not a regular file: not read", stage: .read, path: path)
    }

    private func inRoots(_ real: String, _ roots: [String]) -> Bool {
        roots.contains { real == $0 || real.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
    }

    private func walk(root: String, relative: String, state: inout WalkState,
                      _ body: (Result<String, WenshuError>) throws -> Void) throws {
        let dir = relative.isEmpty ? root : (root.hasSuffix("/") ? root : root + "/") + relative
        guard let listed = RawPath.list(dir) else {
            try body(.failure(WenshuError(.read.folder, "cannot list folder", stage: .read, errno: ErrnoError("opendir", path: dir))))
            return
        }
        let names = listed.map { ($0, RawPath.unescape($0)) }.sorted { $0.1.lexicographicallyPrecedes($1.1) }
        for (name, _) in names where !name.hasPrefix(".") {
            let rel = relative.isEmpty ? name : relative + "/" + name
            let full = (root.hasSuffix("/") ? root : root + "/") + rel
            guard var st = RawPath.lstatOf(full) else {
                if errno == ENOENT {
                    try body(.failure(WenshuError(.read.vanished, "the file disappeared between the folder listing and its reading",
                                                  stage: .read, path: full)))
                } else {
                    try body(.failure(WenshuError(.read.stat, "cannot stat", stage: .read, errno: ErrnoError("lstat", path: full))))
                }
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFLNK {
                if !passes(rel) { continue }
                guard followSymlinks else {
                    try body(.failure(WenshuError(.read.symlink,
                                                  "a symbolic link: not followed (set inputs.follow_symlinks: true to follow links within the input folders)",
                                                  stage: .read, path: full)))
                    continue
                }
                guard let real = RawPath.realpath(full), let target = RawPath.statOf(full) else {
                    try body(.failure(WenshuError(.read.symlinkBroken, "a symbolic link whose target cannot be reached (dangling or a loop)",
                                                  stage: .read, path: full)))
                    continue
                }
                guard inRoots(real, state.roots) else {
                    try body(.failure(WenshuError(.read.symlinkOutside, "a symbolic link to a place outside the input folders: not followed",
                                                  stage: .read, path: full)))
                    continue
                }
                st = target
            }
            let id = FileID(dev: UInt64(st.st_dev), ino: UInt64(st.st_ino))
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                // A folder reached twice (a link loop, or a link to a folder walked already) is walked once.
                if state.track && !state.seenFolders.insert(id).inserted { continue }
                try walk(root: root, relative: rel, state: &state, body)
            case S_IFREG:
                if !passes(rel) { continue }
                if !state.track || state.seenFiles.insert(id).inserted { try body(.success(full)) }
            default:
                if !passes(rel) { continue }
                try body(.failure(InputFiles.notRegular(full, st.st_mode)))
            }
        }
    }

    private func passes(_ rel: String) -> Bool {
        if !include.isEmpty && !include.contains(where: { $0.matches(rel) }) { return false }
        if exclude.contains(where: { $0.matches(rel) }) { return false }
        return true
    }

    /// Number of files and their total size, for progress estimates.
    public func census() -> (files: Int, bytes: Int64) {
        var files = 0
        var bytes: Int64 = 0
        try? forEach { r in
            if case let .success(p) = r {
                files += 1
                bytes += Int64(RawPath.statOf(p)?.st_size ?? 0)
            }
        }
        return (files, bytes)
    }
}

import Foundation
import WenshuCore

/// The files a run reads: every file under the given paths, recursively, in a stable
/// order (names sorted byte-wise within each folder), filtered by globs. Walks lazily:
/// memory holds one folder listing per level, never the whole corpus.
public struct InputFiles: Sendable {
    public var paths: [String]
    public var include: [Glob]
    public var exclude: [Glob]

    public init(paths: [String], globs: [String] = [], exclude: [String] = []) {
        self.paths = paths
        self.include = globs.map { Glob($0) }
        self.exclude = exclude.map { Glob($0) }
    }

    /// Calls `body` with each file path, or with an error for a path that cannot be read.
    /// A path named directly is always taken; files found in folders must pass the globs.
    /// Hidden files and folders (names starting with `.`) are skipped.
    public func forEach(_ body: (Result<String, WenshuError>) throws -> Void) throws {
        // Only overlapping roots can name a file twice: track names only then, so memory
        // does not grow with the corpus in the usual one-root case.
        var seen = Set<String>()
        let track = paths.count > 1
        for p in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
                try body(.failure(WenshuError("read.missing", "no such file or folder", stage: .read, path: p)))
                continue
            }
            if isDir.boolValue {
                try walk(root: p, relative: "", seen: &seen, track: track, body)
            } else if !track || seen.insert(canonical(p)).inserted {
                try body(.success(p))
            }
        }
    }

    private func canonical(_ p: String) -> String { URL(fileURLWithPath: p).standardizedFileURL.path }

    private func walk(root: String, relative: String, seen: inout Set<String>, track: Bool,
                      _ body: (Result<String, WenshuError>) throws -> Void) throws {
        let dir = relative.isEmpty ? root : root + "/" + relative
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dir)
        } catch {
            try body(.failure(WenshuError("read.folder", "cannot list folder", stage: .read, path: dir,
                                          cause: "\(error.localizedDescription)")))
            return
        }
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) where !name.hasPrefix(".") {
            let rel = relative.isEmpty ? name : relative + "/" + name
            let full = (root.hasSuffix("/") ? root : root + "/") + rel
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir) else { continue }
            if isDir.boolValue {
                try walk(root: root, relative: rel, seen: &seen, track: track, body)
            } else {
                if !include.isEmpty && !include.contains(where: { $0.matches(rel) }) { continue }
                if exclude.contains(where: { $0.matches(rel) }) { continue }
                if !track || seen.insert(canonical(full)).inserted { try body(.success(full)) }
            }
        }
    }

    /// Number of files and their total size, for progress estimates.
    public func census() -> (files: Int, bytes: Int64) {
        var files = 0
        var bytes: Int64 = 0
        try? forEach { r in
            if case let .success(p) = r {
                files += 1
                bytes += (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? NSNumber)??.int64Value ?? 0
            }
        }
        return (files, bytes)
    }
}

import Foundation
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// The folder of part files beside a journal: `<name>.results.jsonl` and
/// `<name>.errors.jsonl` per committed batch.
///
/// The protocol that makes a run exactly-once under kill -9 at any moment:
/// 1. a batch's lines are written to its part files and fsynced (with the folder);
/// 2. one journal transaction records the part and marks its documents;
/// 3. at start, part files the journal does not know are deleted (a crash between 1 and 2);
/// 4. the final results and errors files are rebuilt from committed parts into a
///    temporary file, fsynced, and renamed over the old one (a crash leaves the old file
///    whole, and the next run rebuilds it).
public struct PartStore: Sendable {
    public let folder: String

    public init(folder: String) throws {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw WenshuError(.output.folder, "cannot create the parts folder", stage: .output, path: folder).caused(by: error)
        }
    }

    public func resultsPath(_ part: String) -> String { folder + "/" + part + ".results.jsonl" }
    public func errorsPath(_ part: String) -> String { folder + "/" + part + ".errors.jsonl" }

    /// Part name for batch `seq` of run `runId`; names sort in commit order.
    public static func name(runId: Int64, seq: Int) -> String {
        String(format: "r%08lld-b%08d", runId, seq)
    }

    /// Writes and flushes one part's files (an empty side writes no file).
    public func write(part: String, results: [[UInt8]], errors: [[UInt8]]) throws {
        if !results.isEmpty { try PartStore.writeSynced(path: resultsPath(part), lines: results) }
        if !errors.isEmpty { try PartStore.writeSynced(path: errorsPath(part), lines: errors) }
        PartStore.syncFolder(folder)
    }

    /// Deletes part files whose part is not in `committed`. Returns how many were removed.
    @discardableResult
    public func discardUncommitted(committed: Set<String>) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return 0 }
        var n = 0
        for f in names {
            let part = f.components(separatedBy: ".").first ?? f
            if !committed.contains(part) {
                try? FileManager.default.removeItem(atPath: folder + "/" + f)
                n += 1
            }
        }
        return n
    }

    public func remove(part: String) {
        try? FileManager.default.removeItem(atPath: resultsPath(part))
        try? FileManager.default.removeItem(atPath: errorsPath(part))
    }

    static func writeSynced(path: String, lines: [[UInt8]]) throws {
        let w = try LineWriter(path: path, append: false)
        var buf = [UInt8]()
        buf.reserveCapacity(lines.reduce(0) { $0 + $1.count + 1 })
        for l in lines { buf.append(contentsOf: l); buf.append(0x0A) }
        try w.writeAll(buf)
        try w.sync()
    }

    static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    /// Builds `destination` atomically from selected lines of committed parts:
    /// `lines` calls its argument with (part, line) pairs in output order.
    /// Returns the number of lines written.
    @discardableResult
    public func assemble(into destination: String, errorsSide: Bool,
                         lines: ((String, Int) throws -> Void) throws -> Void) throws -> Int {
        let tmp = destination + ".partial"
        // A failure (a full disk) removes the partial file, so it does not keep the disk full;
        // the old destination is untouched.
        do {
            return try assemble(into: destination, tmp: tmp, errorsSide: errorsSide, lines: lines)
        } catch {
            unlink(tmp)
            throw error
        }
    }

    private func assemble(into destination: String, tmp: String, errorsSide: Bool,
                          lines: ((String, Int) throws -> Void) throws -> Void) throws -> Int {
        let out = try LineWriter(path: tmp, append: false)
        var reader: LineReader?
        var currentPart: String?
        var count = 0
        var pending = [UInt8]()
        func flush() throws { if !pending.isEmpty { try out.writeAll(pending); pending.removeAll(keepingCapacity: true) } }
        try lines { part, line in
            if part != currentPart {
                currentPart = part
                reader = try LineReader(path: errorsSide ? errorsPath(part) : resultsPath(part))
            }
            guard let r = reader else { return }
            // Lines are requested in increasing order within a part.
            while r.lineNumber < line + 1 {
                guard let bytes = try r.nextLine() else {
                    throw WenshuError(.journal.partShort, "part \(part) has no line \(line + 1)", stage: .journal,
                                      path: r.path)
                }
                if r.lineNumber == line + 1 {
                    pending.append(contentsOf: bytes); pending.append(0x0A)
                    count += 1
                    if pending.count > 1 << 20 { try flush() }
                }
            }
        }
        try flush()
        try out.sync()
        do {
            try Posix.retrying("rename", path: destination) { rename(tmp, destination) }
        } catch let e as ErrnoError {
            throw WenshuError(.output.rename, "cannot move the finished file into place", stage: .output, errno: e)
        }
        PartStore.syncFolder(URL(fileURLWithPath: destination).deletingLastPathComponent().path)
        return count
    }
}

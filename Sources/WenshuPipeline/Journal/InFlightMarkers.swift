import Foundation
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// Marks the documents a worker is processing, so a crash of the whole process (a stage that
/// runs out of memory, a native fault, the kernel's OOM killer) costs only them.
///
/// Before a batch is processed its journal keys are written to a small file in
/// `<journal>.inflight/`; the file is removed when the batch is done. The page cache keeps
/// the file through `kill -9` and `abort`. At the next start, `collect` reads what is left:
/// each key found there gets one more crash in the journal (`Journal.recordCrashes`). The
/// runner then processes such a document alone in its batch, and once it has crashed more
/// than `retries` times it is written to the errors with code `crashed` instead of run again.
public final class InFlightMarkers: @unchecked Sendable {
    public let folder: String
    private let lock = NSLock()
    private var next = 0

    public init(journalPath: String) throws {
        folder = journalPath + ".inflight"
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw WenshuError(.journal.inflight, "cannot create the in-flight folder", stage: .journal, path: folder).caused(by: error)
        }
    }

    /// The keys a dead run left marked, and removes the markers.
    public func collect() -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var keys: [String] = []
        for n in names.sorted() {
            let p = folder + "/" + n
            if let text = try? String(contentsOfFile: p, encoding: .utf8) {
                keys += text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
            }
            try? FileManager.default.removeItem(atPath: p)
        }
        return Array(Set(keys)).sorted()
    }

    /// Writes a marker for `keys` and returns its path (nil when there is nothing to mark).
    public func mark(_ keys: [String]) -> String? {
        guard !keys.isEmpty else { return nil }
        lock.lock(); next += 1; let n = next; lock.unlock()
        let path = folder + "/batch-\(getpid())-\(n)"
        let bytes = Array((keys.joined(separator: "\n") + "\n").utf8)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        var off = 0
        while off < bytes.count {
            let w = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + off, bytes.count - off) }
            if w <= 0 { break }
            off += w
        }
        close(fd)
        return path
    }

    /// Removes a marker once its batch is processed.
    public func clear(_ path: String?) { if let path { unlink(path) } }
}

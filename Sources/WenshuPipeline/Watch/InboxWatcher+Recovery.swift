import Foundation
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// Recovery at start: the rows a crash left in `writing` (crash windows W2 and W3 of
/// InboxWatcher+Commit.swift) are kept, completed or rolled back before anything is taken.
extension InboxWatcher {
    /// What recovery finds at a row's byte range in one stream.
    enum RangeState: Equatable {
        /// All bytes there, same SHA-256.
        case intact
        /// The first `count` bytes are there and the stream ends right after them (a write
        /// cut short, or never made: `count` 0): the rest can be appended.
        case partial(count: Int)
        /// Something else is there: the range cannot be completed.
        case damaged
    }

    static func rangeState(_ file: String, _ off: Int, _ len: Int, _ hash: String) -> RangeState {
        if len == 0 { return .intact }
        let size = DailyJSONLFile.fileSize(file)
        let have = DailyJSONLFile.read(file, offset: off, length: len) ?? []
        if have.count == len { return SHA256Hasher.hex(have) == hash ? .intact : .damaged }
        if off + have.count == size { return .partial(count: have.count) }
        return .damaged
    }

    /// Settles rows a crash left in `writing` (windows W2 and W3), in batch order, before
    /// anything is taken:
    /// - a row whose bytes are all there in both streams is kept (marked committed);
    /// - a row whose bytes stop short at the end of a stream (nothing written yet, or a write
    ///   cut short) is completed: the file, still in the inbox, is processed again, and when
    ///   its regenerated lines have the recorded SHA-256 and begin with the bytes already
    ///   there, only the missing rest is appended. A line a reader has already seen is never
    ///   taken back, and none is written twice;
    /// - otherwise (the file is gone or changed, the processor gave different lines, other
    ///   bytes are in the way) both streams are cut back to that row's offsets and that row
    ///   and all after it are forgotten, so their files are processed again from scratch.
    func recover(_ out: WatchOutputs) throws {
        let rows = try out.journal.writingRows()
        guard !rows.isEmpty else { return }
        var kept: [WatchJournalRow] = [], completed: [WatchJournalRow] = []
        var cut: Int?
        for (i, r) in rows.enumerated() {
            let rs = InboxWatcher.rangeState(r.resultFile, r.resultOffset, r.resultLength, r.resultHash)
            let es = InboxWatcher.rangeState(r.errorFile, r.errorOffset, r.errorLength, r.errorHash)
            if rs == .intact && es == .intact { kept.append(r); continue }
            if rs == .damaged || es == .damaged { cut = i; break }
            let path = options.inbox + "/" + r.path
            guard let (sha, size) = InboxWatcher.hashFile(path), sha == r.sha256 else { cut = i; break }
            let file = InboxFile(path: path, relativePath: r.path, sha256: sha, bytes: size)
            guard let lines = try? render(file, inflight: out.inflight), lines.results.count == r.resultLength,
                  lines.errors.count == r.errorLength, SHA256Hasher.hex(lines.results) == r.resultHash,
                  SHA256Hasher.hex(lines.errors) == r.errorHash else { cut = i; break }
            for (state, stream, off, bytes) in [(rs, r.resultFile, r.resultOffset, lines.results),
                                                 (es, r.errorFile, r.errorOffset, lines.errors)] {
                guard case let .partial(have) = state else { continue }
                let existing = DailyJSONLFile.read(stream, offset: off, length: have) ?? []
                guard existing == Array(bytes.prefix(have)) else { cut = i; break }
                try DailyJSONLFile.truncate(stream, to: off + have)
                let w = try LineWriter(path: stream, append: true)
                try w.writeAll(Array(bytes.dropFirst(have)))
                try w.sync()
            }
            if cut != nil { break }
            completed.append(r)
        }
        var redo: [WatchJournalRow] = []
        if let cut {
            redo = Array(rows[cut...])
            let first = rows[cut]
            for (file, off) in [(first.resultFile, first.resultOffset), (first.errorFile, first.errorOffset)]
                where DailyJSONLFile.fileSize(file) > off {
                try DailyJSONLFile.truncate(file, to: off)
            }
            try out.journal.forget(redo.map { $0.sha256 })
            log("recovery: rolled back \(redo.count) file(s) whose output could not be completed: \(redo.map { $0.path })")
        }
        if !kept.isEmpty {
            log("recovery: kept \(kept.count) file(s) whose output was complete: \(kept.map { $0.path })")
        }
        if !completed.isEmpty {
            log("recovery: completed \(completed.count) file(s) whose output was cut short: \(completed.map { $0.path })")
        }
        try out.journal.markCommitted((kept + completed).map { $0.sha256 })
        summary.recoveredAdopted = kept.count + completed.count
        summary.recoveredRolledBack = redo.count
        status.update { $0.recoveredAdopted = kept.count + completed.count; $0.recoveredRolledBack = redo.count }
    }
}

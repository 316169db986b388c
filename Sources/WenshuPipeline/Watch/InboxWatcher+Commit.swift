import Foundation
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

// The two-transaction commit of a batch, and the fail points that test its crash windows.
//
// ## Exactly once, and the crash windows
// The unit is the file's content (SHA-256). A batch is committed like this:
//
// 1. read the file, hash it; a hash the journal already holds as `done`/`failed` is
//    not processed again (a duplicate, or window W4 below);
// 2. process; encode all of the batch's result lines and error lines;
// 3. **transaction 1**: journal rows in state `writing`, each with the exact file,
//    offset, length and SHA-256 of the bytes its lines will occupy in the results
//    and in the errors stream;
// 4. append the batch's result bytes in one `write`, then the error bytes; fsync both;
// 5. **transaction 2**: the rows become `done` (some result) or `failed` (errors only);
// 6. move the files to `done/YYYY-MM-DD/` or `failed/YYYY-MM-DD/` (journal notes where).
//
// A `kill -9` can land anywhere:
// - **W1**, before transaction 1 commits: nothing durable happened; the files are
//   still in the inbox and are taken again after the restart.
// - **W2**, after transaction 1, before the bytes are complete (nothing written, or
//   only the results written, or a write cut short): at start, `recover(_:)` (InboxWatcher+Recovery.swift) walks the
//   `writing` rows in batch order. The files are still in the inbox; each is processed
//   again and, when its regenerated lines carry the recorded SHA-256 and begin with the
//   bytes already in the stream, only the missing rest is appended. So no line a reader
//   has seen is taken back, and none is written twice. If that is impossible (the file
//   changed or vanished, the processor is not deterministic), both streams are cut back to
//   that row's offsets and the rows from there on are deleted, so their files are taken
//   again from scratch (lines of those files that a reader saw may then show up again).
// - **W3**, after the bytes are written (the page cache survives `kill -9`; power loss
//   is covered by the fsync before step 5) but before transaction 2: the rows verify
//   (same length, same SHA-256, which pins the ids), so they are marked committed
//   without writing anything again: a result line already seen by a reader stays, once.
// - **W4**, after transaction 2, before the move: the file is found again in the inbox,
//   its hash is `done`, so it is only moved.
// - **W5**, during the move: `rename` is atomic within one file system.
//
// Power loss as well as `kill -9`: transaction 1 is committed with `synchronous = FULL`
// before any output byte is written, the output is fsynced before transaction 2, and
// transactions 2 and 3 may be lost (WAL keeps their order): a lost 2 is W3, a lost 3 is W4.
// The recovery log names every file kept, completed or rolled back. A torn last line left outside any
// `writing` row (not produced by this code, but possible if a file was edited) is cut
// back to the last newline when the stream is opened.

extension InboxWatcher {
    /// Fail point `watch.pause_ms` (after transaction 1 and after the append; widens crash
    /// windows W2 and W3; in-process tests may hold the loop there with a callback).
    func pause() { FailPoints.pause("watch.pause_ms") }

    /// Fail point `watch.kill_at=POINT:N`: SIGKILL at POINT of the N-th batch.
    func killsHere(_ point: String) -> Bool {
        guard let k = FailPoints.value("watch.kill_at") else { return false }
        let parts = k.split(separator: ":")
        return parts.first.map(String.init) == point && (parts.count < 2 ? 1 : Int(parts[1]) ?? 1) == batchNumber
    }

    func checkpoint(_ point: String) {
        if killsHere(point) { kill(getpid(), SIGKILL) }
    }

    /// Commits a batch in two transactions around the append (steps 3 to 5 above).
    func commit(_ taken: [Taken], _ out: WatchOutputs) throws {
        let date = Date()
        let allR = taken.flatMap { $0.resultBytes }
        let allE = taken.flatMap { $0.errorBytes }
        let (rPath, rStart) = try out.results.prepare(date: date, incoming: allR.count)
        let (ePath, eStart) = try out.errors.prepare(date: date, incoming: allE.count)
        var rOff = rStart, eOff = eStart
        var rows: [WatchJournalRow] = []
        for (i, t) in taken.enumerated() {
            rows.append(WatchJournalRow(
                sha256: t.file.sha256, path: t.file.relativePath, size: t.stamp.size, mtimeNs: t.stamp.mtimeNs,
                state: .writing, seq: i, resultFile: rPath, resultOffset: rOff, resultLength: t.resultBytes.count,
                resultHash: SHA256Hasher.hex(t.resultBytes), errorFile: ePath, errorOffset: eOff,
                errorLength: t.errorBytes.count, errorHash: SHA256Hasher.hex(t.errorBytes), ids: t.ids,
                results: t.results, errors: t.errors, disposedTo: nil))
            rOff += t.resultBytes.count
            eOff += t.errorBytes.count
        }
        batchNumber += 1
        try out.journal.recordIntent(rows, pipelineVersion: options.pipelineVersion)   // transaction 1
        checkpoint("intent")
        pause()
        if killsHere("torn") { // a torn write: half of the first non-empty stream's bytes
            if allR.count > 1 { try out.results.append(Array(allR[0..<(allR.count / 2)])) }
            else { try out.errors.append(Array(allE[0..<(allE.count / 2)])) }
            checkpoint("torn")
        }
        try out.results.append(allR)
        checkpoint("results")
        try out.errors.append(allE)
        if !allR.isEmpty { try out.results.sync() }
        if !allE.isEmpty { try out.errors.sync() }
        checkpoint("written")
        pause()
        try out.journal.markCommitted(rows.map { $0.sha256 })                           // transaction 2
        checkpoint("committed")
        let done = taken.filter { $0.results > 0 }.count
        summary.done += done
        summary.failed += taken.count - done
        status.finished(done: done, failed: taken.count - done,
                        resultLines: taken.reduce(0) { $0 + $1.results }, errorLines: taken.reduce(0) { $0 + $1.errors })
    }
}

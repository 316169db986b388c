import Foundation
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// Taking a batch of settled files: hashing, duplicates, processing and rendering their
/// lines. The commit itself is in InboxWatcher+Commit.swift.
extension InboxWatcher {
    /// A file read, hashed and processed, waiting for its batch to be committed.
    struct Taken {
        var file: InboxFile
        var stamp: FileStamp
        var resultBytes: [UInt8]
        var errorBytes: [UInt8]
        var ids: [String]
        var results: Int
        var errors: Int
    }

    /// SHA-256 and size of an inbox file (the one file hasher; a symbolic link is refused).
    static func hashFile(_ path: String) -> (sha256: String, bytes: Int)? {
        SHA256Hasher.file(atPath: path, followSymlinks: false)
    }

    /// Takes the ready files: hashes each, skips what the journal already finished (moving
    /// it like its original), processes the rest, commits them together (`commit`), then moves
    /// each to its dated done/ or failed/ folder and notes where in the journal.
    func processBatch(_ ready: [(path: String, stamp: FileStamp)], _ out: WatchOutputs) throws {
        var taken: [Taken] = []
        var inBatch: Set<String> = []
        var already: [(path: String, sha: String, state: WatchJournalRow.State, own: Bool, original: String)] = []
        var inBatchDuplicates: [(path: String, sha: String)] = []
        for (path, stamp) in ready {
            if !taken.isEmpty && stop.isSet { break } // finish the document in hand, take no more
            tracker.remove(path)
            let rel = relative(path)
            if options.onDone == .keep,
               try out.journal.isFinished(path: rel, size: stamp.size, mtimeNs: stamp.mtimeNs) {
                handled[path] = stamp
                continue
            }
            guard let (sha, size) = InboxWatcher.hashFile(path) else { continue }
            guard FileStamp.of(path) == stamp else {
                tracker.note(path, now: InboxWatcher.monotonic(), closed: false) // changed while read: wait again
                continue
            }
            if let row = try out.journal.row(sha256: sha), row.state != .writing {
                already.append((path, sha, row.state, row.path == rel, row.path))
                if row.path != rel { summary.duplicates += 1; status.update { $0.duplicates += 1 } }
                continue
            }
            if inBatch.contains(sha) {
                // Its state is its original's, known once the batch is processed.
                inBatchDuplicates.append((path, sha))
                summary.duplicates += 1; status.update { $0.duplicates += 1 }
                continue
            }
            inBatch.insert(sha)
            let file = InboxFile(path: path, relativePath: rel, sha256: sha, bytes: size)
            let lines = try render(file, inflight: out.inflight)
            guard FileStamp.of(path) == stamp else { // changed while processed: its lines may not match its hash
                inBatch.remove(sha)
                tracker.note(path, now: InboxWatcher.monotonic(), closed: false)
                continue
            }
            let t = Taken(file: file, stamp: stamp, resultBytes: lines.results, errorBytes: lines.errors, ids: lines.ids,
                          results: lines.resultCount, errors: lines.errorCount)
            if let e = lines.lastError { status.error(e) }
            taken.append(t)
        }
        if !taken.isEmpty { try commit(taken, out) }
        for d in inBatchDuplicates {
            guard let orig = taken.first(where: { $0.file.sha256 == d.sha }) else {
                tracker.note(d.path, now: InboxWatcher.monotonic(), closed: false) // its original changed: look again
                continue
            }
            already.append((d.path, d.sha, orig.results == 0 ? .failed : .done, false, orig.file.relativePath))
        }
        var moves: [(sha256: String, to: String)] = []
        for t in taken {
            if let to = dispose(t.file.path, failed: t.results == 0, stamp: t.stamp) { moves.append((t.file.sha256, to)) }
        }
        for a in already {
            // A duplicate is named in the duplicates stream (at least once: a crash between
            // the line and the move repeats the line; path and sha256 identify it).
            if !a.own { recordDuplicate(path: a.path, sha: a.sha, original: a.original, state: a.state, to: out.duplicates) }
            if let to = dispose(a.path, failed: a.state == .failed, stamp: FileStamp.of(a.path)), a.own {
                moves.append((a.sha, to))
            }
        }
        do { try out.journal.recordDisposal(moves) } catch { log("journal: \(error)"); status.error("\(error)") }
    }

    /// Appends a `wenshu.duplicate/1` line naming a file whose content was processed before
    /// (under `original`), to `duplicates-YYYY-MM-DD.jsonl` beside the results.
    func recordDuplicate(path: String, sha: String, original: String, state: WatchJournalRow.State,
                         to duplicates: DailyJSONLFile) {
        struct Line: Encodable {
            var schema = "wenshu.duplicate/1"
            var path: String
            var sha256: String
            var original: String
            var originalState: String
            var at: String
            enum CodingKeys: String, CodingKey { case schema, path, sha256, original, originalState = "original_state", at }
        }
        let line = Line(path: relative(path), sha256: sha, original: original,
                        originalState: state == .failed ? "failed" : "done", at: WatchStatus.iso(Date()))
        do {
            let bytes = [UInt8](try JSONEncoder.wenshuLine().encode(line)) + [0x0A]
            _ = try duplicates.prepare(date: Date(), incoming: bytes.count)
            try duplicates.append(bytes)
        } catch {
            log("duplicates: \(error)"); status.error("cannot record a duplicate: \(error)")
        }
        log("\(relative(path)): same content as \(original), not processed again")
    }

    /// A file's output: the bytes of its result lines and of its error lines.
    struct RenderedLines {
        var results: [UInt8] = []
        var errors: [UInt8] = []
        var ids: [String] = []
        var resultCount = 0
        var errorCount = 0
        var lastError: String?
    }

    /// Processes a file and encodes its lines (also used by recovery to regenerate them:
    /// the same file gives the same bytes).
    func render(_ file: InboxFile, inflight: InFlightMarkers?) throws -> RenderedLines {
        let encoder = JSONEncoder.wenshuLine()
        let outcome: FileOutcome
        let crashes = crashCounts[file.sha256] ?? 0
        if crashes > options.crashRetries {
            // It killed the watcher too often: one error line instead of another try.
            let src = ErrorRecord.ErrorSource(path: file.relativePath, sha256: file.sha256, bytes: file.bytes)
            outcome = FileOutcome(errors: [ErrorRecord(id: file.relativePath, source: src, error: WenshuError(
                .document.crashed, "processing this file killed the watcher \(crashes) time(s) (a stage ran out of memory or crashed); not tried again",
                stage: .model, path: file.relativePath))])
        } else {
            let marker = inflight?.mark([file.sha256])
            if let crashMarker, let bytes = try? file.readBytes(),
               String(decoding: bytes, as: UTF8.self).contains(crashMarker) {
                kill(getpid(), SIGKILL)
            }
            outcome = processor.process(file)
            inflight?.clear(marker)
        }
        var out = RenderedLines(resultCount: outcome.results.count, errorCount: outcome.errors.count)
        do {
            for r in outcome.results {
                out.results += [UInt8](try encoder.encode(r)) + [0x0A]
                out.ids.append(r.id)
            }
            for var e in outcome.errors {
                if e.source.sha256 == nil { e.source.sha256 = file.sha256 }
                out.errors += [UInt8](try encoder.encode(e)) + [0x0A]
                out.ids.append(e.id ?? file.relativePath)
                out.lastError = "\(file.relativePath): [\(e.code)] \(e.message)"
            }
            if outcome.results.isEmpty && outcome.errors.isEmpty {
                // A processor that says nothing still leaves a trace: one error line.
                let e = ErrorRecord(id: file.relativePath,
                                    source: .init(path: file.relativePath, sha256: file.sha256, bytes: file.bytes),
                                    error: WenshuError(.ingest.noDocuments, "the file held no document",
                                                       stage: .ingest, path: file.relativePath))
                out.errors = [UInt8](try encoder.encode(e)) + [0x0A]
                out.errorCount = 1
                out.ids = [file.relativePath]
            }
        } catch {
            throw WenshuError(.output.encode, "cannot encode a record", stage: .output, path: file.relativePath).caused(by: error)
        }
        return out
    }
}

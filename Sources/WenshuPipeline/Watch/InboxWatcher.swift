import Foundation
import Dispatch
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

/// What a watch run did.
public struct WatchSummary: Sendable, Equatable {
    public var done = 0
    public var failed = 0
    public var duplicates = 0
    /// Files whose lines a crash had written but not committed, found intact and kept.
    public var recoveredAdopted = 0
    /// Files whose partial output a crash left, cut away and processed again.
    public var recoveredRolledBack = 0
    /// The signal that stopped the run (0: stopped by `--once` or by code).
    public var stoppedBySignal: Int32 = 0
}

/// The watched inbox: takes each complete file exactly once, processes it, appends
/// its result and error lines to the daily JSONL files, and moves it to `done/` or
/// `failed/` (or leaves it, recorded in the journal).
///
/// ## The loop
/// inotify (`InotifyWatcher`) reports closes after writing, moves in and new folders;
/// a scan at start and every `rescan_seconds` (and right after `IN_Q_OVERFLOW`)
/// finds what events missed. Every candidate waits in `SettleTracker` until its
/// size and mtime are unchanged for `settle_ms`, and is then taken only if no process
/// holds it open for writing (`OpenWriterProbe`: a read lease, or `/proc` where leases
/// are not allowed); a held file waits again, is listed in the status past
/// `open_limit_seconds`, and is ready at once when its writer's close-after-write arrives.
/// Ready files are taken in batches of up to `batch`, one thread, in the order they settled.
/// FIFOs, sockets, devices and links are reported, never opened; byte names that are not
/// UTF-8 are handled by their bytes (`RawPath`). A file whose content was taken before is
/// moved like its original and named in `duplicates-YYYY-MM-DD.jsonl`. A file that kills
/// the process is retried after restarts up to `crashRetries` times, then errored as `crashed`.
///
/// ## Exactly once, and the crash windows
/// The unit is the file's content (SHA-256). A batch is committed like this:
///
/// 1. read the file, hash it; a hash the journal already holds as `done`/`failed` is
///    not processed again (a duplicate, or window W4 below);
/// 2. process; encode all of the batch's result lines and error lines;
/// 3. **transaction 1**: journal rows in state `writing`, each with the exact file,
///    offset, length and SHA-256 of the bytes its lines will occupy in the results
///    and in the errors stream;
/// 4. append the batch's result bytes in one `write`, then the error bytes; fsync both;
/// 5. **transaction 2**: the rows become `done` (some result) or `failed` (errors only);
/// 6. move the files to `done/YYYY-MM-DD/` or `failed/YYYY-MM-DD/` (journal notes where).
///
/// A `kill -9` can land anywhere:
/// - **W1**, before transaction 1 commits: nothing durable happened; the files are
///   still in the inbox and are taken again after the restart.
/// - **W2**, after transaction 1, before the bytes are complete (nothing written, or
///   only the results written, or a write cut short): at start, `recover()` walks the
///   `writing` rows in batch order. The files are still in the inbox; each is processed
///   again and, when its regenerated lines carry the recorded SHA-256 and begin with the
///   bytes already in the stream, only the missing rest is appended. So no line a reader
///   has seen is taken back, and none is written twice. If that is impossible (the file
///   changed or vanished, the processor is not deterministic), both streams are cut back to
///   that row's offsets and the rows from there on are deleted, so their files are taken
///   again from scratch (lines of those files that a reader saw may then show up again).
/// - **W3**, after the bytes are written (the page cache survives `kill -9`; power loss
///   is covered by the fsync before step 5) but before transaction 2: the rows verify
///   (same length, same SHA-256, which pins the ids), so they are marked committed
///   without writing anything again: a result line already seen by a reader stays, once.
/// - **W4**, after transaction 2, before the move: the file is found again in the inbox,
///   its hash is `done`, so it is only moved.
/// - **W5**, during the move: `rename` is atomic within one file system.
///
/// Power loss as well as `kill -9`: transaction 1 is committed with `synchronous = FULL`
/// before any output byte is written, the output is fsynced before transaction 2, and
/// transactions 2 and 3 may be lost (WAL keeps their order): a lost 2 is W3, a lost 3 is W4.
/// The recovery log names every file kept, completed or rolled back. A torn last line left outside any
/// `writing` row (not produced by this code, but possible if a file was edited) is cut
/// back to the last newline when the stream is opened.
///
/// Only one watcher may own a state folder or an inbox: an `flock` on `watch.lock` and one
/// on the inbox folder itself (both released by the kernel when the process dies) refuse a
/// second one.
///
/// ## Stopping
/// SIGTERM and SIGINT set a flag (`StopSignals`); the loop finishes and commits the
/// document in hand (the batch stops growing), writes the status, and `run` returns.
public final class InboxWatcher {
    public let options: WatchOptions
    public let status: WatchStatus
    public let stop: StopSignals
    let processor: InboxFileProcessor
    let log: (String) -> Void
    let filter: InboxNameFilter
    private var batchNumber = 0

    private var journal: WatchJournal!
    private var results: DailyJSONLFile!
    private var errors: DailyJSONLFile!
    private var duplicates: DailyJSONLFile!
    private var inflight: InFlightMarkers!
    private var crashCounts: [String: Int] = [:]
    /// Fail point `document.crash_marker` (debug builds only): a file whose bytes hold it
    /// kills the process while it is processed, as a stage running out of memory would.
    private var crashMarker: String?
    private var tracker: SettleTracker
    private var watcher: InotifyWatcher?
    private var handled: [String: FileStamp] = [:]
    private var summary = WatchSummary()
    private let excluded: Set<String>

    /// `options` are resolved (absolute paths) with `WatchOptions.resolved(against:)` when needed.
    public init(options: WatchOptions, processor: InboxFileProcessor, stop: StopSignals = StopSignals(),
                log: @escaping (String) -> Void = { _ in }) {
        let o = options.inbox.hasPrefix("/") && options.doneDir != nil ? options
            : options.resolved(against: FileManager.default.currentDirectoryPath)
        self.options = o
        self.processor = processor
        self.stop = stop
        self.log = log
        self.status = WatchStatus(inbox: o.inbox)
        self.filter = InboxNameFilter(extraSuffixes: o.ignoreSuffixes)
        self.tracker = SettleTracker(settleMs: o.settleMs)
        self.excluded = Set([o.doneDir, o.failedDir, o.outputDir, o.errorsDir, o.stateDir].compactMap { $0 })
    }

    var stateDir: String { options.stateDir ?? options.outputDir }
    /// The status file, rewritten atomically every `status_every_ms`.
    public var statusPath: String { stateDir + "/status.json" }
    public var journalPath: String { stateDir + "/watch-journal.sqlite" }

    static func monotonic() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Runs until a stop signal (or, with `once`, until the inbox holds nothing left to take).
    public func run(once: Bool = false) throws -> WatchSummary {
        if let clash = excluded.first(where: { options.inbox == $0 || options.inbox.hasPrefix($0 + "/") }) {
            throw WenshuError(.config.invalid, "the inbox lies inside an output, state, done or failed folder (\(clash))",
                              stage: .config, path: options.inbox, location: SourceLocation(within: "watch.inbox"))
        }
        for d in [options.inbox, options.outputDir, options.errorsDir ?? options.outputDir, stateDir,
                  options.doneDir!, options.failedDir!] {
            do { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) } catch {
                throw WenshuError(.watch.mkdir, "cannot create folder", stage: .output, path: d, cause: "\(error)")
            }
        }
        let lockFD = try acquireLock()
        defer { close(lockFD) }
        let inboxLockFD = try lockInbox()
        defer { close(inboxLockFD) }
        OpenWriterProbe.prepare()
        signal(SIGXFSZ, SIG_IGN) // past `ulimit -f`, a write error is reported rather than a silent death
        journal = try WatchJournal(path: journalPath)
        results = DailyJSONLFile(folder: options.outputDir, prefix: options.resultsPrefix, rotateBytes: options.rotateBytes,
                                 keepRotated: options.keepRotated)
        errors = DailyJSONLFile(folder: options.errorsDir ?? options.outputDir, prefix: options.errorsPrefix,
                                rotateBytes: options.rotateBytes, keepRotated: options.keepRotated)
        duplicates = DailyJSONLFile(folder: options.outputDir, prefix: "duplicates", rotateBytes: options.rotateBytes,
                                    keepRotated: options.keepRotated)
        inflight = try InFlightMarkers(journalPath: journalPath)
        let died = inflight.collect()
        if !died.isEmpty {
            try journal.recordCrashes(died)
            log("the last run died while processing \(died.count) file(s); each is retried at most \(options.crashRetries) time(s), then written to the errors as `crashed`")
        }
        crashCounts = try journal.crashCounts()
        crashMarker = FailPoints.value("document.crash_marker")
        try recover()
        if !once { watcher = try InotifyWatcher(root: options.inbox, excluded: excluded) }
        let server = options.httpPort > 0 ? try StatusHTTPServer(port: UInt16(options.httpPort), status: status) : nil
        server?.start()
        defer { server?.stop() }
        status.update { $0.state = "running" }
        scan(options.inbox)
        var nextRescan = InboxWatcher.monotonic() + options.rescanSeconds
        var nextStatus = 0.0
        let statusEvery = Double(options.statusEveryMs) / 1000
        while true {
            if stop.isSet { break }
            var now = InboxWatcher.monotonic()
            let ready = withoutWriters(tracker.ready(now: now, limit: options.batch), now: now)
            if !ready.isEmpty {
                try processBatch(ready)
                // Keep the kernel queue drained while files keep coming (no wait).
                if let w = watcher { handle(try w.next(timeoutMs: 0)) }
            } else {
                // --once ends when nothing is left but files held open past the open limit.
                if once && tracker.count == tracker.heldLongerThan(options.openLimitSeconds, now: now).count { break }
                var wait = 0.2
                if let d = tracker.nextDeadline(now: now) { wait = min(wait, d) }
                wait = max(0, min(wait, nextStatus - now, nextRescan - now))
                if let w = watcher {
                    handle(try w.next(timeoutMs: Int32((wait * 1000).rounded(.up))))
                } else if wait > 0 {
                    usleep(UInt32(wait * 1e6))
                }
            }
            now = InboxWatcher.monotonic()
            if now >= nextRescan {
                scan(options.inbox)
                status.update { $0.rescans += 1 }
                nextRescan = now + options.rescanSeconds
            }
            if now >= nextStatus {
                writeStatus()
                nextStatus = now + statusEvery
            }
        }
        summary.stoppedBySignal = stop.signalNumber
        status.update { $0.state = "stopped" }
        writeStatus()
        return summary
    }

    /// The settled files no process holds open for writing (`OpenWriterProbe`); the others
    /// wait another settle time, and those held past `open_limit_seconds` are listed in the status.
    private func withoutWriters(_ ready: [(path: String, stamp: FileStamp)], now: Double) -> [(path: String, stamp: FileStamp)] {
        guard !ready.isEmpty else { return ready }
        var out: [(path: String, stamp: FileStamp)] = []
        var newlyHeld = 0
        for r in ready {
            switch OpenWriterProbe.check(r.path) {
            case .noWriter: out.append(r)
            case .vanished: tracker.remove(r.path)
            case .writerOpen:
                if tracker.entries[r.path]?.heldSince == nil {
                    newlyHeld += 1
                    log("\(relative(r.path)): still open for writing; waiting for the writer to close it")
                }
                tracker.hold(r.path, now: now)
            }
        }
        if newlyHeld > 0 { status.update { $0.heldOpenSeen += newlyHeld } }
        return out
    }

    private func writeStatus() {
        let held = tracker.heldLongerThan(options.openLimitSeconds, now: InboxWatcher.monotonic())
            .map { WatchStatus.HeldOpen(path: relative($0.path), seconds: ($0.seconds * 10).rounded() / 10) }
        status.update { $0.pending = tracker.count; $0.heldOpen = held }
        do { try status.write(to: statusPath) } catch { log("status: \(error)") }
    }

    private func acquireLock() throws -> Int32 {
        let path = stateDir + "/watch.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 {
            throw WenshuError(.watch.lock, "cannot open the lock file: \(String(cString: strerror(errno)))",
                              stage: .output, path: path)
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw WenshuError(.watch.locked, "another watcher already uses this state folder", stage: .output, path: path)
        }
        return fd
    }

    /// An `flock` on the inbox folder itself, so two watchers with different state folders
    /// never share one inbox (released by the kernel when the process dies).
    private func lockInbox() throws -> Int32 {
        let fd = open(options.inbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 {
            throw WenshuError(.watch.lock, "cannot open the inbox: \(String(cString: strerror(errno)))", stage: .output,
                              path: options.inbox)
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw WenshuError(.watch.locked, "another watcher already watches this inbox (with another state folder)",
                              stage: .output, path: options.inbox)
        }
        return fd
    }

    // MARK: - Events and scans

    private func handle(_ events: [InboxEvent]) {
        let now = InboxWatcher.monotonic()
        for e in events {
            switch e {
            case .closedAfterWrite(let p), .movedIn(let p):
                consider(p, now: now, closed: true)
            case .folderAppeared(let p):
                scan(p)
            case .overflow:
                log("inotify queue overflow: rescanning")
                status.update { $0.overflows += 1 }
                scan(options.inbox)
            }
        }
    }

    private func relative(_ path: String) -> String {
        path.hasPrefix(options.inbox + "/") ? String(path.dropFirst(options.inbox.count + 1)) : path
    }

    private func consider(_ path: String, now: Double, closed: Bool) {
        let rel = relative(path)
        if filter.ignores(relativePath: rel) { return }
        if excluded.contains(where: { path.hasPrefix($0 + "/") }) { return }
        if options.onDone == .keep, let h = handled[path], h == FileStamp.of(path) { return }
        if tracker.note(path, now: now, closed: closed) { status.update { $0.seen += 1 } }
    }

    /// Notes every file below `root` (and watches new folders).
    private func scan(_ root: String) {
        if let w = watcher { _ = try? w.addTree(root) }
        let now = InboxWatcher.monotonic()
        var stack = [root]
        while let dir = stack.popLast() {
            if excluded.contains(dir) { continue }
            guard let names = RawPath.list(dir) else { continue }
            for n in names where !filter.ignores(name: n) {
                let p = dir + "/" + n
                guard let st = RawPath.lstatOf(p) else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: stack.append(p)
                case S_IFREG: consider(p, now: now, closed: false)
                default: noteSpecial(p, st.st_mode)
                }
            }
        }
    }

    /// FIFOs, sockets, devices and links in the inbox are never opened: each is logged and
    /// reported in the status once, and left where it is.
    private var reportedSpecial: Set<String> = []
    private func noteSpecial(_ path: String, _ mode: mode_t) {
        guard reportedSpecial.insert(path).inserted else { return }
        let msg = "\(relative(path)): \(RawPath.kind(mode)), not a regular file: not taken"
        log(msg); status.error(msg)
    }

    // MARK: - Processing

    private struct Taken {
        var file: InboxFile
        var stamp: FileStamp
        var resultBytes: [UInt8]
        var errorBytes: [UInt8]
        var ids: [String]
        var results: Int
        var errors: Int
    }

    /// Hashes a file in 64 KB chunks (memory stays flat whatever its size): SHA-256 and size.
    static func hashFile(_ path: String) -> (sha256: String, bytes: Int)? {
        let fd = RawPath.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW)
        if fd < 0 { return nil }
        defer { close(fd) }
        var hasher = SHA256Hasher()
        var total = 0
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { return (hasher.finalize(), total) }
            hasher.update(buf[0..<n])
            total += n
        }
    }

    private func processBatch(_ ready: [(path: String, stamp: FileStamp)]) throws {
        var taken: [Taken] = []
        var inBatch: Set<String> = []
        var already: [(path: String, sha: String, state: WatchJournalRow.State, own: Bool, original: String)] = []
        var inBatchDuplicates: [(path: String, sha: String)] = []
        for (path, stamp) in ready {
            if !taken.isEmpty && stop.isSet { break } // finish the document in hand, take no more
            tracker.remove(path)
            let rel = relative(path)
            if options.onDone == .keep,
               try journal.isFinished(path: rel, size: stamp.size, mtimeNs: stamp.mtimeNs) {
                handled[path] = stamp
                continue
            }
            guard let (sha, size) = InboxWatcher.hashFile(path) else { continue }
            guard FileStamp.of(path) == stamp else {
                tracker.note(path, now: InboxWatcher.monotonic(), closed: false) // changed while read: wait again
                continue
            }
            if let row = try journal.row(sha256: sha), row.state != .writing {
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
            let lines = try render(file)
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
        if !taken.isEmpty { try commit(taken) }
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
            if !a.own { recordDuplicate(path: a.path, sha: a.sha, original: a.original, state: a.state) }
            if let to = dispose(a.path, failed: a.state == .failed, stamp: FileStamp.of(a.path)), a.own {
                moves.append((a.sha, to))
            }
        }
        do { try journal.recordDisposal(moves) } catch { log("journal: \(error)"); status.error("\(error)") }
    }

    /// Appends a `wenshu.duplicate/1` line naming a file whose content was processed before
    /// (under `original`), to `duplicates-YYYY-MM-DD.jsonl` beside the results.
    private func recordDuplicate(path: String, sha: String, original: String, state: WatchJournalRow.State) {
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
    func render(_ file: InboxFile) throws -> RenderedLines {
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
            throw WenshuError(.output.encode, "cannot encode a record", stage: .output, path: file.relativePath,
                              cause: "\(error)")
        }
        return out
    }

    /// Fail point `watch.pause_ms` (after transaction 1 and after the append; widens crash
    /// windows W2 and W3; in-process tests may hold the loop there with a callback).
    private func pause() { FailPoints.pause("watch.pause_ms") }

    /// Fail point `watch.kill_at=POINT:N`: SIGKILL at POINT of the N-th batch.
    private func killsHere(_ point: String) -> Bool {
        guard let k = FailPoints.value("watch.kill_at") else { return false }
        let parts = k.split(separator: ":")
        return parts.first.map(String.init) == point && (parts.count < 2 ? 1 : Int(parts[1]) ?? 1) == batchNumber
    }

    private func checkpoint(_ point: String) {
        if killsHere(point) { kill(getpid(), SIGKILL) }
    }

    private func commit(_ taken: [Taken]) throws {
        let date = Date()
        let allR = taken.flatMap { $0.resultBytes }
        let allE = taken.flatMap { $0.errorBytes }
        let (rPath, rStart) = try results.prepare(date: date, incoming: allR.count)
        let (ePath, eStart) = try errors.prepare(date: date, incoming: allE.count)
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
        try journal.recordIntent(rows, pipelineVersion: options.pipelineVersion)   // transaction 1
        checkpoint("intent")
        pause()
        if killsHere("torn") { // a torn write: half of the first non-empty stream's bytes
            if allR.count > 1 { try results.append(Array(allR[0..<(allR.count / 2)])) }
            else { try errors.append(Array(allE[0..<(allE.count / 2)])) }
            checkpoint("torn")
        }
        try results.append(allR)
        checkpoint("results")
        try errors.append(allE)
        if !allR.isEmpty { try results.sync() }
        if !allE.isEmpty { try errors.sync() }
        checkpoint("written")
        pause()
        try journal.markCommitted(rows.map { $0.sha256 })                           // transaction 2
        checkpoint("committed")
        let done = taken.filter { $0.results > 0 }.count
        summary.done += done
        summary.failed += taken.count - done
        status.finished(done: done, failed: taken.count - done,
                        resultLines: taken.reduce(0) { $0 + $1.results }, errorLines: taken.reduce(0) { $0 + $1.errors })
    }

    /// Moves a finished file to its dated folder (move mode) and returns where it went;
    /// in keep mode remembers it so scans skip it.
    private func dispose(_ path: String, failed: Bool, stamp: FileStamp?) -> String? {
        if options.onDone == .keep {
            if let stamp { handled[path] = stamp }
            return nil
        }
        guard FileStamp.of(path) != nil else { return nil }
        let base = (failed ? options.failedDir! : options.doneDir!) + "/" + DailyJSONLFile.localDay(Date())
        let rel = relative(path)
        var dest = base + "/" + rel
        let dir = (dest as NSString).deletingLastPathComponent
        guard RawPath.makeFolders(dir) else {
            status.error("cannot create \(dir): \(String(cString: strerror(errno)))"); return nil
        }
        var n = 1
        while RawPath.lstatOf(dest) != nil {
            let ext = (rel as NSString).pathExtension
            let stem = ((base + "/" + rel) as NSString).deletingPathExtension
            dest = stem + ".\(n)" + (ext.isEmpty ? "" : "." + ext)
            n += 1
        }
        if RawPath.rename(path, dest) != 0 {
            let msg = "cannot move \(rel) to \(dest): \(String(cString: strerror(errno)))"
            log(msg); status.error(msg)
            return nil
        }
        return dest
    }

    // MARK: - Recovery

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
    func recover() throws {
        let rows = try journal.writingRows()
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
            guard let lines = try? render(file), lines.results.count == r.resultLength,
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
            try journal.forget(redo.map { $0.sha256 })
            log("recovery: rolled back \(redo.count) file(s) whose output could not be completed: \(redo.map { $0.path })")
        }
        if !kept.isEmpty {
            log("recovery: kept \(kept.count) file(s) whose output was complete: \(kept.map { $0.path })")
        }
        if !completed.isEmpty {
            log("recovery: completed \(completed.count) file(s) whose output was cut short: \(completed.map { $0.path })")
        }
        try journal.markCommitted((kept + completed).map { $0.sha256 })
        summary.recoveredAdopted = kept.count + completed.count
        summary.recoveredRolledBack = redo.count
        status.update { $0.recoveredAdopted = kept.count + completed.count; $0.recoveredRolledBack = redo.count }
    }
}

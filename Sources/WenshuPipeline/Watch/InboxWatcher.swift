import Foundation
import Dispatch
import WenshuCore
#if canImport(Glibc)
import Glibc
#endif

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
/// ## The files
/// This file holds the loop, the scans and the locks. How a batch is committed exactly once, and what a `kill -9` in each crash window
/// leaves, is told in InboxWatcher+Commit.swift; recovery at start in InboxWatcher+Recovery.swift;
/// the dated done/ and failed/ folders in InboxWatcher+Disposal.swift.
///
/// Only one watcher may own a state folder or an inbox: an `flock` on `watch.lock` and one
/// on the inbox folder itself (both released by the kernel when the process dies) refuse a
/// second one.
///
/// ## Stopping
/// SIGTERM and SIGINT set a flag (`StopSignals`); the loop finishes and commits the
/// document in hand (the batch stops growing), writes the status, and `run` returns.
public final class InboxWatcher {
    /// The resolved configuration the watcher runs with.
    public let options: WatchConfiguration
    /// Counters and state served by the status file and the HTTP endpoint.
    public let status: WatchStatus
    /// Set by SIGTERM/SIGINT (after `stop.install()`) or by `stop.request()`.
    public let stop: StopSignals
    let processor: InboxFileProcessor
    let log: (String) -> Void
    let filter: InboxNameFilter
    var batchNumber = 0

    var crashCounts: [String: Int] = [:]
    /// Fail point `document.crash_marker` (debug builds only): a file whose bytes hold it
    /// kills the process while it is processed, as a stage running out of memory would.
    var crashMarker: String?
    var tracker: SettleTracker
    private var watcher: InotifyWatcher?
    var handled: [String: FileStamp] = [:]
    var summary = WatchSummary()
    let excluded: Set<String>

    /// A watcher over `options` (folders absolute: `WatchOptions.resolved(against:)`).
    public init(options: WatchConfiguration, processor: InboxFileProcessor, stop: StopSignals = StopSignals(),
                log: @escaping (String) -> Void = { _ in }) {
        self.options = options
        self.processor = processor
        self.stop = stop
        self.log = log
        self.status = WatchStatus(inbox: options.inbox)
        self.filter = InboxNameFilter(extraSuffixes: options.ignoreSuffixes)
        self.tracker = SettleTracker(settleMs: options.settleMs)
        self.excluded = options.excludedFolders
    }

    var stateDir: String { options.stateDir }
    /// The status file, rewritten atomically every `status_every_ms`.
    public var statusPath: String { stateDir + "/status.json" }
    /// The watch journal (`WatchJournal`).
    public var journalPath: String { stateDir + "/watch-journal.sqlite" }

    static func monotonic() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Runs until a stop signal (or, with `once`, until the inbox holds nothing left to take).
    public func run(once: Bool = false) throws -> WatchSummary {
        if let clash = excluded.first(where: { options.inbox == $0 || options.inbox.hasPrefix($0 + "/") }) {
            throw WenshuError(.config.invalid, "the inbox lies inside an output, state, done or failed folder (\(clash))",
                              stage: .config, path: options.inbox, location: SourceLocation(within: "watch.inbox"))
        }
        for d in [options.inbox, options.outputDir, options.errorsDir, stateDir, options.doneDir, options.failedDir] {
            do { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) } catch {
                throw WenshuError(.watch.mkdir, "cannot create folder", stage: .output, path: d).caused(by: error)
            }
        }
        let stateLock = try lock(stateDir + "/watch.lock", folder: false,
                                 held: "another watcher already uses this state folder", cannot: "cannot open the lock file")
        defer { stateLock.unlock() }
        // The inbox folder itself, so two watchers with different state folders never share one inbox.
        let inboxLock = try lock(options.inbox, folder: true,
                                 held: "another watcher already watches this inbox (with another state folder)",
                                 cannot: "cannot open the inbox")
        defer { inboxLock.unlock() }
        OpenWriterProbe.prepare()
        signal(SIGXFSZ, SIG_IGN) // past `ulimit -f`, a write error is reported rather than a silent death
        let out = try WatchOutputs(options, journalPath: journalPath)
        let died = out.inflight.collect()
        if !died.isEmpty {
            try out.journal.recordCrashes(died)
            log("the last run died while processing \(died.count) file(s); each is retried at most \(options.crashRetries) time(s), then written to the errors as `crashed`")
        }
        crashCounts = try out.journal.crashCounts()
        crashMarker = FailPoints.value("document.crash_marker")
        try recover(out)
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
                try processBatch(ready, out)
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

    /// An exclusive `flock` (`FileLock`) on the state folder's `watch.lock` or on the inbox
    /// folder; released by the kernel when the process dies.
    private func lock(_ path: String, folder: Bool, held: String, cannot: String) throws -> FileLock {
        do {
            return try FileLock(path: path, folder: folder)
        } catch let e as ErrnoError where e.wouldBlock {
            throw WenshuError(.watch.locked, held, stage: .output, path: path)
        } catch let e as ErrnoError {
            throw WenshuError(.watch.lock, cannot, stage: .output, errno: e)
        }
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

    func relative(_ path: String) -> String {
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
}

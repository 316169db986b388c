import Foundation
import WenshuCore

/// Counts and rates of a running watch, written as `status.json` and served as
/// Prometheus text. Thread-safe: the HTTP server reads it from another thread.
public final class WatchStatus: @unchecked Sendable {
    /// A snapshot, as written to the status file.
    public struct Snapshot: Codable, Sendable {
        public var inbox: String
        public var pid: Int32
        public var state: String
        /// Distinct files noticed since start.
        public var seen: Int
        /// Files whose results were committed (since start).
        public var done: Int
        /// Files that gave only errors (since start).
        public var failed: Int
        /// Files whose content was already processed (skipped, moved away).
        public var duplicates: Int
        /// Files noticed and waiting (settling or queued).
        public var pending: Int
        public var resultLines: Int
        public var errorLines: Int
        /// Files finished per second over the last minute, and since start.
        public var ratePerSecond1m: Double
        public var ratePerSecondTotal: Double
        public var lastError: String?
        public var lastErrorAt: String?
        public var rescans: Int
        public var overflows: Int
        public var recoveredAdopted: Int
        public var recoveredRolledBack: Int
        public var startedAt: String
        public var updatedAt: String
        /// Files a process has held open for writing longer than `open_limit_seconds`: not taken.
        public var heldOpen: [HeldOpen] = []
        /// Files found open for writing (and so not taken) since start, counted once per file.
        public var heldOpenSeen: Int = 0

        enum CodingKeys: String, CodingKey {
            case inbox, pid, state, seen, done, failed, duplicates, pending
            case resultLines = "result_lines", errorLines = "error_lines"
            case ratePerSecond1m = "rate_per_second_1m", ratePerSecondTotal = "rate_per_second_total"
            case lastError = "last_error", lastErrorAt = "last_error_at", rescans, overflows
            case recoveredAdopted = "recovered_adopted", recoveredRolledBack = "recovered_rolled_back"
            case startedAt = "started_at", updatedAt = "updated_at"
            case heldOpen = "held_open", heldOpenSeen = "held_open_seen"
        }
    }

    /// A file held open for writing too long, as listed in the status.
    public struct HeldOpen: Codable, Sendable, Equatable {
        public var path: String
        public var seconds: Double
        public init(path: String, seconds: Double) { self.path = path; self.seconds = seconds }
    }

    private let lock = NSLock()
    private var s: Snapshot
    private var finishTimes: [Double] = []
    private let started = Date()

    public init(inbox: String) {
        let now = WatchStatus.iso(Date())
        s = Snapshot(inbox: inbox, pid: getpid(), state: "starting", seen: 0, done: 0, failed: 0, duplicates: 0,
                     pending: 0, resultLines: 0, errorLines: 0, ratePerSecond1m: 0, ratePerSecondTotal: 0,
                     lastError: nil, lastErrorAt: nil, rescans: 0, overflows: 0, recoveredAdopted: 0,
                     recoveredRolledBack: 0, startedAt: now, updatedAt: now)
    }

    static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }

    /// Changes the snapshot under the lock.
    public func update(_ body: (inout Snapshot) -> Void) {
        lock.lock(); body(&s); lock.unlock()
    }

    /// Counts finished files for the rates.
    public func finished(done: Int, failed: Int, resultLines: Int, errorLines: Int) {
        let t = Date().timeIntervalSince1970
        lock.lock()
        s.done += done; s.failed += failed; s.resultLines += resultLines; s.errorLines += errorLines
        for _ in 0..<(done + failed) { finishTimes.append(t) }
        lock.unlock()
    }

    /// Records an error message for the status.
    public func error(_ message: String) {
        update { $0.lastError = message; $0.lastErrorAt = WatchStatus.iso(Date()) }
    }

    /// The current snapshot with fresh rates.
    public func snapshot() -> Snapshot {
        let now = Date()
        let t = now.timeIntervalSince1970
        lock.lock()
        defer { lock.unlock() }
        if let cut = finishTimes.firstIndex(where: { $0 >= t - 60 }) { finishTimes.removeFirst(cut) } else { finishTimes.removeAll() }
        let window = min(60, max(1e-3, now.timeIntervalSince(started)))
        s.ratePerSecond1m = Double(finishTimes.count) / window
        s.ratePerSecondTotal = Double(s.done + s.failed) / max(1e-3, now.timeIntervalSince(started))
        s.updatedAt = WatchStatus.iso(now)
        return s
    }

    /// JSON of a snapshot, one object, sorted keys.
    public func json() -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return [UInt8]((try? e.encode(snapshot())) ?? Data("{}".utf8)) + [0x0A]
    }

    /// Prometheus text exposition (version 0.0.4).
    public func prometheus() -> String {
        let x = snapshot()
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ value: Double) {
            out += "# HELP wenshu_watch_\(name) \(help)\n# TYPE wenshu_watch_\(name) \(type)\n"
            out += "wenshu_watch_\(name) \(value)\n"
        }
        metric("files_seen_total", "counter", "Distinct files noticed in the inbox since start.", Double(x.seen))
        metric("files_done_total", "counter", "Files whose results were committed.", Double(x.done))
        metric("files_failed_total", "counter", "Files that produced only errors.", Double(x.failed))
        metric("files_duplicate_total", "counter", "Files whose content was already processed.", Double(x.duplicates))
        metric("files_pending", "gauge", "Files noticed and not yet taken.", Double(x.pending))
        metric("result_lines_total", "counter", "Result lines written.", Double(x.resultLines))
        metric("error_lines_total", "counter", "Error lines written.", Double(x.errorLines))
        metric("rescans_total", "counter", "Full inbox scans.", Double(x.rescans))
        metric("queue_overflows_total", "counter", "inotify queue overflows.", Double(x.overflows))
        metric("files_held_open", "gauge", "Files held open for writing longer than open_limit_seconds (not taken).", Double(x.heldOpen.count))
        metric("files_per_second", "gauge", "Files finished per second over the last minute.", x.ratePerSecond1m)
        return out
    }

    /// Writes the status file atomically: a temporary file in the same folder, fsync, rename.
    public func write(to path: String) throws {
        let tmp = path + ".tmp"
        let w = try LineWriter(path: tmp, append: false)
        try w.writeAll(json())
        try w.sync()
        do {
            try Posix.retrying("rename", path: path) { rename(tmp, path) }
        } catch let e as ErrnoError {
            throw WenshuError(.output.rename, "cannot rename the status file", stage: .output, errno: e)
        }
    }
}

import Foundation
import WenshuCore
import Yams

/// What happens to a file once its result (or error) is committed.
public enum WatchDisposition: String, Codable, Sendable {
    /// Move to `done/YYYY-MM-DD/` (results) or `failed/YYYY-MM-DD/` (only errors).
    case move
    /// Leave the file where it is; the journal remembers it by path, size, mtime and content hash.
    case keep
}

/// Settings of the watched inbox: the `watch:` section of a pipeline file.
///
/// ```yaml
/// watch:
///   inbox: inbox/            # the folder to watch (recursively)
///   output_dir: out/watch    # results-YYYY-MM-DD.jsonl, errors-YYYY-MM-DD.jsonl, journal, status
///   settle_ms: 500           # size and mtime unchanged this long before a file is taken
///   rescan_seconds: 10       # periodic full scan that recovers missed events
///   on_done: move            # move | keep
///   rotate_bytes: 104857600  # start a new numbered part past this size (0: daily only)
///   batch: 32                # files committed together (one fsync, one transaction)
///   status_every_ms: 1000
///   http_port: 0             # loopback status/metrics endpoint; 0: off
///   open_limit_seconds: 300  # a file held open for writing this long is listed in the status
/// ```
/// Relative paths are resolved against the folder that holds the pipeline file.
public struct WatchOptions: Codable, Sendable, Equatable {
    public var inbox: String
    public var outputDir: String
    /// Where the journal, status file and lock live; defaults to `outputDir`.
    public var stateDir: String?
    public var settleMs: Int
    public var rescanSeconds: Double
    public var onDone: WatchDisposition
    /// Defaults to `<inbox>/done` and `<inbox>/failed` (never watched).
    public var doneDir: String?
    public var failedDir: String?
    public var rotateBytes: Int
    public var batch: Int
    public var statusEveryMs: Int
    /// Loopback-only HTTP status endpoint (`/status`, `/metrics`); 0 turns it off.
    public var httpPort: Int
    /// Extra name suffixes to ignore besides `.part`, `.tmp`, `~` prefixes and dotfiles.
    public var ignoreSuffixes: [String]
    /// A version string for the pipeline: a change reprocesses nothing already done,
    /// but is recorded with each journal row.
    public var pipelineVersion: String
    /// File name stems of the daily streams (`results` gives `results-YYYY-MM-DD.jsonl`).
    public var resultsPrefix = "results"
    public var errorsPrefix = "errors"
    /// Folder of the errors stream; defaults to `outputDir`.
    public var errorsDir: String?
    /// Rotated stream files kept besides the current one (older ones are deleted); nil keeps all.
    public var keepRotated: Int?
    /// A file that a process holds open for writing is never taken; once it is held longer
    /// than this many seconds it is listed in the status (`held_open`) as well. Default 300.
    public var openLimitSeconds: Double = 300
    /// A file that killed the watcher (out of memory, a crash) is processed again after a
    /// restart at most this many times; then it gets one `crashed` error line and goes to
    /// failed/. Set from the pipeline's `execution.retries` (default 2).
    public var crashRetries = 2

    public init(inbox: String, outputDir: String, stateDir: String? = nil, settleMs: Int = 500,
                rescanSeconds: Double = 10, onDone: WatchDisposition = .move, doneDir: String? = nil,
                failedDir: String? = nil, rotateBytes: Int = 100 << 20, batch: Int = 32, statusEveryMs: Int = 1000,
                httpPort: Int = 0, ignoreSuffixes: [String] = [], pipelineVersion: String = "1") {
        self.inbox = inbox; self.outputDir = outputDir; self.stateDir = stateDir; self.settleMs = settleMs
        self.rescanSeconds = rescanSeconds; self.onDone = onDone; self.doneDir = doneDir; self.failedDir = failedDir
        self.rotateBytes = rotateBytes; self.batch = batch; self.statusEveryMs = statusEveryMs
        self.httpPort = httpPort; self.ignoreSuffixes = ignoreSuffixes; self.pipelineVersion = pipelineVersion
    }

    enum CodingKeys: String, CodingKey {
        case inbox, outputDir = "output_dir", stateDir = "state_dir", settleMs = "settle_ms"
        case rescanSeconds = "rescan_seconds", onDone = "on_done", doneDir = "done_dir", failedDir = "failed_dir"
        case rotateBytes = "rotate_bytes", batch, statusEveryMs = "status_every_ms", httpPort = "http_port"
        case ignoreSuffixes = "ignore_suffixes", pipelineVersion = "pipeline_version"
        case openLimitSeconds = "open_limit_seconds"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = WatchOptions(inbox: "", outputDir: "")
        inbox = try c.decodeIfPresent(String.self, forKey: .inbox) ?? "inbox"
        outputDir = try c.decodeIfPresent(String.self, forKey: .outputDir) ?? "out/watch"
        stateDir = try c.decodeIfPresent(String.self, forKey: .stateDir)
        settleMs = try c.decodeIfPresent(Int.self, forKey: .settleMs) ?? d.settleMs
        rescanSeconds = try c.decodeIfPresent(Double.self, forKey: .rescanSeconds) ?? d.rescanSeconds
        onDone = try c.decodeIfPresent(WatchDisposition.self, forKey: .onDone) ?? d.onDone
        doneDir = try c.decodeIfPresent(String.self, forKey: .doneDir)
        failedDir = try c.decodeIfPresent(String.self, forKey: .failedDir)
        rotateBytes = try c.decodeIfPresent(Int.self, forKey: .rotateBytes) ?? d.rotateBytes
        batch = try c.decodeIfPresent(Int.self, forKey: .batch) ?? d.batch
        statusEveryMs = try c.decodeIfPresent(Int.self, forKey: .statusEveryMs) ?? d.statusEveryMs
        httpPort = try c.decodeIfPresent(Int.self, forKey: .httpPort) ?? d.httpPort
        ignoreSuffixes = try c.decodeIfPresent([String].self, forKey: .ignoreSuffixes) ?? []
        pipelineVersion = try c.decodeIfPresent(String.self, forKey: .pipelineVersion) ?? d.pipelineVersion
        openLimitSeconds = try c.decodeIfPresent(Double.self, forKey: .openLimitSeconds) ?? d.openLimitSeconds
    }

    /// Checks values that decoding cannot; the error names the key.
    public func validate(path: String? = nil) throws {
        func bad(_ key: String, _ why: String) -> WenshuError {
            WenshuError(.config.invalid, "watch.\(key): \(why)", stage: .config, path: path, location: SourceLocation(within: "watch.\(key)"))
        }
        if inbox.isEmpty { throw bad("inbox", "must name a folder") }
        if settleMs < 0 { throw bad("settle_ms", "must be 0 or more") }
        if rescanSeconds <= 0 { throw bad("rescan_seconds", "must be more than 0") }
        if batch < 1 { throw bad("batch", "must be at least 1") }
        if rotateBytes < 0 { throw bad("rotate_bytes", "must be 0 or more") }
        if statusEveryMs < 50 { throw bad("status_every_ms", "must be at least 50") }
        if httpPort < 0 || httpPort > 65535 { throw bad("http_port", "must be 0 to 65535") }
        if openLimitSeconds <= 0 { throw bad("open_limit_seconds", "must be more than 0") }
    }

    /// A copy whose relative paths are made absolute against `base`.
    public func resolved(against base: String) -> WatchOptions {
        func abs(_ p: String) -> String {
            let s = p.hasPrefix("/") ? p : base + "/" + p
            return InotifyWatcher.clean(s)
        }
        var o = self
        o.inbox = abs(inbox); o.outputDir = abs(outputDir); o.errorsDir = abs(errorsDir ?? outputDir)
        o.stateDir = abs(stateDir ?? outputDir)
        o.doneDir = doneDir.map(abs) ?? (o.inbox + "/done")
        o.failedDir = failedDir.map(abs) ?? (o.inbox + "/failed")
        return o
    }
}

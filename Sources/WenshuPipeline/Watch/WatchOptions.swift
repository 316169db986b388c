import Foundation
import WenshuCore

/// The watched inbox's settings before their folders are resolved: the pipeline file's
/// `watch:` section (`PipelineSpec.WatchSpec`, the one schema of that section) with its
/// defaults applied, plus what the command line overrides. An absent folder (`doneDir`,
/// `stateDir`...) means its default; `resolved(against:)` turns the settings into a
/// `WatchConfiguration`, where every folder is an absolute path.
///
/// ## Relative paths
/// A relative path in the pipeline file or on the command line is taken against the
/// current folder of the process, not against the pipeline file's folder, exactly as
/// in `wenshu run` (pipelines/README.md, "Paths"). `resolve(_:against:)` is that rule.
public struct WatchOptions: Sendable, Equatable {
    /// The folder watched (recursively).
    public var inbox: String
    /// Where the daily results (and duplicates) go.
    public var outputDir: String
    /// Where the journal, status file and lock live; defaults to `outputDir`.
    public var stateDir: String?
    /// A file's size and mtime must stay unchanged this long before it is taken.
    public var settleMs: Int
    /// Seconds between full rescans.
    public var rescanSeconds: Double
    /// Move finished files to done/failed, or keep them where they are.
    public var onDone: WatchDisposition
    /// Defaults to `<inbox>/done` (never watched).
    public var doneDir: String?
    /// Defaults to `<inbox>/failed` (never watched).
    public var failedDir: String?
    /// Rotation size of a daily stream in bytes (0: daily only).
    public var rotateBytes: Int
    /// Files taken and committed together.
    public var batch: Int
    /// How often the status file is rewritten.
    public var statusEveryMs: Int
    /// Loopback-only HTTP status endpoint (`/status`, `/metrics`); 0 turns it off.
    public var httpPort: Int
    /// Extra name suffixes to ignore besides `.part`, `.tmp`, `~` prefixes and dotfiles.
    public var ignoreSuffixes: [String]
    /// A version string for the pipeline: a change reprocesses nothing already done,
    /// but is recorded with each journal row.
    public var pipelineVersion: String
    /// File name stem of the results stream (`results` gives `results-YYYY-MM-DD.jsonl`).
    public var resultsPrefix = "results"
    /// File name stem of the errors stream.
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

    /// Settings with the documented defaults for everything not given.
    public init(inbox: String, outputDir: String, stateDir: String? = nil, settleMs: Int = 500,
                rescanSeconds: Double = 10, onDone: WatchDisposition = .move, doneDir: String? = nil,
                failedDir: String? = nil, rotateBytes: Int = 100 << 20, batch: Int = 32, statusEveryMs: Int = 1000,
                httpPort: Int = 0, ignoreSuffixes: [String] = [], pipelineVersion: String = "1") {
        self.inbox = inbox; self.outputDir = outputDir; self.stateDir = stateDir; self.settleMs = settleMs
        self.rescanSeconds = rescanSeconds; self.onDone = onDone; self.doneDir = doneDir; self.failedDir = failedDir
        self.rotateBytes = rotateBytes; self.batch = batch; self.statusEveryMs = statusEveryMs
        self.httpPort = httpPort; self.ignoreSuffixes = ignoreSuffixes; self.pipelineVersion = pipelineVersion
    }

    /// The settings a pipeline file gives: its `watch:` section with the defaults of
    /// pipelines/README.md, output places taken from `outputs` (results, errors and the
    /// journal's folder), the pipeline's fingerprint as `pipelineVersion` and its
    /// `execution.retries` as `crashRetries`. Paths stay as written (relative ones are
    /// resolved later by `resolved(against:)`). `path` names the file in errors.
    public init(spec: PipelineSpec, path: String) throws {
        guard let w = spec.watch else {
            throw WenshuError(.config.missing, "the pipeline has no `watch:` section", stage: .config, path: path,
                              location: SourceLocation(within: "watch"))
        }
        self.init(inbox: w.inbox, outputDir: WatchOptions.folder(of: spec.outputs.results))
        doneDir = w.done
        failedDir = w.failed
        if let ms = w.settleMs { settleMs = ms } else if let s = w.settleSeconds { settleMs = Int((s * 1000).rounded()) }
        if let b = w.rotateBytes { rotateBytes = b } else if let m = w.rotateMegabytes { rotateBytes = Int(m * 1_048_576) }
        keepRotated = w.keepRotated
        if let v = w.rescanSeconds { rescanSeconds = v }
        if let v = w.onDone { onDone = v }
        if let v = w.batch { batch = v }
        if let v = w.statusEveryMs { statusEveryMs = v }
        if let v = w.httpPort { httpPort = v }
        if let v = w.ignoreSuffixes { ignoreSuffixes = v }
        if let v = w.openLimitSeconds { openLimitSeconds = v }
        if let v = w.outputDir { outputDir = v }
        resultsPrefix = WatchOptions.stem(of: spec.outputs.results)
        errorsDir = WatchOptions.folder(of: spec.errorsPath)
        errorsPrefix = WatchOptions.stem(of: spec.errorsPath)
        stateDir = w.stateDir ?? WatchOptions.folder(of: spec.journalPath)
        pipelineVersion = spec.fingerprint
        crashRetries = spec.resolvedRetries
        try validate(path: path)
    }

    /// The folder part of a file path as written (`.` for a bare name).
    static func folder(of file: String) -> String {
        let d = (file as NSString).deletingLastPathComponent
        return d.isEmpty ? "." : d
    }

    /// A file name without folder and extension (`out/results.jsonl` gives `results`).
    static func stem(of file: String) -> String {
        ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    /// Checks values that decoding cannot (or that a command-line flag replaced); the error names the key.
    public func validate(path: String? = nil) throws {
        func bad(_ key: String, _ why: String) -> WenshuError {
            WenshuError(.config.invalid, "watch.\(key): \(why)", stage: .config, path: path, location: SourceLocation(within: "watch.\(key)"))
        }
        if inbox.isEmpty { throw bad("inbox", "must name a folder") }
        if outputDir.isEmpty { throw bad("output_dir", "must name a folder") }
        if settleMs < 0 { throw bad("settle_ms", "must be 0 or more") }
        if rescanSeconds <= 0 { throw bad("rescan_seconds", "must be more than 0") }
        if batch < 1 { throw bad("batch", "must be at least 1") }
        if rotateBytes < 0 { throw bad("rotate_bytes", "must be 0 or more") }
        if statusEveryMs < 50 { throw bad("status_every_ms", "must be at least 50") }
        if httpPort < 0 || httpPort > 65535 { throw bad("http_port", "must be 0 to 65535") }
        if openLimitSeconds <= 0 { throw bad("open_limit_seconds", "must be more than 0") }
    }

    /// The rule for relative paths, written once: an absolute path stays as it is, a
    /// relative one is taken against `base` (the current folder of the process, for
    /// `wenshu watch`); either is cleaned (`..`, `.`, doubled and trailing slashes).
    public static func resolve(_ path: String, against base: String) -> String {
        InotifyWatcher.clean(path.hasPrefix("/") ? path : base + "/" + path)
    }

    /// The configuration with every folder absolute (relative ones taken against `base`,
    /// see `resolve(_:against:)`) and every default folder filled in.
    public func resolved(against base: String) -> WatchConfiguration {
        func abs(_ p: String) -> String { WatchOptions.resolve(p, against: base) }
        let inbox = abs(self.inbox)
        return WatchConfiguration(
            inbox: inbox, outputDir: abs(outputDir), errorsDir: abs(errorsDir ?? outputDir),
            stateDir: abs(stateDir ?? outputDir), doneDir: doneDir.map(abs) ?? inbox + "/done",
            failedDir: failedDir.map(abs) ?? inbox + "/failed", settleMs: settleMs, rescanSeconds: rescanSeconds,
            onDone: onDone, rotateBytes: rotateBytes, batch: batch, statusEveryMs: statusEveryMs, httpPort: httpPort,
            ignoreSuffixes: ignoreSuffixes, pipelineVersion: pipelineVersion, resultsPrefix: resultsPrefix,
            errorsPrefix: errorsPrefix, keepRotated: keepRotated, openLimitSeconds: openLimitSeconds,
            crashRetries: crashRetries)
    }
}

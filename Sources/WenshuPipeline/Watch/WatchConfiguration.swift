import Foundation

/// The watched inbox's resolved configuration, what `InboxWatcher` runs with: every
/// folder an absolute path, every default filled in. Made by `WatchOptions.resolved(against:)`.
public struct WatchConfiguration: Sendable, Equatable {
    /// The folder watched (recursively).
    public var inbox: String
    /// The daily results and duplicates streams.
    public var outputDir: String
    /// The daily errors stream.
    public var errorsDir: String
    /// The watch journal, `status.json` and `watch.lock`.
    public var stateDir: String
    /// Where finished files go, in dated subfolders (never watched).
    public var doneDir: String
    /// Where files with only errors go, in dated subfolders (never watched).
    public var failedDir: String
    /// A file's size and mtime must stay unchanged this long before it is taken.
    public var settleMs: Int
    /// Seconds between full rescans.
    public var rescanSeconds: Double
    /// Move finished files, or keep them where they are.
    public var onDone: WatchDisposition
    /// Rotation size of a daily stream in bytes (0: daily only).
    public var rotateBytes: Int
    /// Files taken and committed together.
    public var batch: Int
    /// How often the status file is rewritten.
    public var statusEveryMs: Int
    /// Loopback HTTP status port; 0 is off.
    public var httpPort: Int
    /// Extra file name endings never taken.
    public var ignoreSuffixes: [String]
    /// Recorded with each journal row.
    public var pipelineVersion: String
    /// File name stem of the results stream.
    public var resultsPrefix: String
    /// File name stem of the errors stream.
    public var errorsPrefix: String
    /// Rotated stream files kept; nil keeps all.
    public var keepRotated: Int?
    /// A file held open for writing longer than this is listed in the status.
    public var openLimitSeconds: Double
    /// Restarts a file that killed the watcher gets before it is errored as `crashed`.
    public var crashRetries: Int

    /// Every field given; usually made by `WatchOptions.resolved(against:)`.
    public init(inbox: String, outputDir: String, errorsDir: String, stateDir: String, doneDir: String,
                failedDir: String, settleMs: Int, rescanSeconds: Double, onDone: WatchDisposition, rotateBytes: Int,
                batch: Int, statusEveryMs: Int, httpPort: Int, ignoreSuffixes: [String], pipelineVersion: String,
                resultsPrefix: String, errorsPrefix: String, keepRotated: Int?, openLimitSeconds: Double,
                crashRetries: Int) {
        self.inbox = inbox; self.outputDir = outputDir; self.errorsDir = errorsDir; self.stateDir = stateDir
        self.doneDir = doneDir; self.failedDir = failedDir; self.settleMs = settleMs
        self.rescanSeconds = rescanSeconds; self.onDone = onDone; self.rotateBytes = rotateBytes
        self.batch = batch; self.statusEveryMs = statusEveryMs; self.httpPort = httpPort
        self.ignoreSuffixes = ignoreSuffixes; self.pipelineVersion = pipelineVersion
        self.resultsPrefix = resultsPrefix; self.errorsPrefix = errorsPrefix; self.keepRotated = keepRotated
        self.openLimitSeconds = openLimitSeconds; self.crashRetries = crashRetries
    }

    /// The folders the watch never takes files from (outputs, state, done, failed).
    public var excludedFolders: Set<String> { [doneDir, failedDir, outputDir, errorsDir, stateDir] }
}

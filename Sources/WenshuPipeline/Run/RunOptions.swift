import Foundation

/// Command-line settings that override or complete a pipeline file.
public struct RunOptions: Sendable {
    /// Ignore (and clear) the journal: process every document again.
    public var fresh = false
    /// Process at most this many new documents (skipped ones do not count).
    public var limit: Int?
    /// Take one shard of the corpus; output paths get a `shard-i-of-n` marker.
    public var shard: Shard?
    public var progress: ProgressReporter.Mode = .auto
    public init(fresh: Bool = false, limit: Int? = nil, shard: Shard? = nil, progress: ProgressReporter.Mode = .auto) {
        self.fresh = fresh; self.limit = limit; self.shard = shard; self.progress = progress
    }
}

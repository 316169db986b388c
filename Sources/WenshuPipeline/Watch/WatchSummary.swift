import Foundation

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

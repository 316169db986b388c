import Foundation

/// What happens to a file once its result (or error) is committed (`watch.on_done`).
public enum WatchDisposition: String, Codable, Sendable {
    /// Move to `done/YYYY-MM-DD/` (results) or `failed/YYYY-MM-DD/` (only errors).
    case move
    /// Leave the file where it is; the journal remembers it by path, size, mtime and content hash.
    case keep
}

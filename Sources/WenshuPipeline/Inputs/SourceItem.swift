import WenshuCore

/// What `DocumentSource` yields for one document of an input, or for one input (or one
/// record of it) that never became a document.
public struct SourceItem: Sendable {
    /// A document to process, or the error record of an input that failed before it
    /// became one (unreadable, malformed, over a limit).
    public enum Content: Sendable {
        case document(Document)
        case failure(ErrorRecord)
    }

    public var content: Content
    /// The journal key: `sha256:line:id` for a document, `sha256:line:path` for a failure
    /// (`unreadable` in place of the hash when the input could not be read).
    public var key: String
    /// Lowercase hex SHA-256 of the input's bytes; nil when they could not be read.
    public var sha256: String?
    /// What `--shard` assigns by: a document's id, a failure's place (`path:line`).
    public var shardKey: String

    public init(content: Content, key: String, sha256: String?, shardKey: String) {
        self.content = content; self.key = key; self.sha256 = sha256; self.shardKey = shardKey
    }
}

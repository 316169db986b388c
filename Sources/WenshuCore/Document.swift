import Foundation

/// The formats Wenshu reads.
public enum DocumentFormat: String, Codable, Sendable, CaseIterable {
    case text, xml, html, json, jsonl, docx
    /// A record of the national judgments website (HTML inside JSON inside JSON).
    case webRecord = "web-record"
}

/// Where a document came from.
public struct SourceInfo: Codable, Sendable, Equatable {
    /// The file path as given (relative or absolute).
    public var path: String
    public var format: DocumentFormat
    /// The encoding the bytes were decoded from ("UTF-8", "GB18030", "Big5", "UTF-16LE"...), when text.
    public var encoding: String?
    /// Size of the file in bytes.
    public var bytes: Int
    /// Lowercase hex SHA-256 of the file's bytes.
    public var sha256: String
    /// For files that hold many records (JSONL), the 1-based line of this record.
    public var line: Int?
    /// For files that hold many records, the 0-based record index.
    public var record: Int?

    public init(path: String, format: DocumentFormat, encoding: String? = nil, bytes: Int, sha256: String,
                line: Int? = nil, record: Int? = nil) {
        self.path = path; self.format = format; self.encoding = encoding
        self.bytes = bytes; self.sha256 = sha256; self.line = line; self.record = record
    }
}

/// One document after ingestion: its identity, source and extracted text.
/// All offsets Wenshu reports count Unicode scalars of `text`, end exclusive.
public struct Document: Sendable, Equatable {
    /// A stable identity: the record's own id when it has one, else derived from path (and line).
    public var id: String
    public var source: SourceInfo
    /// The extracted text: what every output offset points into.
    public var text: String
    public var title: String?
    /// Extra fields read from the source (XML/JSON mapped fields, web-record s-fields).
    public var metadata: [String: String]

    public init(id: String, source: SourceInfo, text: String, title: String? = nil, metadata: [String: String] = [:]) {
        self.id = id; self.source = source; self.text = text; self.title = title; self.metadata = metadata
    }
}

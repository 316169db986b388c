import Foundation
import WenshuCore

/// Options for every ingester: field mappings, forced format or encoding, limits.
///
/// Decoded from a pipeline's YAML (`ingest:` section) with snake_case keys. Every key is
/// optional; a missing key takes the default shown on the property.
public struct IngestOptions: Codable, Sendable, Equatable {
    /// How XML files map to documents.
    public var xml: XMLMapping
    /// How JSON and JSONL records map to documents.
    public var json: JSONMapping
    /// Read every file as this format instead of sniffing it (default: sniff).
    public var format: DocumentFormat?
    /// Decode text with this ICU charset name ("GB18030", "Big5", ...) instead of detecting it.
    public var encoding: String?
    /// Files larger than this are refused with `file.too_large` (default 512 MiB). JSONL files
    /// are streamed line by line and are not subject to this limit; each of their lines is.
    public var maxFileBytes: Int
    /// DOCX: most bytes all parts of the archive may expand to (default 256 MiB).
    public var docxMaxUncompressedBytes: Int
    /// DOCX: highest uncompressed/compressed ratio of a part larger than 1 MiB (default 200).
    public var docxMaxCompressionRatio: Double
    /// Documents with more characters (Unicode scalars) than this are refused with
    /// `document.too_large` before normalization (0: no limit). A plain text file that must
    /// hold more (over 4 bytes per allowed character) is refused before it is read whole.
    /// Set by a pipeline's `limits.max_document_chars`; not part of the `ingest:` section.
    public var maxDocumentChars: Int = IngestOptions.defaultMaxDocumentChars
    /// The default character limit: two million, about twenty times the longest judgments seen.
    public static let defaultMaxDocumentChars = 2_000_000

    public init() {
        xml = XMLMapping()
        json = JSONMapping()
        format = nil
        encoding = nil
        maxFileBytes = 512 << 20
        docxMaxUncompressedBytes = 256 << 20
        docxMaxCompressionRatio = 200
    }

    enum CodingKeys: String, CodingKey {
        case xml, json, format, encoding
        case maxFileBytes = "max_file_bytes"
        case docxMaxUncompressedBytes = "docx_max_uncompressed_bytes"
        case docxMaxCompressionRatio = "docx_max_compression_ratio"
    }

    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        xml = try c.decodeIfPresent(XMLMapping.self, forKey: .xml) ?? xml
        json = try c.decodeIfPresent(JSONMapping.self, forKey: .json) ?? json
        format = try c.decodeIfPresent(DocumentFormat.self, forKey: .format)
        encoding = try c.decodeIfPresent(String.self, forKey: .encoding)
        maxFileBytes = try c.decodeIfPresent(Int.self, forKey: .maxFileBytes) ?? maxFileBytes
        docxMaxUncompressedBytes = try c.decodeIfPresent(Int.self, forKey: .docxMaxUncompressedBytes)
            ?? docxMaxUncompressedBytes
        docxMaxCompressionRatio = try c.decodeIfPresent(Double.self, forKey: .docxMaxCompressionRatio)
            ?? docxMaxCompressionRatio
    }

    /// XPath mapping for XML files. With no `body`, the text of the whole document is taken.
    public struct XMLMapping: Codable, Sendable, Equatable {
        /// XPath selecting one element per document (default: the whole file is one document).
        public var record: String?
        /// XPath of the document's id (relative to the record element when `record` is set).
        public var id: String?
        /// XPath of the title.
        public var title: String?
        /// XPath of the body; several matching nodes are joined with newlines. Default: all text.
        public var body: String?
        /// Metadata fields: name -> XPath.
        public var metadata: [String: String]

        public init(record: String? = nil, id: String? = nil, title: String? = nil, body: String? = nil,
                    metadata: [String: String] = [:]) {
            self.record = record; self.id = id; self.title = title; self.body = body; self.metadata = metadata
        }

        enum CodingKeys: String, CodingKey { case record, id, title, body, metadata }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            record = try c.decodeIfPresent(String.self, forKey: .record)
            id = try c.decodeIfPresent(String.self, forKey: .id)
            title = try c.decodeIfPresent(String.self, forKey: .title)
            body = try c.decodeIfPresent(String.self, forKey: .body)
            metadata = try c.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
        }
    }

    /// Field mapping for JSON and JSONL records. Field names may be dotted paths (`meta.title`).
    public struct JSONMapping: Codable, Sendable, Equatable {
        /// Candidate text fields, the first present string wins.
        public var textFields: [String]
        /// Candidate id fields (string or number), the first present wins.
        public var idFields: [String]
        /// Candidate title fields.
        public var titleFields: [String]
        /// Fields copied into the document's metadata (arrays joined with "、", objects as JSON).
        public var metadataFields: [String]

        public static let defaultTextFields = ["text", "fact", "context", "sentText", "qw", "content", "body"]
        public static let defaultIdFields = ["id", "articleId", "doc_id", "_id"]
        public static let defaultTitleFields = ["title", "Title"]

        public init(textFields: [String] = JSONMapping.defaultTextFields,
                    idFields: [String] = JSONMapping.defaultIdFields,
                    titleFields: [String] = JSONMapping.defaultTitleFields,
                    metadataFields: [String] = []) {
            self.textFields = textFields; self.idFields = idFields
            self.titleFields = titleFields; self.metadataFields = metadataFields
        }

        enum CodingKeys: String, CodingKey {
            case textFields = "text_fields", idFields = "id_fields", titleFields = "title_fields"
            case metadataFields = "metadata_fields"
        }

        public init(from decoder: Decoder) throws {
            self.init()
            let c = try decoder.container(keyedBy: CodingKeys.self)
            textFields = try c.decodeIfPresent([String].self, forKey: .textFields) ?? textFields
            idFields = try c.decodeIfPresent([String].self, forKey: .idFields) ?? idFields
            titleFields = try c.decodeIfPresent([String].self, forKey: .titleFields) ?? titleFields
            metadataFields = try c.decodeIfPresent([String].self, forKey: .metadataFields) ?? metadataFields
        }
    }
}

import Foundation
import WenshuCore

// Contract for the ingest layer (to be completed by the ingest work):
// - `Ingester`: one implementation per format, chosen by sniffing content (and extension).
// - `IngestOptions`: field mappings and limits, decoded from pipeline YAML.
// - `IngestService.forEachDocument(atPath:options:_:)`: reads one file and calls `body`
//   once per document or per error, with bounded memory for large JSONL files.

/// Options for every ingester: field mappings, encodings, limits.
public struct IngestOptions: Codable, Sendable, Equatable {
    public init() {}
}

/// Reads files of every supported format and yields documents or errors.
public struct IngestService: Sendable {
    public let options: IngestOptions
    public init(options: IngestOptions = IngestOptions()) { self.options = options }

    /// Reads the file at `path` and calls `body` once for each document it holds, or once
    /// for each error (a bad file is one error; a bad JSONL line is one error for that line).
    public func forEachDocument(atPath path: String, _ body: (Result<Document, WenshuError>) throws -> Void) rethrows {
        try body(.failure(WenshuError("ingest.unimplemented", "ingest is not implemented yet", stage: .ingest, path: path)))
    }
}

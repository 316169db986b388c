import Foundation
import WenshuCore

/// One file's bytes and identity, handed to an `Ingester`.
public struct IngestInput: Sendable {
    /// The path as the caller gave it (kept as is in every `SourceInfo`).
    public let path: String
    /// The whole file.
    public let bytes: [UInt8]
    /// Lowercase hex SHA-256 of `bytes`.
    public let sha256: String

    public init(path: String, bytes: [UInt8], sha256: String? = nil) {
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256 ?? SHA256Hasher.hex(bytes)
    }

    /// A `SourceInfo` for a document of this file.
    public func source(_ format: DocumentFormat, encoding: String?, line: Int? = nil, record: Int? = nil) -> SourceInfo {
        SourceInfo(path: path, format: format, encoding: encoding, bytes: bytes.count, sha256: sha256,
                   line: line, record: record)
    }
}

/// Turns the bytes of one file of a given format into documents.
///
/// One implementation per format (`PlainTextIngester`, `XMLIngester`, `HTMLIngester`,
/// `JSONRecordIngester`, `WebRecordIngester`, `DocxIngester`); `IngestService` picks one by
/// sniffing the content (`FormatSniffer`). An ingester never throws for bad input: it emits
/// `.failure` with a `WenshuError` naming the file, the place and the reason. It only rethrows
/// what `emit` throws.
public protocol Ingester: Sendable {
    /// The format this ingester reads.
    var format: DocumentFormat { get }
    /// Reads `input` and calls `emit` once per document, or once per error.
    func ingest(_ input: IngestInput, options: IngestOptions,
                emit: (Result<Document, WenshuError>) throws -> Void) rethrows
}

extension WenshuError {
    /// An ingest-stage error for `path`.
    static func ingest(_ code: ErrorCode, _ message: String, path: String, location: SourceLocation? = nil,
                       cause: String? = nil) -> WenshuError {
        WenshuError(code, message, stage: .ingest, path: path, location: location, cause: cause)
    }
}

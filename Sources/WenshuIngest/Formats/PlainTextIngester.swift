import Foundation
import WenshuCore

/// Plain text in UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, GB18030/GBK or Big5.
/// The encoding found goes to `SourceInfo.encoding`; CRLF and CR become LF (see `EncodingDetector`).
/// The whole file is one document whose id is its path.
public struct PlainTextIngester: Ingester {
    public var format: DocumentFormat { .text }
    public init() {}

    public func ingest(_ input: IngestInput, options: IngestOptions,
                       emit: (Result<Document, WenshuError>) throws -> Void) rethrows {
        let decoded = input.bytes.withUnsafeBufferPointer {
            EncodingDetector.decode($0, path: input.path, forced: options.encoding)
        }
        switch decoded {
        case .failure(let e): try emit(.failure(e))
        case .success(let d) where d.text.allSatisfy({ $0.isWhitespace }):
            try emit(.failure(.ingest(.file.empty, "the file holds no text (only a byte-order mark or white space)",
                                      path: input.path)))
        case .success(let d):
            try emit(.success(Document(id: input.path, source: input.source(.text, encoding: d.encoding), text: d.text)))
        }
    }
}

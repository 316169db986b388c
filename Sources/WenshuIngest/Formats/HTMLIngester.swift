import CLibXML2
import Foundation
import WenshuCore

/// HTML through libxml2's HTML parser: the visible text in reading order, one line per block
/// element, scripts and styles dropped (`HTMLTextWalker`); `<title>` becomes the title.
/// Encoding: a BOM, then `IngestOptions.encoding`, then `<meta charset>`, then detection.
public struct HTMLIngester: Ingester {
    public var format: DocumentFormat { .html }
    public init() {}

    public func ingest(_ input: IngestInput, options: IngestOptions,
                       emit: (Result<Document, WenshuError>) throws -> Void) rethrows {
        let path = input.path
        let decoded = input.bytes.withUnsafeBufferPointer { buf in
            DeclaredCharset.decodeMarkup(buf, declared: DeclaredCharset.htmlMeta(buf), forced: options.encoding, path: path)
        }
        switch decoded {
        case .failure(let e): try emit(.failure(e))
        case .success(let d):
            switch HTMLIngester.extract(html: d.text, path: path) {
            case .failure(let e): try emit(.failure(e))
            case .success(let x):
                if x.text.isEmpty {
                    try emit(.failure(.ingest(.html.noText, "the page has no visible text", path: path)))
                    return
                }
                try emit(.success(Document(id: path, source: input.source(.html, encoding: d.encoding), text: x.text,
                                           title: x.title)))
            }
        }
    }

    /// Text, title and anchor sections of an HTML string.
    struct Extracted {
        var text: String
        var title: String?
        var sections: [(name: String, start: Int, end: Int)]
    }

    static func extract(html: String, path: String) -> Result<Extracted, WenshuError> {
        switch LibXML.parseHTML(Array(html.utf8), path: path) {
        case .failure(let e): return .failure(e)
        case .success(let doc):
            defer { xmlFreeDoc(doc) }
            var w = HTMLTextWalker()
            w.walk(UnsafeMutableRawPointer(doc).assumingMemoryBound(to: xmlNode.self))
            let text = w.builder.finish()
            return .success(Extracted(text: text, title: HTMLTextWalker.title(of: doc), sections: w.builder.sections()))
        }
    }
}

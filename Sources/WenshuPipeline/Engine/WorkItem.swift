import Foundation
import WenshuCore

/// One unit of work travelling from the reader to the workers.
enum WorkItem {
    /// An ingested document to process; `attempts` is how often it was tried before.
    case document(Document, key: String, attempts: Int)
    /// An input that failed before it became a document (unreadable, malformed).
    case failure(ErrorRecord, key: String, attempts: Int)
    /// A document the journal says is done (or out of retries): only marked as seen.
    case skipped(key: String)
    /// Input bytes now fully read, counted for progress once the batch is committed.
    case credit(Int64)
}

/// What a worker made of a work item: a serialized output line and its bookkeeping.
enum WorkOutcome {
    case result(line: [UInt8], key: String, id: String, path: String, attempts: Int)
    case failure(line: [UInt8], key: String, id: String, path: String, attempts: Int, code: String)
    case skipped(key: String)
    case credit(Int64)
}

extension WorkOutcome {
    /// Runs a batch of items through the processor, serializing each outcome as one JSON line.
    static func make(_ items: [WorkItem], processor: DocumentProcessor, countAttempts: Bool = true) -> [WorkOutcome] {
        let encoder = JSONEncoder.wenshuLine()
        func encode<T: Encodable>(_ v: T) -> [UInt8] { (try? encoder.encode(v)).map { [UInt8]($0) } ?? [] }
        let docs: [Document] = items.compactMap { if case let .document(d, _, _) = $0 { return d } else { return nil } }
        var results = processor.process(docs).makeIterator()
        return items.map { item in
            switch item {
            case let .skipped(key):
                return .skipped(key: key)
            case let .credit(n):
                return .credit(n)
            case let .failure(rec, key, attempts):
                var r = rec
                r.attempts = countAttempts ? attempts + 1 : nil
                return .failure(line: encode(r), key: key, id: r.id ?? "", path: r.source.path,
                                attempts: attempts + 1, code: r.code)
            case let .document(d, key, attempts):
                let outcome = results.next() ?? .failure(WenshuError(.internalError.missingResult, "the processor returned no result for this document",
                                                                      stage: .normalize, path: d.source.path))
                switch outcome {
                case let .success(rec):
                    return .result(line: encode(rec), key: key, id: d.id, path: d.source.path, attempts: attempts + 1)
                case let .failure(err):
                    let rec = ErrorRecord(document: d, error: err, attempts: countAttempts ? attempts + 1 : nil)
                    return .failure(line: encode(rec), key: key, id: d.id, path: d.source.path,
                                    attempts: attempts + 1, code: err.code)
                }
            }
        }
    }
}

/// Identity helpers for journal keys.
enum DocumentKey {
    /// `sha256:line:id` — the content hash of the file, the record's line for files
    /// that hold many records, and the document id (two identical files at different
    /// paths are two documents).
    static func of(_ d: Document) -> String { "\(d.source.sha256):\(d.source.line ?? 0):\(d.id)" }

    /// The key of an input that failed before becoming a document.
    static func ofFailure(path: String, sha256: String?, line: Int?) -> String {
        "\(sha256 ?? "unreadable"):\(line ?? 0):\(path)"
    }
}

import Foundation
import WenshuCore
import WenshuIngest

/// The stdin-to-stdout filter for existing engines (Spark `RDD.pipe`, Hadoop Streaming,
/// shell pipes): each input line is one JSON record (mapped to a document with the
/// pipeline's JSON field mapping), and each input line gives exactly one output line,
/// in the same order — a `wenshu.result/1` line, or a `wenshu.error/1` line with the
/// record's id echoed. Records without an id of their own get the same content id as in
/// `run`, `ingest` and `watch` (`JSONRecordIngester.contentID`), so the output of any
/// partitioning joins back to a plain run's. Each line is ingested from memory through a
/// `DocumentSource` as line N of `-` (the stream never touches the file system). The model is
/// loaded once for the whole stream. Only a fatal error (the output cannot be written) stops it.
public final class FilterRunner {
    public let processor: DocumentProcessor
    public let ingest: IngestOptions
    public let workers: Int
    public let batchSize: Int

    public init(processor: DocumentProcessor, ingest: IngestOptions = IngestOptions(), workers: Int, batchSize: Int) {
        var options = ingest
        options.format = .jsonl  // every input line is one JSON record, whatever the pipeline reads from files
        self.processor = processor; self.ingest = options
        self.workers = max(1, workers); self.batchSize = max(1, batchSize)
    }

    /// Counts of lines written.
    public struct Outcome: Sendable { public var lines: Int; public var failures: Int }

    /// Reads `input` to its end and writes one line to `output` per input line, in order.
    /// Throws only when the run itself fails (the output cannot be written, the input cannot be read).
    public func run(input: LineReader, output: LineWriter) throws -> Outcome {
        let engine = BatchEngine<(Int, [UInt8]), (line: [UInt8], failed: Bool)>(workers: workers, capacity: 4 * workers)
        var lines = 0, failures = 0
        let bs = batchSize
        let source = DocumentSource(ingest: ingest)
        let processor = self.processor
        try engine.run(produce: { submit in
            var batch = [(Int, [UInt8])]()
            while let bytes = try input.nextLine() {
                batch.append((input.lineNumber, bytes))
                if batch.count >= bs { try submit(batch); batch.removeAll(keepingCapacity: true) }
            }
            if !batch.isEmpty { try submit(batch) }
        }, work: { items in
            FilterRunner.work(items, source: source, processor: processor)
        }, consume: { outs in
            for o in outs {
                try output.writeLine(o.line)
                lines += 1
                if o.failed { failures += 1 }
            }
        })
        return Outcome(lines: lines, failures: failures)
    }

    /// Ingests each line from memory (never through a file) as line `lineNo` of standard
    /// input, processes the documents as one batch, and gives one output line per input line.
    static func work(_ items: [(Int, [UInt8])], source: DocumentSource, processor: DocumentProcessor)
        -> [(line: [UInt8], failed: Bool)] {
        let encoder = JSONEncoder.wenshuLine()
        func encode<T: Encodable>(_ v: T) -> [UInt8] { (try? encoder.encode(v)).map { [UInt8]($0) } ?? [] }
        var docs = [Document]()
        var slots = [Either]()
        enum Either { case doc(Int), error(ErrorRecord) }
        for (lineNo, bytes) in items {
            switch item(bytes, lineNo: lineNo, source: source) {
            case let .document(d):
                slots.append(.doc(docs.count)); docs.append(d)
            case var .failure(rec):
                // A record that never became a document keeps its own id if it has one; else the
                // line carries no id (its source's line and sha256 name it).
                if rec.id == nil { rec.id = echoedID(bytes) }
                slots.append(.error(rec))
            }
        }
        let results = processor.process(docs)
        return slots.map { s in
            switch s {
            case let .error(rec): return (encode(rec), true)
            case let .doc(i):
                switch results[i] {
                case let .success(r): return (encode(r), false)
                case let .failure(e): return (encode(ErrorRecord(document: docs[i], error: e)), true)
                }
            }
        }
    }

    /// The record's own `id` (string or number), to echo in error lines.
    static func echoedID(_ bytes: [UInt8]) -> String? {
        guard let obj = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return nil }
        if let s = obj["id"] as? String { return s }
        if let n = obj["id"] as? NSNumber { return n.stringValue }
        return nil
    }

    /// One input line as a document or an error record: ingested from memory as line
    /// `lineNo` of `-` (standard input) through the JSON ingester, so the pipeline's field
    /// mapping applies. A blank line is an error of its own.
    static func item(_ bytes: [UInt8], lineNo: Int, source: DocumentSource) -> SourceItem.Content {
        let input = IngestSource.bytes(bytes, name: "-", line: lineNo)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            let e = WenshuError(.filter.emptyLine, "empty input line", stage: .ingest, path: "-",
                                location: SourceLocation(line: lineNo))
            return .failure(ErrorRecord(source: .init(path: "-", format: .jsonl, sha256: SHA256Hasher.hex(bytes),
                                                      bytes: bytes.count, line: lineNo), error: e))
        }
        var found: SourceItem.Content?
        source.forEach(input) { item in
            if found == nil { found = item.content }
        }
        return found ?? .failure(ErrorRecord(
            source: .init(path: "-", format: .jsonl, sha256: SHA256Hasher.hex(bytes), bytes: bytes.count, line: lineNo),
            error: WenshuError(.filter.noDocument, "the line holds no document", stage: .ingest,
                               path: "-", location: SourceLocation(line: lineNo))))
    }
}

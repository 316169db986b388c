import Foundation
import WenshuCore
import WenshuIngest

/// The adapter between the watch and the batch pipeline: an inbox file goes through
/// `IngestService` (format sniffing, one or many documents per file) and the pipeline's
/// `DocumentProcessor` (text layer, model heads) in batches of the spec's batch size.
/// Paths in the lines are made relative to the inbox (files move to done/ afterwards).
public final class PipelineInboxProcessor: InboxFileProcessor {
    let service: IngestService
    let processor: DocumentProcessor
    let batchSize: Int

    public init(spec: PipelineSpec) throws {
        processor = try DocumentProcessor(spec: spec)
        service = IngestService(options: spec.resolvedIngestOptions)
        batchSize = spec.resolvedBatchSize
    }

    public init(processor: DocumentProcessor, ingest: IngestOptions = IngestOptions(), batchSize: Int = 16) {
        self.processor = processor; service = IngestService(options: ingest); self.batchSize = max(1, batchSize)
    }

    public func process(_ file: InboxFile) -> FileOutcome {
        var out = FileOutcome()
        var docs: [Document] = []
        func relative(_ s: String) -> String {
            s.hasPrefix(file.path) ? file.relativePath + s.dropFirst(file.path.count) : s
        }
        func flush() {
            for (d, r) in zip(docs, processor.process(docs)) {
                switch r {
                case var .success(rec):
                    rec.id = relative(rec.id); rec.source.path = relative(rec.source.path)
                    out.results.append(rec)
                case let .failure(e):
                    var rec = ErrorRecord(document: d, error: e)
                    rec.id = rec.id.map(relative); rec.source.path = relative(rec.source.path)
                    out.errors.append(rec)
                }
            }
            docs.removeAll(keepingCapacity: true)
        }
        service.forEachDocument(atPath: file.path) { r in
            switch r {
            case var .success(d):
                if d.source.sha256.isEmpty { d.source.sha256 = file.sha256 }
                docs.append(d)
                if docs.count >= batchSize { flush() }
            case let .failure(e):
                var err = e
                if err.path == file.path { err.path = file.relativePath }
                out.errors.append(ErrorRecord(id: file.relativePath,
                                              source: .init(path: file.relativePath, sha256: file.sha256, bytes: file.bytes,
                                                            line: e.location?.line),
                                              error: err.at(path: file.relativePath)))
            }
        }
        if !docs.isEmpty { flush() }
        return out
    }
}

import Foundation
import WenshuCore
import WenshuIngest

/// The adapter between the watch and the batch pipeline: an inbox file is read through a
/// `DocumentSource` (format sniffing, one or many documents per file), named by its path
/// relative to the inbox (files move to done/ afterwards), and its documents go through the
/// pipeline's `DocumentProcessor` (text layer, model heads) in batches of the spec's batch size.
public final class PipelineInboxProcessor: InboxFileProcessor {
    let source: DocumentSource
    let processor: DocumentProcessor
    let batchSize: Int

    /// Builds the processor (text layer, model bundle) and ingest options a pipeline names.
    public init(spec: PipelineSpec) throws {
        processor = try DocumentProcessor(spec: spec)
        source = DocumentSource(ingest: spec.resolvedIngestOptions)
        batchSize = spec.resolvedBatchSize
    }

    /// A processor over an already built `DocumentProcessor`.
    public init(processor: DocumentProcessor, ingest: IngestOptions = IngestOptions(), batchSize: Int = 16) {
        self.processor = processor; source = DocumentSource(ingest: ingest); self.batchSize = max(1, batchSize)
    }

    /// The file's result records and error records; an error record that names no record of
    /// its own carries the file's relative path as its id.
    public func process(_ file: InboxFile) -> FileOutcome {
        var out = FileOutcome()
        var docs: [Document] = []
        func flush() {
            for (d, r) in zip(docs, processor.process(docs)) {
                switch r {
                case let .success(rec): out.results.append(rec)
                case let .failure(e): out.errors.append(ErrorRecord(document: d, error: e))
                }
            }
            docs.removeAll(keepingCapacity: true)
        }
        source.forEach(.file(file.path, name: file.relativePath), sha256: file.sha256, bytes: file.bytes) { item in
            switch item.content {
            case let .document(d):
                docs.append(d)
                if docs.count >= batchSize { flush() }
            case var .failure(rec):
                if rec.id == nil { rec.id = file.relativePath }
                out.errors.append(rec)
            }
        }
        if !docs.isEmpty { flush() }
        return out
    }
}

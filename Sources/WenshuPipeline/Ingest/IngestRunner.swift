import Foundation
import WenshuCore
import WenshuIngest
import WenshuText

/// `wenshu ingest`: every file under the given paths becomes one result line per
/// document (source metadata and structure, no model fields, the text on request),
/// in input order; every failure becomes one error line. No journal.
public struct IngestRunner {
    public var paths: [String]
    public var ingest: IngestOptions
    public var text: TextConfig
    public var includeText: Bool
    public var workers: Int
    public var batchSize: Int

    public init(paths: [String], ingest: IngestOptions = IngestOptions(), text: TextConfig = TextConfig(),
                includeText: Bool = false, workers: Int = 0, batchSize: Int = 8) {
        self.paths = paths; self.ingest = ingest; self.text = text; self.includeText = includeText
        self.workers = workers > 0 ? workers : max(1, ProcessInfo.processInfo.activeProcessorCount)
        self.batchSize = max(1, batchSize)
    }

    /// Counts of what was written.
    public struct Outcome: Sendable { public var documents: Int; public var failures: Int }

    /// Runs, writing result lines to `results` and error lines to `errors`.
    /// Throws a `WenshuError` only when the run itself fails (an output cannot be written).
    public func run(results: LineWriter, errors: LineWriter) throws -> Outcome {
        let analyzer: TextAnalyzer
        do { analyzer = try TextAnalyzer(config: text) } catch {
            throw DocumentProcessor.wrap(error, stage: .config, path: nil, code: .text.config)
        }
        let processor = DocumentProcessor(analyzer: analyzer, model: nil,
                                          options: .init(includeText: includeText, structure: true))
        let source = DocumentSource(ingest: ingest)
        let inputs = InputFiles(paths: paths)
        let engine = BatchEngine<WorkItem, WorkOutcome>(workers: workers, capacity: 4 * workers)
        var documents = 0, failures = 0
        let bs = batchSize
        try engine.run(produce: { submit in
            var batch = [WorkItem]()
            func add(_ i: WorkItem) throws {
                batch.append(i)
                if batch.count >= bs { try submit(batch); batch.removeAll(keepingCapacity: true) }
            }
            try source.forEach(inputs) { item in
                switch item.content {
                case let .document(doc): try add(.document(doc, key: item.key, attempts: 0))
                case let .failure(rec): try add(.failure(rec, key: item.key, attempts: 0))
                }
            }
            if !batch.isEmpty { try submit(batch) }
        }, work: { items in
            // No retries here: error lines carry no attempt count.
            WorkOutcome.make(items, processor: processor, countAttempts: false)
        }, consume: { outcomes in
            for o in outcomes {
                switch o {
                case let .result(line, _, _, _, _): try results.writeLine(line); documents += 1
                case let .failure(line, _, _, _, _, _): try errors.writeLine(line); failures += 1
                case .skipped, .credit: break
                }
            }
        })
        return Outcome(documents: documents, failures: failures)
    }
}

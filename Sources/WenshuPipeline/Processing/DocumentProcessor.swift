import Foundation
import WenshuCore
import WenshuText
import WenshuModel

/// Turns ingested documents into result records: normalization, segmentation and
/// structure (WenshuText), then the model heads (WenshuModel) over a whole batch at once.
///
/// One processor is shared by all worker threads: the analyzer and the bundle are
/// thread-safe, and the processor keeps no mutable state. Errors never escape as
/// Swift errors: each document yields its result record or a `WenshuError` that names
/// the file, the stage and the reason.
public final class DocumentProcessor: Sendable {
    /// What goes into each record.
    public struct Options: Sendable, Equatable {
        /// Put the extracted text into each record.
        public var includeText: Bool
        /// Write the judgment structure (when false, `document` is left empty).
        public var structure: Bool
        /// Heads and thresholds for the model.
        public var annotator: AnnotatorOptions

        public init(includeText: Bool = false, structure: Bool = true, annotator: AnnotatorOptions = AnnotatorOptions(),
                    ) {
            self.includeText = includeText; self.structure = structure; self.annotator = annotator
        }
    }

    public let analyzer: TextAnalyzer
    public let model: ModelBundle?
    public let options: Options

    public init(analyzer: TextAnalyzer, model: ModelBundle?, options: Options = Options()) {
        self.analyzer = analyzer; self.model = model; self.options = options
    }

    /// Builds the analyzer and loads the bundle a pipeline names.
    /// Throws a `WenshuError` (stage `config` or `model`) when either cannot be set up.
    public convenience init(spec: PipelineSpec) throws {
        let analyzer: TextAnalyzer
        do {
            var config = spec.text ?? TextConfig()
            if !spec.structureEnabled { config.structure = false }  // no rules run for nothing
            analyzer = try TextAnalyzer(config: config)
        } catch {
            throw DocumentProcessor.wrap(error, stage: .config, path: nil, code: .text.config)
        }
        var bundle: ModelBundle?
        if let m = spec.model {
            do {
                bundle = try ModelBundle.load(at: URL(fileURLWithPath: m.bundle))
            } catch {
                throw DocumentProcessor.wrap(error, stage: .model, path: m.bundle, code: .bundle.load)
            }
        }
        // The pipeline's decisions over the bundle's defaults, head by head.
        let annotator = (spec.model?.annotatorOptions ?? AnnotatorOptions()).merged(over: bundle?.decisions)
        if let bundle {
            let problems = bundle.problems(with: annotator)
            if !problems.isEmpty {
                throw WenshuError(.bundle.badOptions, problems.joined(separator: "; ") + " (the pipeline's settings over the bundle's defaults)",
                                  stage: .model, path: spec.model?.bundle)
            }
        }
        self.init(analyzer: analyzer, model: bundle,
                  options: Options(includeText: spec.includeText, structure: spec.structureEnabled, annotator: annotator))
    }

    /// The model that annotates records, if any.
    public var modelInfo: ModelInfo? { model?.info }

    /// Processes one document.
    public func process(_ document: Document) -> Result<ResultRecord, WenshuError> {
        process([document])[0]
    }

    /// Processes a batch: text analysis per document, then one model call for the
    /// batch. If the batch call fails, each document is retried alone so one bad
    /// document does not fail its neighbours. The result has one entry per input, in order.
    public func process(_ documents: [Document]) -> [Result<ResultRecord, WenshuError>] {
        var analyses = [Result<TextAnalysis, WenshuError>]()
        analyses.reserveCapacity(documents.count)
        for d in documents {
            FailPoints.pause("document.slow_ms")   // debug builds only: lets kill tests land mid-run
            do {
                analyses.append(.success(try analyzer.analyze(d.text)))
            } catch {
                analyses.append(.failure(DocumentProcessor.wrap(error, stage: .normalize, path: d.source.path,
                                                                 code: .text.failed, line: d.source.line)))
            }
        }
        var annotations = [ModelAnnotations?](repeating: nil, count: documents.count)
        var modelErrors = [Int: WenshuError]()
        if let model {
            let ok = analyses.indices.filter { if case .success = analyses[$0] { return true } else { return false } }
            let texts = ok.map { i -> AnalyzedText in
                if case let .success(a) = analyses[i] { return a.modelInput } else { return AnalyzedText("") }
            }
            if !texts.isEmpty {
                do {
                    let out = try model.annotate(texts, options: options.annotator)
                    guard out.count == texts.count else {
                        throw WenshuError(.model.batchSize, "the model returned \(out.count) annotations for \(texts.count) texts",
                                          stage: .model)
                    }
                    for (j, i) in ok.enumerated() { annotations[i] = out[j] }
                } catch {
                    // Isolate the failing document(s).
                    for (j, i) in ok.enumerated() {
                        do {
                            let one = try model.annotate([texts[j]], options: options.annotator)
                            annotations[i] = one.first ?? ModelAnnotations()
                        } catch {
                            modelErrors[i] = DocumentProcessor.wrap(error, stage: .model, path: documents[i].source.path,
                                                                    code: .model.failed, line: documents[i].source.line)
                        }
                    }
                }
            }
        }
        var out = [Result<ResultRecord, WenshuError>]()
        out.reserveCapacity(documents.count)
        for (i, d) in documents.enumerated() {
            switch analyses[i] {
            case let .failure(e):
                out.append(.failure(e))
            case let .success(a):
                if let e = modelErrors[i] { out.append(.failure(e)); continue }
                var record = ResultRecord(id: d.id, source: d.source,
                                          document: options.structure ? a.structure : DocumentStructure(),
                                          metadata: d.metadata.isEmpty ? nil : d.metadata,
                                          text: options.includeText ? d.text : nil)
                if record.document.title == nil, options.structure, let t = d.title { record.document.title = t }
                if let ann = annotations[i] {
                    let mapped = ann.mapped(through: a.normalized)
                    record.classifications = mapped.classifications
                    record.entities = mapped.entities
                    record.events = mapped.events
                    if var info = model?.info {
                        info.decisions = options.annotator.decisions
                        info.skipped = ann.skipped.isEmpty ? nil : ann.skipped
                        record.model = info
                    }
                }
                out.append(.success(record))
            }
        }
        return out
    }

    /// A `WenshuError` for any error: kept as is (path and line filled in) when it is one,
    /// wrapped with `code` and `stage` otherwise.
    static func wrap(_ error: Error, stage: Stage, path: String?, code: ErrorCode, line: Int? = nil) -> WenshuError {
        var e: WenshuError
        if let w = error as? WenshuError {
            e = w
        } else {
            e = WenshuError(code, "\(error)", stage: stage)
            e.underlying = error
        }
        if let path { e = e.at(path: path) }
        if let line { e = e.at(SourceLocation(line: line)) }
        return e
    }
}

extension ErrorRecord {
    /// The error line for a document that failed after ingestion.
    public init(document d: Document, error: WenshuError, attempts: Int? = nil) {
        self.init(id: d.id, source: ErrorSource(path: d.source.path, format: d.source.format, sha256: d.source.sha256,
                                                bytes: d.source.bytes, line: d.source.line),
                  error: error, attempts: attempts)
    }
}

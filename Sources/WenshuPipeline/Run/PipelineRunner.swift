import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import WenshuCore
import WenshuIngest
import WenshuModel

/// Runs a pipeline over its inputs with the journal: the nightly batch.
///
/// Threads: a reader walks the inputs, ingests files and asks the journal what is
/// done; worker threads process batches (`DocumentProcessor`); the calling thread
/// commits each batch as a part (`PartStore`, `Journal`). At the end the results and
/// errors files are rebuilt from committed parts, so they hold every document of the
/// inputs exactly once: done ones in results, failed ones in errors.
public final class PipelineRunner {
    public let spec: PipelineSpec
    public let specPath: String?
    public let options: RunOptions
    let logger: Logger

    public init(spec: PipelineSpec, specPath: String? = nil, options: RunOptions = RunOptions(),
                logger: Logger = Logger(label: "wenshu.run")) {
        self.spec = spec; self.specPath = specPath; self.options = options; self.logger = logger
    }

    /// Output paths after shard markers.
    public var resultsPath: String { marked(spec.outputs.results) }
    public var errorsPath: String { marked(spec.errorsPath) }
    public var summaryPath: String { marked(spec.summaryPath) }
    public var journalPath: String { marked(spec.journalPath) }
    private func marked(_ p: String) -> String { options.shard.map { PipelineSpec.marked(p, $0.marker) } ?? p }

    /// Runs the pipeline. Document failures are reported in the error stream and the
    /// summary (`exitCode` 1); a failure of the run itself throws a `WenshuError` after
    /// writing what it can (exit status 2).
    public func run() throws -> RunSummary {
        let started = Date()
        // Past `ulimit -f` a write fails with EFBIG and is reported, instead of SIGXFSZ
        // ending the process without a word.
        signal(SIGXFSZ, SIG_IGN)
        for p in [resultsPath, errorsPath, summaryPath, journalPath] { try PipelineRunner.prepareOutput(p) }
        let lock = try PipelineRunner.lockJournal(journalPath)
        defer { lock.unlock() }
        BLASThreads.set(1)
        let processor = try DocumentProcessor(spec: spec)
        let modelVersion = processor.modelInfo.map { "\($0.name)@\($0.version)" } ?? "none"
        let ledger = try RunLedger(journalPath: journalPath, fingerprint: spec.fingerprint, modelVersion: modelVersion,
                                   fresh: options.fresh, retries: spec.resolvedRetries, logger: logger)
        let inputs = InputFiles(paths: spec.inputs.paths, globs: spec.inputs.globs ?? [], exclude: spec.inputs.exclude ?? [],
                                followSymlinks: spec.inputs.followSymlinks ?? false)
        let census = inputs.census()
        logger.info("run \(ledger.runId) of \(name): \(census.files) input files, \(census.bytes) bytes, \(spec.resolvedWorkers) workers, fingerprint \(spec.fingerprint), model \(modelVersion)\(options.shard.map { ", shard \($0)" } ?? "")")
        let progress = ProgressReporter(label: name, mode: options.progress, totalBytes: census.bytes,
                                        logInterval: spec.resolvedLogInterval, logger: logger)
        let counters = Counters()
        var runError: Error?
        do {
            try process(inputs, processor: processor, ledger: ledger, counters: counters, progress: progress)
        } catch {
            runError = error
        }
        progress.finish()
        var lines = (results: 0, errors: 0)
        if runError == nil {
            do {
                lines = try ledger.assemble(results: resultsPath, errors: errorsPath)
                try ledger.prune(sawAllInputs: options.limit == nil)
            } catch {
                runError = error
            }
        }
        let summary = self.summary(started: started, counts: counters.snapshot(), lines: lines,
                                   model: processor.modelInfo, runError: runError)
        ledger.finish(failed: runError != nil)
        if let data = try? JSONEncoder.wenshuPretty().encode(summary) {
            try? (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: summaryPath), options: .atomic)
        }
        if let runError {
            let w = runError as? WenshuError ?? WenshuError(.run.failed, "\(runError)", stage: .output)
            throw RunFailure(error: w, summary: summary)
        }
        return summary
    }

    private var name: String { spec.name ?? "pipeline" }

    /// Reads every input through a `DocumentSource` (the reader thread), processes batches on
    /// the workers, and commits each batch to the ledger on the calling thread.
    private func process(_ inputs: InputFiles, processor: DocumentProcessor, ledger: RunLedger,
                         counters: Counters, progress: ProgressReporter) throws {
        // Fail point (debug builds only): a document whose text holds this marker kills the process.
        let crashMarker = FailPoints.value("document.crash_marker")
        let engine = BatchEngine<WorkItem, WorkOutcome>(workers: spec.resolvedWorkers, capacity: spec.resolvedQueueBatches)
        try engine.run(produce: { submit in
            try self.produce(inputs, ledger: ledger, counters: counters, submit: submit)
        }, work: { items in
            let keys = items.compactMap { item -> String? in
                if case let .document(_, key, _) = item { return key } else { return nil }
            }
            let marker = ledger.inflight.mark(keys)
            if let crashMarker, items.contains(where: { if case let .document(d, _, _) = $0 { return d.text.contains(crashMarker) } else { return false } }) {
                kill(getpid(), SIGKILL)
            }
            let out = WorkOutcome.make(items, processor: processor)
            ledger.inflight.clear(marker)
            return out
        }, consume: { outcomes in
            let c = try ledger.commit(outcomes)
            counters.add(succeeded: c.results, failed: c.errors)
            progress.add(done: c.results, failed: c.errors, skipped: c.skipped, bytes: c.bytes)
        })
    }

    /// The reader: turns every input into work items, in batches. Items the shard or the
    /// format filter leave out are counted; the journal decides what is done or out of
    /// retries (only marked as seen); a document that crashed a run goes alone in its batch,
    /// and after more than `retries` crashes becomes a `crashed` error.
    private func produce(_ inputs: InputFiles, ledger: RunLedger, counters: Counters,
                         submit: ([WorkItem]) throws -> Void) throws {
        let source = DocumentSource(ingest: spec.resolvedIngestOptions)
        let formats = spec.inputs.formats.map(Set.init)
        let batchSize = spec.resolvedBatchSize
        let retries = spec.resolvedRetries
        let (shard, limit) = (options.shard, options.limit)
        var batch = [WorkItem]()
        var work = 0, taken = 0
        struct LimitReached: Error {}
        func flush() throws {
            if !batch.isEmpty { try submit(batch); batch.removeAll(keepingCapacity: true); work = 0 }
        }
        func add(_ item: WorkItem) throws {
            switch item {
            case .skipped, .credit: break
            default:
                if let limit, taken >= limit { throw LimitReached() }
                taken += 1; work += 1
            }
            batch.append(item)
            if work >= batchSize || batch.count >= 8 * batchSize { try flush() }
        }
        func decide(key: String) throws -> (skip: Bool, attempts: Int) {
            guard let e = try ledger.entry(key: key) else { return (false, 0) }
            switch e.status {
            case .done: counters.add(skippedDone: 1); return (true, e.attempts)
            case .failed:
                if e.attempts > retries { counters.add(exhausted: 1); return (true, e.attempts) }
                return (false, e.attempts)
            }
        }
        do {
            try source.forEach(inputs, { item in
                if case let .document(doc) = item.content, let formats, !formats.contains(doc.source.format) {
                    counters.add(filtered: 1); return
                }
                if let shard, !shard.contains(item.shardKey) { counters.add(filtered: 1); return }
                counters.add(seen: 1)
                let key = item.key
                let d = try decide(key: key)
                if d.skip { try add(.skipped(key: key)); return }
                switch item.content {
                case let .failure(rec):
                    try add(.failure(rec, key: key, attempts: d.attempts))
                case let .document(doc):
                    let crashes = ledger.crashCounts[key] ?? 0
                    if crashes > retries {
                        let err = WenshuError(.document.crashed, "processing this document killed the run \(crashes) time(s) (a stage ran out of memory or crashed); not tried again",
                                              stage: .model, path: doc.source.path)
                        try add(.failure(ErrorRecord(document: doc, error: err), key: key, attempts: d.attempts))
                    } else if crashes > 0 {
                        // Alone in its batch, so another crash costs no other document.
                        try flush()
                        try add(.document(doc, key: key, attempts: d.attempts))
                        try flush()
                    } else {
                        try add(.document(doc, key: key, attempts: d.attempts))
                    }
                }
            }, fileRead: { bytes in try add(.credit(bytes)) })
        } catch is LimitReached {}
        try flush()
    }

    /// The run's summary from its counts and outputs.
    private func summary(started: Date, counts c: Counters.Snapshot, lines: (results: Int, errors: Int),
                         model: ModelInfo?, runError: Error?) -> RunSummary {
        let seconds = Date().timeIntervalSince(started)
        let processed = c.succeeded + c.failed
        var s = RunSummary(pipeline: name, specPath: specPath, started: ISO8601DateFormatter().string(from: started),
                           finished: ISO8601DateFormatter().string(from: Date()), seconds: (seconds * 1000).rounded() / 1000,
                           workers: spec.resolvedWorkers, batchSize: spec.resolvedBatchSize, shard: options.shard?.description,
                           fingerprint: spec.fingerprint, model: model, documentsSeen: c.seen, processed: processed,
                           succeeded: c.succeeded, failed: c.failed, skippedDone: c.skippedDone, skippedExhausted: c.exhausted,
                           filteredOut: c.filtered, resultLines: lines.results, errorLines: lines.errors,
                           documentsPerSecond: seconds > 0 ? (Double(processed) / seconds * 10).rounded() / 10 : 0,
                           results: resultsPath, errors: errorsPath, journal: journalPath, exitCode: 0, message: nil)
        if let runError {
            s.exitCode = RunExit.runFailed.rawValue
            s.message = "run failed: \(runError)"
            s.untouchedResultLines = PipelineRunner.countLines(resultsPath)
            s.untouchedErrorLines = PipelineRunner.countLines(errorsPath)
        } else {
            s.exitCode = lines.errors > 0 ? RunExit.documentsFailed.rawValue : RunExit.ok.rawValue
        }
        return s
    }

    /// Lines (newlines) in a file, read in chunks; nil when it does not exist or cannot be read.
    static func countLines(_ path: String) -> Int? {
        let fd = RawPath.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        var n = 0
        while true {
            guard let got = try? Posix.read(fd, into: &buf, path: path) else { return nil }
            if got == 0 { return n }
            for i in 0..<got where buf[i] == 0x0A { n += 1 }
        }
    }

    /// Takes an exclusive lock beside the journal so two runs never share its outputs
    /// (released by `unlock`, or by the kernel when the process ends, kill -9 included).
    static func lockJournal(_ journalPath: String) throws -> FileLock {
        let path = journalPath + ".lock"
        do {
            return try FileLock(path: path)
        } catch let e as ErrnoError where e.wouldBlock {
            throw WenshuError(.journal.locked, "another run is using this journal and its outputs; wait for it or use other outputs",
                              stage: .journal, path: journalPath)
        } catch let e as ErrnoError {
            throw WenshuError(.journal.lock, "cannot create the lock file", stage: .journal, errno: e)
        }
    }

    /// Creates the folder of an output path and checks that a file can be written there.
    static func prepareOutput(_ path: String) throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw WenshuError(.output.folder, "cannot create the output folder", stage: .output, path: dir).caused(by: error)
        }
        let probe = path + ".probe"
        let w = try LineWriter(path: probe, append: false)
        _ = w
        try? FileManager.default.removeItem(atPath: probe)
    }
}

/// Thread-safe counters shared by the reader and the writer.
final class Counters: @unchecked Sendable {
    struct Snapshot { var seen = 0, succeeded = 0, failed = 0, skippedDone = 0, exhausted = 0, filtered = 0 }
    private var s = Snapshot()
    private let lock = NSLock()
    func add(seen: Int = 0, succeeded: Int = 0, failed: Int = 0, skippedDone: Int = 0, exhausted: Int = 0, filtered: Int = 0) {
        lock.lock()
        s.seen += seen; s.succeeded += succeeded; s.failed += failed
        s.skippedDone += skippedDone; s.exhausted += exhausted; s.filtered += filtered
        lock.unlock()
    }
    func snapshot() -> Snapshot { lock.lock(); defer { lock.unlock() }; return s }
}

extension JSONEncoder {
    /// Pretty, sorted output for summaries.
    static func wenshuPretty() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return e
    }
}

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
        let startDate = Date()
        // Past `ulimit -f` a write fails with EFBIG and is reported, instead of SIGXFSZ
        // ending the process without a word.
        signal(SIGXFSZ, SIG_IGN)
        for p in [resultsPath, errorsPath, summaryPath, journalPath] { try PipelineRunner.prepareOutput(p) }
        let lock = try PipelineRunner.lockJournal(journalPath)
        defer { close(lock) }
        BLASThreads.set(1)
        let processor = try DocumentProcessor(spec: spec)
        let modelVersion = processor.modelInfo.map { "\($0.name)@\($0.version)" } ?? "none"
        let journal = try Journal(path: journalPath, fingerprint: spec.fingerprint, modelVersion: modelVersion)
        let store = try PartStore(folder: journalPath + ".parts")
        if options.fresh { try journal.reset() }
        let discarded = store.discardUncommitted(committed: try journal.committedParts())
        if discarded > 0 { logger.info("discarded \(discarded) uncommitted part file(s) from an interrupted run") }
        let inflight = try InFlightMarkers(journalPath: journalPath)
        let crashedKeys = inflight.collect()
        if !crashedKeys.isEmpty {
            try journal.recordCrashes(crashedKeys)
            logger.warning("the last run died while processing \(crashedKeys.count) document(s); each is now processed alone, and written to the errors as `crashed` after \(spec.resolvedRetries + 1) crashes")
        }
        let crashCounts = try journal.crashCounts()
        // Fail point (debug builds only): a document whose text holds this marker kills the process.
        let crashMarker = FailPoints.value("document.crash_marker")
        let runId = try journal.beginRun()

        let inputs = InputFiles(paths: spec.inputs.paths, globs: spec.inputs.globs ?? [], exclude: spec.inputs.exclude ?? [],
                                followSymlinks: spec.inputs.followSymlinks ?? false)
        let census = inputs.census()
        let name = spec.name ?? "pipeline"
        logger.info("run \(runId) of \(name): \(census.files) input files, \(census.bytes) bytes, \(spec.resolvedWorkers) workers, fingerprint \(spec.fingerprint), model \(modelVersion)\(options.shard.map { ", shard \($0)" } ?? "")")
        let progress = ProgressReporter(label: name, mode: options.progress, totalBytes: census.bytes,
                                        logInterval: spec.resolvedLogInterval, logger: logger)

        let counters = Counters()
        let ingest = IngestService(options: spec.resolvedIngestOptions)
        let formats = spec.inputs.formats.map(Set.init)
        let batchSize = spec.resolvedBatchSize
        let retries = spec.resolvedRetries
        let shard = options.shard
        let limit = options.limit

        let engine = BatchEngine<WorkItem, WorkOutcome>(workers: spec.resolvedWorkers, capacity: spec.resolvedQueueBatches)
        var seq = 0
        var runError: Error?
        do {
            try engine.run(produce: { submit in
                var batch = [WorkItem]()
                var work = 0
                var taken = 0
                struct LimitReached: Error {}
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
                func flush() throws {
                    if !batch.isEmpty { try submit(batch); batch.removeAll(keepingCapacity: true); work = 0 }
                }
                func decide(key: String) throws -> (skip: Bool, attempts: Int) {
                    guard let e = try journal.entry(key: key) else { return (false, 0) }
                    switch e.status {
                    case .done: counters.add(skippedDone: 1); return (true, e.attempts)
                    case .failed:
                        if e.attempts > retries { counters.add(exhausted: 1); return (true, e.attempts) }
                        return (false, e.attempts)
                    }
                }
                do {
                    try inputs.forEach { entry in
                        switch entry {
                        case let .failure(err):
                            let key = DocumentKey.ofFailure(path: err.path ?? "", sha256: nil, line: nil)
                            if let shard, !shard.contains(key) { counters.add(filtered: 1); return }
                            counters.add(seen: 1)
                            let d = try decide(key: key)
                            let rec = ErrorRecord(source: .init(path: err.path ?? ""), error: err)
                            try add(d.skip ? .skipped(key: key) : .failure(rec, key: key, attempts: d.attempts))
                        case let .success(path):
                            var fileSHA: String??
                            let bytes = Int64(RawPath.statOf(path)?.st_size ?? 0)
                            try ingest.forEachDocument(atPath: path) { r in
                                switch r {
                                case let .success(doc):
                                    if let formats, !formats.contains(doc.source.format) { counters.add(filtered: 1); return }
                                    if let shard, !shard.contains(doc.id) { counters.add(filtered: 1); return }
                                    counters.add(seen: 1)
                                    let key = DocumentKey.of(doc)
                                    let d = try decide(key: key)
                                    let crashes = crashCounts[key] ?? 0
                                    if d.skip {
                                        try add(.skipped(key: key))
                                    } else if crashes > retries {
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
                                case let .failure(err):
                                    let sha: String? = fileSHA ?? DocumentKey.fileSHA256(path)
                                    fileSHA = .some(sha)
                                    let line = err.location?.line
                                    let key = DocumentKey.ofFailure(path: path, sha256: sha, line: line)
                                    if let shard, !shard.contains("\(path):\(line ?? 0)") { counters.add(filtered: 1); return }
                                    counters.add(seen: 1)
                                    let d = try decide(key: key)
                                    let rec = ErrorRecord(source: .init(path: path, sha256: sha, bytes: Int(bytes), line: line),
                                                          error: err.at(path: path))
                                    try add(d.skip ? .skipped(key: key) : .failure(rec, key: key, attempts: d.attempts))
                                }
                            }
                            try add(.credit(bytes))
                        }
                    }
                } catch is LimitReached {}
                if !batch.isEmpty { try submit(batch) }
            }, work: { items in
                let keys = items.compactMap { item -> String? in
                    if case let .document(_, key, _) = item { return key } else { return nil }
                }
                let marker = inflight.mark(keys)
                if let crashMarker, items.contains(where: { if case let .document(d, _, _) = $0 { return d.text.contains(crashMarker) } else { return false } }) {
                    kill(getpid(), SIGKILL)
                }
                let out = WorkOutcome.make(items, processor: processor)
                inflight.clear(marker)
                return out
            }, consume: { outcomes in
                var results = [[UInt8]](), errors = [[UInt8]]()
                var marks = [Journal.Mark](), seen = [String]()
                var credit: Int64 = 0
                for o in outcomes {
                    switch o {
                    case let .result(line, key, id, path, attempts):
                        marks.append(.init(key: key, id: id, path: path, status: .done, attempts: attempts, partLine: results.count))
                        results.append(line)
                    case let .failure(line, key, id, path, attempts, code):
                        marks.append(.init(key: key, id: id, path: path, status: .failed, attempts: attempts,
                                           partLine: errors.count, code: code))
                        errors.append(line)
                    case let .skipped(key):
                        seen.append(key)
                    case let .credit(n):
                        credit += n
                    }
                }
                let part = PartStore.name(runId: runId, seq: seq)
                if !results.isEmpty || !errors.isEmpty { try store.write(part: part, results: results, errors: errors) }
                try journal.commit(part: part, runId: runId, seq: seq, results: results.count, errors: errors.count,
                                   marks: marks, seen: seen)
                seq += 1
                counters.add(succeeded: results.count, failed: errors.count)
                progress.add(done: results.count, failed: errors.count, skipped: seen.count, bytes: credit)
            })
        } catch {
            runError = error
        }
        progress.finish()

        var summary = RunSummary(pipeline: name, specPath: specPath, started: Journal.now(), finished: "", seconds: 0,
                                 workers: spec.resolvedWorkers, batchSize: batchSize, shard: options.shard?.description,
                                 fingerprint: spec.fingerprint, model: processor.modelInfo, documentsSeen: 0, processed: 0,
                                 succeeded: 0, failed: 0, skippedDone: 0, skippedExhausted: 0, filteredOut: 0,
                                 resultLines: 0, errorLines: 0, documentsPerSecond: 0, results: resultsPath,
                                 errors: errorsPath, journal: journalPath, exitCode: 0, message: nil)
        summary.started = ISO8601DateFormatter().string(from: startDate)
        let c = counters.snapshot()
        summary.documentsSeen = c.seen; summary.succeeded = c.succeeded; summary.failed = c.failed
        summary.processed = c.succeeded + c.failed; summary.skippedDone = c.skippedDone
        summary.skippedExhausted = c.exhausted; summary.filteredOut = c.filtered

        if runError == nil {
            do {
                summary.resultLines = try store.assemble(into: resultsPath, errorsSide: false) { emit in
                    try journal.forEachSeen(runId: runId, status: .done, emit)
                }
                summary.errorLines = try store.assemble(into: errorsPath, errorsSide: true) { emit in
                    try journal.forEachSeen(runId: runId, status: .failed, emit)
                }
                if limit == nil { try journal.forgetUnseen(runId: runId) }
                for p in try journal.dropUnreferencedParts() { store.remove(part: p) }
            } catch {
                runError = error
            }
        }
        let seconds = Date().timeIntervalSince(startDate)
        summary.finished = ISO8601DateFormatter().string(from: Date())
        summary.seconds = (seconds * 1000).rounded() / 1000
        summary.documentsPerSecond = seconds > 0 ? (Double(summary.processed) / seconds * 10).rounded() / 10 : 0
        if let runError {
            summary.exitCode = RunExit.runFailed.rawValue
            summary.message = "run failed: \(runError)"
            summary.untouchedResultLines = PipelineRunner.countLines(resultsPath)
            summary.untouchedErrorLines = PipelineRunner.countLines(errorsPath)
        } else {
            summary.exitCode = summary.errorLines > 0 ? RunExit.documentsFailed.rawValue : RunExit.ok.rawValue
        }
        try? journal.finishRun(runId, status: runError == nil ? "finished" : "failed")
        if let data = try? JSONEncoder.wenshuPretty().encode(summary) {
            try? (data + Data("\n".utf8)).write(to: URL(fileURLWithPath: summaryPath), options: .atomic)
        }
        if let runError {
            let w = runError as? WenshuError ?? WenshuError(.run.failed, "\(runError)", stage: .output)
            throw RunFailure(error: w, summary: summary)
        }
        return summary
    }

    /// Lines (newlines) in a file, read in chunks; nil when it does not exist.
    static func countLines(_ path: String) -> Int? {
        let fd = RawPath.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        var n = 0
        while true {
            let got = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { return n }
            for i in 0..<got where buf[i] == 0x0A { n += 1 }
        }
    }

    /// Takes an exclusive lock beside the journal so two runs never share its outputs;
    /// returns the descriptor holding it (released on close or process exit, kill -9 included).
    static func lockJournal(_ journalPath: String) throws -> Int32 {
        let path = journalPath + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw WenshuError(.journal.lock, "cannot create the lock file: \(String(cString: strerror(errno)))",
                              stage: .journal, path: path)
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw WenshuError(.journal.locked, "another run is using this journal and its outputs; wait for it or use other outputs",
                              stage: .journal, path: journalPath)
        }
        return fd
    }

    /// Creates the folder of an output path and checks that a file can be written there.
    static func prepareOutput(_ path: String) throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw WenshuError(.output.folder, "cannot create the output folder", stage: .output, path: dir,
                              cause: error.localizedDescription)
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

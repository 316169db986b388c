import Foundation
import Logging
import WenshuCore

/// The books of one batch run: the journal, its committed parts and the in-flight markers.
///
/// - `init` opens them, forgets everything on `--fresh`, deletes the part files of an
///   interrupted commit, counts a crash for each document a dead run left in flight, and
///   begins a run;
/// - `commit` writes one batch's lines as a part and records it in one journal transaction
///   (the exactly-once protocol of `PartStore`);
/// - `assemble` rebuilds the results and errors files from the committed parts of every
///   document this run saw; `prune` then forgets what left the inputs and drops parts no
///   document refers to; `finish` records how the run ended.
final class RunLedger {
    let journal: Journal
    let store: PartStore
    let inflight: InFlightMarkers
    let runId: Int64
    /// How often each key killed a run (documents in flight when a run died).
    let crashCounts: [String: Int]
    private var seq = 0

    /// What one committed batch held.
    struct Committed { var results = 0, errors = 0, skipped = 0, bytes: Int64 = 0 }

    init(journalPath: String, fingerprint: String, modelVersion: String, fresh: Bool, retries: Int, logger: Logger) throws {
        journal = try Journal(path: journalPath, fingerprint: fingerprint, modelVersion: modelVersion)
        store = try PartStore(folder: journalPath + ".parts")
        if fresh { try journal.reset() }
        let discarded = store.discardUncommitted(committed: try journal.committedParts())
        if discarded > 0 { logger.info("discarded \(discarded) uncommitted part file(s) from an interrupted run") }
        inflight = try InFlightMarkers(journalPath: journalPath)
        let crashedKeys = inflight.collect()
        if !crashedKeys.isEmpty {
            try journal.recordCrashes(crashedKeys)
            logger.warning("the last run died while processing \(crashedKeys.count) document(s); each is now processed alone, and written to the errors as `crashed` after \(retries + 1) crashes")
        }
        crashCounts = try journal.crashCounts()
        runId = try journal.beginRun()
    }

    /// The journal's state of a key (nil: never seen under this fingerprint and model).
    func entry(key: String) throws -> Journal.Entry? { try journal.entry(key: key) }

    /// Writes a batch's outcomes as one part and commits it with the marks of its documents.
    func commit(_ outcomes: [WorkOutcome]) throws -> Committed {
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
        return Committed(results: results.count, errors: errors.count, skipped: seen.count, bytes: credit)
    }

    /// Rebuilds the results and errors files from the committed parts of every document
    /// this run saw, in input order; returns the lines of each.
    func assemble(results: String, errors: String) throws -> (results: Int, errors: Int) {
        let r = try store.assemble(into: results, errorsSide: false) { emit in
            try journal.forEachSeen(runId: runId, status: .done, emit)
        }
        let e = try store.assemble(into: errors, errorsSide: true) { emit in
            try journal.forEachSeen(runId: runId, status: .failed, emit)
        }
        return (r, e)
    }

    /// Forgets documents this run did not see (only after a run that saw all its inputs)
    /// and deletes the parts no document refers to any more.
    func prune(sawAllInputs: Bool) throws {
        if sawAllInputs { try journal.forgetUnseen(runId: runId) }
        for p in try journal.dropUnreferencedParts() { store.remove(part: p) }
    }

    /// Records how the run ended (best effort: the outputs are already written).
    func finish(failed: Bool) {
        try? journal.finishRun(runId, status: failed ? "failed" : "finished")
    }
}

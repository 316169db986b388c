import Foundation
import GRDB
import WenshuCore

/// The run journal: a SQLite file (GRDB) that records, for every document, whether it
/// is done or failed under a given pipeline fingerprint and model version, and in which
/// committed part file its line lives.
///
/// A document's key is `sha256-of-file:record-line:id`, so a changed file (new hash)
/// is a new document, and a new pipeline fingerprint or model version is a new row:
/// both are processed again. A part (one batch of result and error lines) counts only
/// once its row is in `parts`; the row and the batch's document rows are written in
/// one transaction, after the part files were flushed to disk (see `PartStore`).
public final class Journal: @unchecked Sendable {
    public let path: String
    let db: DatabaseQueue
    /// The pipeline fingerprint and model version rows are read and written under.
    public let fingerprint: String
    public let modelVersion: String

    /// A document's state in the journal.
    public struct Entry: Sendable, Equatable {
        public var status: Status
        public var attempts: Int
        public var part: String
        public var partLine: Int
    }
    public enum Status: String, Sendable { case done, failed }

    /// What a committed batch says about one document.
    public struct Mark: Sendable {
        public var key: String
        public var id: String
        public var path: String
        public var status: Status
        public var attempts: Int
        /// 0-based line in the part's results (done) or errors (failed) file.
        public var partLine: Int
        public var code: String?
        public init(key: String, id: String, path: String, status: Status, attempts: Int, partLine: Int, code: String? = nil) {
            self.key = key; self.id = id; self.path = path; self.status = status; self.attempts = attempts
            self.partLine = partLine; self.code = code
        }
    }

    /// Opens (creating) the journal at `path`.
    public init(path: String, fingerprint: String, modelVersion: String) throws {
        self.path = path; self.fingerprint = fingerprint; self.modelVersion = modelVersion
        do {
            var config = Configuration()
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            config.busyMode = .timeout(10)
            db = try DatabaseQueue(path: path, configuration: config)
            try Journal.schema.prepare(db, path: path)
        } catch let e as WenshuError {
            throw e
        } catch {
            throw WenshuError(.journal.open, "cannot open the journal", stage: .journal, path: path).caused(by: error)
        }
    }

    /// The run journal's tables (migration `v1`; `IF NOT EXISTS` adopts journals made
    /// before migrations were recorded). See `JournalSchema`.
    static let schema = JournalSchema.v1(kind: "run journal", sql: """
                    CREATE TABLE IF NOT EXISTS runs(
                        id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL, finished TEXT,
                        fingerprint TEXT NOT NULL, model_version TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'running');
                    CREATE TABLE IF NOT EXISTS parts(
                        name TEXT PRIMARY KEY, run_id INTEGER NOT NULL, seq INTEGER NOT NULL,
                        results INTEGER NOT NULL, errors INTEGER NOT NULL, committed TEXT NOT NULL);
                    CREATE TABLE IF NOT EXISTS docs(
                        key TEXT NOT NULL, fingerprint TEXT NOT NULL, model_version TEXT NOT NULL,
                        doc_id TEXT NOT NULL, path TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
                        part TEXT NOT NULL, part_line INTEGER NOT NULL, error_code TEXT, seen_run INTEGER NOT NULL,
                        updated TEXT NOT NULL,
                        PRIMARY KEY(key, fingerprint, model_version));
                    CREATE INDEX IF NOT EXISTS docs_seen ON docs(seen_run, status, part, part_line);
                    CREATE INDEX IF NOT EXISTS docs_part ON docs(part);
                    CREATE TABLE IF NOT EXISTS crashes(key TEXT PRIMARY KEY, count INTEGER NOT NULL, updated TEXT NOT NULL);
        """)

    /// The schema version this binary writes and reads (`PRAGMA user_version`).
    public static var schemaVersion: Int { schema.version }

    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }

    func guarded<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as WenshuError { throw e } catch {
            throw WenshuError(.journal.io, "journal \(what) failed", stage: .journal, path: path).caused(by: error)
        }
    }

    /// Records the start of a run and returns its id.
    public func beginRun() throws -> Int64 {
        try guarded("begin") {
            try db.write { db in
                try db.execute(sql: "INSERT INTO runs(started, fingerprint, model_version) VALUES (?, ?, ?)",
                               arguments: [Journal.now(), fingerprint, modelVersion])
                return db.lastInsertedRowID
            }
        }
    }

    /// Records how a run ended.
    public func finishRun(_ id: Int64, status: String) throws {
        try guarded("finish") {
            try db.write { db in
                try db.execute(sql: "UPDATE runs SET finished = ?, status = ? WHERE id = ?",
                               arguments: [Journal.now(), status, id])
            }
        }
    }

    /// The state of a document under this fingerprint and model version.
    public func entry(key: String) throws -> Entry? {
        try guarded("lookup") {
            try db.read { db in
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT status, attempts, part, part_line FROM docs
                    WHERE key = ? AND fingerprint = ? AND model_version = ?
                    """, arguments: [key, fingerprint, modelVersion]) else { return nil }
                let status: String = row["status"]
                return Entry(status: Status(rawValue: status) ?? .failed, attempts: row["attempts"],
                             part: row["part"], partLine: row["part_line"])
            }
        }
    }

    /// Commits one part: its row, the rows of the documents it holds, and the documents
    /// seen but skipped in this batch, in one transaction.
    public func commit(part: String, runId: Int64, seq: Int, results: Int, errors: Int,
                       marks: [Mark], seen: [String]) throws {
        try guarded("commit") {
            try db.write { db in
                let now = Journal.now()
                if results + errors > 0 {
                    try db.execute(sql: "INSERT INTO parts(name, run_id, seq, results, errors, committed) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [part, runId, seq, results, errors, now])
                }
                for m in marks {
                    try db.execute(sql: """
                        INSERT OR REPLACE INTO docs(key, fingerprint, model_version, doc_id, path, status, attempts,
                                                    part, part_line, error_code, seen_run, updated)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [m.key, fingerprint, modelVersion, m.id, m.path, m.status.rawValue, m.attempts,
                                         part, m.partLine, m.code, runId, now])
                }
                for k in seen {
                    try db.execute(sql: "UPDATE docs SET seen_run = ? WHERE key = ? AND fingerprint = ? AND model_version = ?",
                                   arguments: [runId, k, fingerprint, modelVersion])
                }
            }
        }
    }

    /// Names of every committed part.
    public func committedParts() throws -> Set<String> {
        try guarded("read parts") {
            try db.read { db in Set(try String.fetchAll(db, sql: "SELECT name FROM parts")) }
        }
    }

    /// Calls `body(part, line)` for every document seen in `runId` with `status`,
    /// ordered by part and line (the order the run produced them).
    public func forEachSeen(runId: Int64, status: Status, _ body: (String, Int) throws -> Void) throws {
        try guarded("read documents") {
            try db.read { db in
                let cursor = try Row.fetchCursor(db, sql: """
                    SELECT part, part_line FROM docs WHERE seen_run = ? AND status = ? AND fingerprint = ? AND model_version = ?
                    ORDER BY part, part_line
                    """, arguments: [runId, status.rawValue, fingerprint, modelVersion])
                while let row = try cursor.next() { try body(row["part"], row["part_line"]) }
            }
        }
    }

    /// Counts of documents seen in a run, by status.
    public func seenCounts(runId: Int64) throws -> (done: Int, failed: Int) {
        try guarded("count") {
            try db.read { db in
                let done = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM docs WHERE seen_run = ? AND status = 'done' AND fingerprint = ? AND model_version = ?",
                                            arguments: [runId, fingerprint, modelVersion]) ?? 0
                let failed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM docs WHERE seen_run = ? AND status = 'failed' AND fingerprint = ? AND model_version = ?",
                                              arguments: [runId, fingerprint, modelVersion]) ?? 0
                return (done, failed)
            }
        }
    }

    /// Forgets documents not seen in `runId` (gone from the inputs) and rows of other
    /// pipeline fingerprints or model versions, so that their parts can be pruned.
    /// Called only after a run that saw all of its inputs.
    public func forgetUnseen(runId: Int64) throws {
        try guarded("forget") {
            try db.write { db in
                try db.execute(sql: "DELETE FROM docs WHERE seen_run <> ? OR fingerprint <> ? OR model_version <> ?",
                               arguments: [runId, fingerprint, modelVersion])
            }
        }
    }

    /// Deletes the rows of parts no document refers to any more and returns their names
    /// (the caller then deletes the files; a crash in between leaves files that the next
    /// start removes as uncommitted).
    public func dropUnreferencedParts() throws -> [String] {
        try guarded("prune") {
            try db.write { db in
                let names = try String.fetchAll(db, sql: "SELECT name FROM parts WHERE name NOT IN (SELECT DISTINCT part FROM docs)")
                try db.execute(sql: "DELETE FROM parts WHERE name NOT IN (SELECT DISTINCT part FROM docs)")
                return names
            }
        }
    }

    static let crashTable = CrashCountTable(table: "crashes", keyColumn: "key", timeColumn: "updated", now: { Journal.now() })

    /// Counts one more crash for each key: the documents that were being processed when
    /// a run died (found in the in-flight markers at the next start).
    public func recordCrashes(_ keys: [String]) throws {
        guard !keys.isEmpty else { return }
        try guarded("record crashes") {
            try db.write { db in
                try Journal.crashTable.record(keys, in: db)
            }
        }
    }

    /// Every key with its crash count (the table is small: only documents in flight at a crash).
    public func crashCounts() throws -> [String: Int] {
        try guarded("crash lookup") {
            try db.read { db in try Journal.crashTable.counts(in: db) }
        }
    }

    /// How many runs died while this document was being processed.
    public func crashCount(key: String) throws -> Int {
        try guarded("crash lookup") {
            try db.read { db in try Int.fetchOne(db, sql: "SELECT count FROM crashes WHERE key = ?", arguments: [key]) ?? 0 }
        }
    }

    /// Forgets everything (`--fresh`).
    public func reset() throws {
        try guarded("reset") {
            try db.write { db in
                try db.execute(sql: "DELETE FROM docs; DELETE FROM parts; DELETE FROM crashes;")
            }
        }
    }
}

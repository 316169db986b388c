import Foundation
import GRDB
import WenshuCore

/// One file's row in the watch journal.
public struct WatchJournalRow: Sendable, Equatable {
    public enum State: String, Sendable { case writing, done, failed }
    public var sha256: String
    public var path: String
    public var size: Int
    public var mtimeNs: Int64
    public var state: State
    /// Order of the row inside its batch (byte order in both streams).
    public var seq: Int
    public var resultFile: String
    public var resultOffset: Int
    public var resultLength: Int
    public var resultHash: String
    public var errorFile: String
    public var errorOffset: Int
    public var errorLength: Int
    public var errorHash: String
    /// The ids of the lines written, in order (for reports and crash diagnosis).
    public var ids: [String]
    public var results: Int
    public var errors: Int
    public var disposedTo: String?
}

/// The watched inbox's SQLite journal (GRDB): one row per file content (SHA-256),
/// written in two transactions around the output append: `writing` with the exact
/// byte ranges and hashes the file's lines will occupy in the results and errors
/// files, then `done`/`failed` once those bytes are fsynced. See `InboxWatcher`
/// for the crash windows this covers.
public final class WatchJournal {
    let db: DatabaseQueue
    public let path: String

    /// The watch journal's tables (migration `v1`; `IF NOT EXISTS` adopts journals made
    /// before migrations were recorded). See `JournalSchema`.
    static let schema = JournalSchema.v1(kind: "watch journal", sql: """
                    CREATE TABLE IF NOT EXISTS watch_files (
                      sha256 TEXT PRIMARY KEY, path TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                      state TEXT NOT NULL, seq INTEGER NOT NULL,
                      result_file TEXT NOT NULL, result_offset INTEGER NOT NULL, result_length INTEGER NOT NULL,
                      result_hash TEXT NOT NULL,
                      error_file TEXT NOT NULL, error_offset INTEGER NOT NULL, error_length INTEGER NOT NULL,
                      error_hash TEXT NOT NULL,
                      ids TEXT NOT NULL, results INTEGER NOT NULL, errors INTEGER NOT NULL,
                      disposed_to TEXT, pipeline_version TEXT NOT NULL, updated_at REAL NOT NULL);
                    CREATE INDEX IF NOT EXISTS watch_files_path ON watch_files(path);
                    CREATE INDEX IF NOT EXISTS watch_files_state ON watch_files(state);
                    CREATE TABLE IF NOT EXISTS watch_crashes (
                      sha256 TEXT PRIMARY KEY, count INTEGER NOT NULL, updated_at REAL NOT NULL);
        """)

    /// The schema version this binary writes and reads (`PRAGMA user_version`).
    public static var schemaVersion: Int { schema.version }

    /// Opens (creating) the watch journal at `path`; a journal from a newer Wenshu is
    /// refused (`journal.version`).
    public init(path: String) throws {
        self.path = path
        do {
            var config = Configuration()
            config.prepareDatabase { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            db = try DatabaseQueue(path: path, configuration: config)
            try WatchJournal.schema.prepare(db, path: path)
        } catch let e as WenshuError {
            throw e
        } catch {
            throw WenshuError(.journal.open, "cannot open the watch journal", stage: .journal, path: path).caused(by: error)
        }
    }

    static let crashTable = CrashCountTable(table: "watch_crashes", keyColumn: "sha256", timeColumn: "updated_at",
                                            now: { Date().timeIntervalSince1970 })

    /// Counts one more crash for each content hash (files being processed when a watcher died).
    public func recordCrashes(_ shas: [String]) throws {
        guard !shas.isEmpty else { return }
        try wrap("recording crashes") {
            try db.write { db in
                try WatchJournal.crashTable.record(shas, in: db)
            }
        }
    }

    /// Crash counts by content hash.
    public func crashCounts() throws -> [String: Int] {
        try wrap("reading crashes") {
            try db.read { db in try WatchJournal.crashTable.counts(in: db) }
        }
    }

    private func wrap<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as WenshuError { throw e } catch {
            throw WenshuError(.journal.io, "\(what) failed", stage: .journal, path: path).caused(by: error)
        }
    }

    private static func row(_ r: Row) -> WatchJournalRow {
        let idsText: String = r["ids"]
        let ids = (try? JSONDecoder().decode([String].self, from: Data(idsText.utf8))) ?? []
        return WatchJournalRow(
            sha256: r["sha256"], path: r["path"], size: r["size"], mtimeNs: r["mtime_ns"],
            state: WatchJournalRow.State(rawValue: r["state"]) ?? .writing, seq: r["seq"],
            resultFile: r["result_file"], resultOffset: r["result_offset"], resultLength: r["result_length"],
            resultHash: r["result_hash"], errorFile: r["error_file"], errorOffset: r["error_offset"],
            errorLength: r["error_length"], errorHash: r["error_hash"], ids: ids,
            results: r["results"], errors: r["errors"], disposedTo: r["disposed_to"])
    }

    /// The row for a content hash, if any.
    public func row(sha256: String) throws -> WatchJournalRow? {
        try wrap("lookup") {
            try db.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM watch_files WHERE sha256 = ?", arguments: [sha256]).map(WatchJournal.row)
            }
        }
    }

    /// Whether a finished row records this exact file (path, size, mtime): lets `keep`
    /// mode skip files without hashing them again.
    public func isFinished(path: String, size: Int, mtimeNs: Int64) throws -> Bool {
        try wrap("lookup") {
            try db.read { db in
                try Bool.fetchOne(db, sql: """
                    SELECT EXISTS(SELECT 1 FROM watch_files WHERE path = ? AND size = ? AND mtime_ns = ?
                                  AND state IN ('done','failed'))
                    """, arguments: [path, size, mtimeNs]) ?? false
            }
        }
    }

    /// Rows left in `writing` by a crash, in batch order.
    public func writingRows() throws -> [WatchJournalRow] {
        try wrap("lookup") {
            try db.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM watch_files WHERE state = 'writing' ORDER BY seq").map(WatchJournal.row)
            }
        }
    }

    /// Counts by state.
    public func counts() throws -> [String: Int] {
        try wrap("count") {
            try db.read { db in
                var out: [String: Int] = [:]
                for r in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM watch_files GROUP BY state") {
                    out[r["state"]] = r["n"]
                }
                return out
            }
        }
    }

    /// Transaction 1: records the batch's intended byte ranges, state `writing`. This one
    /// commits with `synchronous = FULL` (fsync of the WAL): it must be on disk before any
    /// output byte is, or a power cut could leave lines the journal never heard of. The
    /// other transactions run with `NORMAL` (WAL order is kept; a lost one is redone by
    /// `InboxWatcher.recover()` or by the next scan).
    public func recordIntent(_ rows: [WatchJournalRow], pipelineVersion: String) throws {
        try wrap("recording intent") {
            try db.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                defer { try? db.execute(sql: "PRAGMA synchronous = NORMAL") }
                try db.inTransaction(.immediate) {
                    try insert(rows, pipelineVersion: pipelineVersion, db)
                    return .commit
                }
            }
        }
    }

    private func insert(_ rows: [WatchJournalRow], pipelineVersion: String, _ db: Database) throws {
        let now = Date().timeIntervalSince1970
        for r in rows {
            let ids = String(decoding: try JSONEncoder().encode(r.ids), as: UTF8.self)
            try db.execute(sql: """
                INSERT OR REPLACE INTO watch_files (sha256, path, size, mtime_ns, state, seq, result_file,
                  result_offset, result_length, result_hash, error_file, error_offset, error_length, error_hash,
                  ids, results, errors, disposed_to, pipeline_version, updated_at)
                VALUES (?, ?, ?, ?, 'writing', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
                """, arguments: [r.sha256, r.path, r.size, r.mtimeNs, r.seq, r.resultFile, r.resultOffset,
                                 r.resultLength, r.resultHash, r.errorFile, r.errorOffset, r.errorLength,
                                 r.errorHash, ids, r.results, r.errors, pipelineVersion, now])
        }
    }

    /// Transaction 2: the batch's bytes are durable; rows become `done` (any result) or `failed`.
    public func markCommitted(_ shas: [String]) throws {
        try wrap("committing") {
            try db.write { db in
                let now = Date().timeIntervalSince1970
                for s in shas {
                    try db.execute(sql: """
                        UPDATE watch_files SET state = CASE WHEN results > 0 THEN 'done' ELSE 'failed' END,
                          updated_at = ? WHERE sha256 = ? AND state = 'writing'
                        """, arguments: [now, s])
                }
            }
        }
    }

    /// Forgets rows whose output was rolled back (their files will be processed again).
    public func forget(_ shas: [String]) throws {
        try wrap("rolling back") {
            try db.write { db in
                for s in shas { try db.execute(sql: "DELETE FROM watch_files WHERE sha256 = ?", arguments: [s]) }
            }
        }
    }

    /// Records where files were moved (or that they were kept).
    public func recordDisposal(_ moves: [(sha256: String, to: String)]) throws {
        guard !moves.isEmpty else { return }
        try wrap("recording disposal") {
            try db.write { db in
                for m in moves {
                    try db.execute(sql: "UPDATE watch_files SET disposed_to = ? WHERE sha256 = ?", arguments: [m.to, m.sha256])
                }
            }
        }
    }
}

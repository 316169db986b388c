import Foundation
import GRDB
import XCTest
@testable import WenshuPipeline
import WenshuCore

/// Both journals are created through GRDB migrations with a recorded schema version: a file
/// from a newer schema is refused with its name and both versions; a file made before
/// migrations were recorded is adopted.
final class JournalSchemaTests: XCTestCase {
    private func tempFile(_ name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wenshu-journal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir + "/" + name
    }

    private func openRun(_ path: String) throws { _ = try Journal(path: path, fingerprint: "f", modelVersion: "m") }
    private func openWatch(_ path: String) throws { _ = try WatchJournal(path: path) }

    private func userVersion(_ path: String) throws -> Int {
        try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "PRAGMA user_version") ?? -1 }
    }

    private func migrations(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
    }

    private func assertRefusedAsNewer(_ open: (String) throws -> Void, _ path: String, mentions: [String],
                                      file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try open(path), file: file, line: line) { e in
            guard let w = e as? WenshuError else { return XCTFail("not a WenshuError: \(e)", file: file, line: line) }
            XCTAssertEqual(w.code, "journal.version", file: file, line: line)
            XCTAssertEqual(w.path, path, file: file, line: line)
            XCTAssertTrue(w.message.contains("newer version of wenshu"), w.message, file: file, line: line)
            XCTAssertTrue(w.message.contains("up to 1"), w.message, file: file, line: line)
            for m in mentions { XCTAssertTrue(w.message.contains(m), "\(m) not in: \(w.message)", file: file, line: line) }
        }
    }

    func testNewJournalsRecordTheirSchemaVersion() throws {
        for (open, name) in [(openRun, "run.sqlite"), (openWatch, "watch.sqlite")] as [((String) throws -> Void, String)] {
            let path = try tempFile(name)
            try open(path)
            try open(path) // a second open applies nothing and refuses nothing
            XCTAssertEqual(try userVersion(path), 1, name)
            XCTAssertEqual(try migrations(path), ["v1"], name)
        }
        XCTAssertEqual(Journal.schemaVersion, 1)
        XCTAssertEqual(WatchJournal.schemaVersion, 1)
    }

    /// A migration this binary does not know (as a newer wenshu would record it).
    func testAJournalWithAnUnknownMigrationIsRefused() throws {
        for (open, name) in [(openRun, "run.sqlite"), (openWatch, "watch.sqlite")] as [((String) throws -> Void, String)] {
            let path = try tempFile(name)
            try open(path)
            try DatabaseQueue(path: path).write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v2-future')")
                try db.execute(sql: "PRAGMA user_version = 2")
            }
            assertRefusedAsNewer(open, path, mentions: ["schema version 2", "v2-future"])
        }
    }

    /// Only `PRAGMA user_version` says the file is newer.
    func testAJournalWithAHigherUserVersionIsRefused() throws {
        for (open, name) in [(openRun, "run.sqlite"), (openWatch, "watch.sqlite")] as [((String) throws -> Void, String)] {
            let path = try tempFile(name)
            try open(path)
            try DatabaseQueue(path: path).write { try $0.execute(sql: "PRAGMA user_version = 9") }
            assertRefusedAsNewer(open, path, mentions: ["schema version 9"])
            XCTAssertEqual(try userVersion(path), 9, "a refused journal is left as it was")
        }
    }

    /// A run journal written before migrations were recorded (and before the `crashes`
    /// table existed): opened, its rows kept, the missing table added, v1 recorded.
    func testAnOldRunJournalIsAdopted() throws {
        let path = try tempFile("old-run.sqlite")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                CREATE TABLE runs(
                    id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL, finished TEXT,
                    fingerprint TEXT NOT NULL, model_version TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'running');
                CREATE TABLE parts(
                    name TEXT PRIMARY KEY, run_id INTEGER NOT NULL, seq INTEGER NOT NULL,
                    results INTEGER NOT NULL, errors INTEGER NOT NULL, committed TEXT NOT NULL);
                CREATE TABLE docs(
                    key TEXT NOT NULL, fingerprint TEXT NOT NULL, model_version TEXT NOT NULL,
                    doc_id TEXT NOT NULL, path TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
                    part TEXT NOT NULL, part_line INTEGER NOT NULL, error_code TEXT, seen_run INTEGER NOT NULL,
                    updated TEXT NOT NULL,
                    PRIMARY KEY(key, fingerprint, model_version));
                INSERT INTO docs VALUES ('k1', 'f', 'm', 'id1', 'a.txt', 'done', 1, 'part-0001', 3, NULL, 1, '2026-01-01');
                INSERT INTO parts VALUES ('part-0001', 1, 1, 1, 0, '2026-01-01');
                """)
        }
        let j = try Journal(path: path, fingerprint: "f", modelVersion: "m")
        XCTAssertEqual(try j.entry(key: "k1"), Journal.Entry(status: .done, attempts: 1, part: "part-0001", partLine: 3))
        XCTAssertEqual(try j.committedParts(), ["part-0001"])
        try j.recordCrashes(["k2"]) // the table v1 added
        XCTAssertEqual(try j.crashCount(key: "k2"), 1)
        XCTAssertEqual(try migrations(path), ["v1"])
        XCTAssertEqual(try userVersion(path), 1)
    }

    func testAnOldWatchJournalIsAdopted() throws {
        let path = try tempFile("old-watch.sqlite")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                CREATE TABLE watch_files (
                  sha256 TEXT PRIMARY KEY, path TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                  state TEXT NOT NULL, seq INTEGER NOT NULL,
                  result_file TEXT NOT NULL, result_offset INTEGER NOT NULL, result_length INTEGER NOT NULL,
                  result_hash TEXT NOT NULL,
                  error_file TEXT NOT NULL, error_offset INTEGER NOT NULL, error_length INTEGER NOT NULL,
                  error_hash TEXT NOT NULL,
                  ids TEXT NOT NULL, results INTEGER NOT NULL, errors INTEGER NOT NULL,
                  disposed_to TEXT, pipeline_version TEXT NOT NULL, updated_at REAL NOT NULL);
                INSERT INTO watch_files VALUES ('abc', 'a.txt', 5, 7, 'done', 0, 'r.jsonl', 0, 10, 'h1',
                  'e.jsonl', 0, 0, 'h2', '["a.txt"]', 1, 0, NULL, 'p1', 0);
                """)
        }
        let j = try WatchJournal(path: path)
        XCTAssertEqual(try j.row(sha256: "abc")?.state, .done)
        XCTAssertTrue(try j.isFinished(path: "a.txt", size: 5, mtimeNs: 7))
        try j.recordCrashes(["abc"])
        XCTAssertEqual(try j.crashCounts()["abc"], 1)
        XCTAssertEqual(try migrations(path), ["v1"])
        XCTAssertEqual(try userVersion(path), 1)
    }
}

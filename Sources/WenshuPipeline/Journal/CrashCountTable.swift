import Foundation
import GRDB

/// The crash counts both journals keep: how many processes died while an item (a document
/// key in the batch journal, a content hash in the watch journal) was being processed. One
/// row per item that was ever in flight at a crash, so the table stays small.
struct CrashCountTable: Sendable {
    /// Table name (`crashes`, `watch_crashes`).
    let table: String
    /// The key column (`key`, `sha256`).
    let keyColumn: String
    /// The time column (`updated`, `updated_at`) and the value written into it.
    let timeColumn: String
    let now: @Sendable () -> DatabaseValueConvertible

    /// Counts one more crash for each key.
    func record(_ keys: [String], in db: Database) throws {
        for k in keys {
            try db.execute(sql: """
                INSERT INTO \(table)(\(keyColumn), count, \(timeColumn)) VALUES (?, 1, ?)
                ON CONFLICT(\(keyColumn)) DO UPDATE SET count = count + 1, \(timeColumn) = excluded.\(timeColumn)
                """, arguments: [k, now()])
        }
    }

    /// Every key with its count.
    func counts(in db: Database) throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT \(keyColumn), count FROM \(table)") { out[row[keyColumn]] = row["count"] }
        return out
    }
}

import Foundation
import GRDB
import WenshuCore

/// The schema of one of Wenshu's SQLite journals (the run journal, the watch journal):
/// GRDB migrations (`DatabaseMigrator`, recorded in `grdb_migrations`) and the schema
/// version they bring the file to (`PRAGMA user_version`).
///
/// Opening a journal (`prepare`):
/// 1. a file that records a migration this binary does not know, or a `user_version` above
///    `version`, was written by a newer Wenshu: it is refused (`journal.version`), naming the
///    file, its version and this binary's, and nothing in it is changed;
/// 2. otherwise the missing migrations run. Migration `v1` creates the tables with
///    `IF NOT EXISTS`, so a journal written before migrations existed (tables present,
///    no `grdb_migrations`) is adopted as it is, and only a table it lacks is added.
///
/// A later schema change is a new migration (`v2`, registered after `v1`) that also raises
/// `version` and sets `user_version`.
struct JournalSchema {
    /// The journal's name in messages (`run journal`, `watch journal`).
    let kind: String
    /// The schema version this binary writes (`PRAGMA user_version` after the last migration).
    let version: Int
    /// The registered migrations, in order.
    let migrator: DatabaseMigrator

    /// A schema whose single migration `v1` runs `sql` (statements with `IF NOT EXISTS`)
    /// and sets `user_version` to 1.
    static func v1(kind: String, sql: String) -> JournalSchema {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: sql)
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        return JournalSchema(kind: kind, version: 1, migrator: m)
    }

    /// Refuses a journal from a newer schema, then applies the missing migrations.
    func prepare(_ queue: DatabaseQueue, path: String) throws {
        let (applied, userVersion) = try queue.read { db in
            (try migrator.appliedIdentifiers(db), try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0)
        }
        let known = migrator.migrations
        let unknown = applied.subtracting(known).sorted()
        if !unknown.isEmpty || userVersion > version {
            var found = userVersion > version ? "schema version \(userVersion)" : "a schema newer than version \(version)"
            if !unknown.isEmpty { found += " (migrations this binary does not know: \(unknown.joined(separator: ", ")))" }
            throw WenshuError(.journal.version,
                              "this \(kind) was written by a newer version of wenshu: it has \(found); this binary reads schema versions up to \(version) (migrations \(known.joined(separator: ", "))). Use a newer wenshu, or another journal file",
                              stage: .journal, path: path)
        }
        do {
            try migrator.migrate(queue)
        } catch {
            // Another process may have applied the same migration between our read and our
            // write (GRDB reads the applied list outside the migration's transaction): look again.
            guard try queue.read({ try migrator.hasCompletedMigrations($0) }) else { throw error }
        }
    }
}

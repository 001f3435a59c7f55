import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage
import Testing

@testable import LeadPoolStore

@Suite final class MigratorTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leadpool-store-\(UUID().uuidString)")

    init() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func freshDatabase() throws -> String {
        let path = directory.appendingPathComponent("test.db").path
        _ = try Store.create(path: path, firstAdmin: Rep(handle: "admin", name: "Admin", role: .admin, createdAt: Date()))
        return path
    }

    /// Changes the file behind leadpool's back, as a person with the sqlite3 shell would.
    func tamper(_ path: String, _ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { try $0.execute(sql: sql) }
        try queue.close()
    }

    func expectConfigurationError(_ path: String, containing text: String) {
        do {
            _ = try Store.open(path: path)
            Issue.record("expected a configuration error")
        } catch let error as LeadPoolError {
            #expect(error.kind == .configuration)
            #expect(error.exitCode == 78)
            #expect(error.message.contains(text), "\(error.message)")
            #expect(error.hint != nil)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func freshDatabaseHasEveryMigrationRecordedWithItsChecksum() throws {
        let store = try Store.open(path: try freshDatabase())
        let status = try store.migrationStatus()
        #expect(status.pending.isEmpty)
        #expect(status.applied.map(\.fileName) == embeddedMigrations.map(\.fileName))
        #expect(status.applied.first?.checksum == SHA256.hex(embeddedMigrations[0].sql))
    }

    @Test func databaseIsInWALModeWithForeignKeys() throws {
        let store = try Store.open(path: try freshDatabase())
        let (mode, foreignKeys) = try store.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(mode == "wal")
        #expect(foreignKeys == 1)
    }

    @Test func editedAppliedMigrationIsRefused() throws {
        let path = try freshDatabase()
        try tamper(path, "UPDATE leadpool_migrations SET checksum = 'abc123' WHERE version = 1")
        expectConfigurationError(path, containing: "was changed after it was applied")
    }

    @Test func databaseNewerThanTheBinaryIsRefused() throws {
        let path = try freshDatabase()
        let next = embeddedMigrations.count + 1
        try tamper(path, "INSERT INTO leadpool_migrations VALUES (\(next), '\(String(format: "%04d", next))_future.sql', 'x', 0)")
        expectConfigurationError(path, containing: "newer than this leadpool binary")
    }

    @Test func gapInAppliedMigrationsIsRefused() throws {
        let path = try freshDatabase()
        try #require(embeddedMigrations.count >= 2)
        try tamper(path, "DELETE FROM leadpool_migrations WHERE version = 1")
        expectConfigurationError(path, containing: "has a gap in its applied migrations")
    }

    @Test func pendingMigrationsRefuseOrdinaryOpensButNotMigrate() throws {
        let path = try freshDatabase()
        try tamper(path, "DELETE FROM leadpool_migrations")
        expectConfigurationError(path, containing: "needs \(embeddedMigrations.count) migration")
        // migrate may open it; re-applying 0001 on top of its own tables fails and changes nothing.
        let store = try Store.open(path: path, allowPending: true)
        #expect(try store.migrationStatus().pending.count == embeddedMigrations.count)
        #expect(throws: (any Error).self) { try store.migrate() }
        #expect(try store.migrationStatus().pending.count == embeddedMigrations.count, "a failed migration leaves no record")
    }

    @Test func gapsInTheCarriedMigrationsAreABug() throws {
        #expect(throws: LeadPoolError.self) {
            try Migrator.known([("0001_a.sql", "SELECT 1"), ("0003_c.sql", "SELECT 1")])
        }
        #expect(throws: LeadPoolError.self) { try Migrator.known([("first.sql", "SELECT 1")]) }
        #expect(try Migrator.known([("0002_b.sql", "SELECT 2"), ("0001_a.sql", "SELECT 1")]).map(\.version) == [1, 2])
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func embeddedMigrationsAreTheFilesInMigrations() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(files == embeddedMigrations.map(\.fileName))
        for (name, sql) in embeddedMigrations {
            #expect(try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) == sql)
        }
    }

    /// A database as an older binary left it: the first `version` migrations, and some data.
    func databaseAtVersion(_ version: Int) throws -> String {
        let path = directory.appendingPathComponent("old.db").path
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL; PRAGMA application_id = \(Store.applicationID)")
            try Migrator.createTable(db)
            for migration in try Migrator.known().prefix(version) {
                try db.execute(sql: migration.sql)
                try db.execute(
                    sql: "INSERT INTO leadpool_migrations VALUES (?, ?, ?, 0)",
                    arguments: [migration.version, migration.fileName, migration.checksum]
                )
            }
            try db.execute(
                sql: """
                    INSERT INTO reps (handle, name, role, created_at) VALUES ('admin', 'Admin', 'admin', 0), ('ann', 'Ann', 'rep', 0);
                    INSERT INTO leads (id, external_id, company, email_norm, domain, status, owner, claimed_at, created_at, attrs)
                        VALUES (1, '00QA', 'Acme', 'a@acme.example', 'acme.example', 'qualified', 'ann', 5, 1, '{"plan":"pro"}'),
                               (2, NULL, 'Beta', NULL, 'beta.example', 'open', NULL, NULL, 2, NULL);
                    INSERT INTO lead_tags VALUES (1, 'expo'), (2, 'vip');
                    INSERT INTO events (lead_id, at, actor, kind, to_owner) VALUES (1, 5, 'ann', 'claimed', 'ann'), (2, 2, 'admin', 'imported', NULL);
                    """
            )
        }
        try queue.close()
        return path
    }

    @Test func migration3KeepsEveryRowAndEveryRule() throws {
        let path = try databaseAtVersion(2)
        let dump = """
            SELECT 'lead', id, external_id, company, email_norm, domain, status, owner, claimed_at, created_at, attrs FROM leads
            UNION ALL SELECT 'tag', lead_id, tag, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM lead_tags
            UNION ALL SELECT 'event', id, lead_id, at, actor, kind, to_owner, NULL, NULL, NULL, NULL FROM events
            ORDER BY 1, 2
            """
        let before = try DatabaseQueue(path: path).read { try Row.fetchAll($0, sql: dump) }
        let store = try Store.open(path: path, allowPending: true)
        #expect(try store.migrate().map(\.version).first == 3)
        let (after, indexes, problems) = try store.read { db in
            (
                try Row.fetchAll(db, sql: dump),
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name"),
                try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") + (try Row.fetchAll(db, sql: "PRAGMA integrity_check"))
            )
        }
        #expect(after == before)
        #expect(problems.map { "\($0)" } == ["[integrity_check:\"ok\"]"])
        #expect(indexes.contains("leads_external_id") && indexes.contains("events_append_only_update") && indexes.contains("events_lead"))
        // The constraints hold as before: unique external ids, known statuses and kinds, append-only events, foreign keys.
        for sql in [
            "INSERT INTO leads (external_id, company, created_at) VALUES ('00QA', 'Copy', 3)",
            "UPDATE leads SET status = 'lost' WHERE id = 2",
            "INSERT INTO events (lead_id, at, actor, kind) VALUES (2, 3, 'admin', 'deleted')",
            "UPDATE events SET actor = 'x'",
            "INSERT INTO lead_tags VALUES (99, 'ghost')",
        ] {
            let error = #expect(throws: LeadPoolError.self, "\(sql)") { try store.write { try $0.execute(sql: sql) } }
            #expect(error?.message.contains("SQLite error 19") == true, "\(sql)")  // SQLITE_CONSTRAINT
        }
    }

    @Test func migration4AddsWhenAndWhoWroteEachEventAndKeepsEveryRow() throws {
        let path = try databaseAtVersion(3)
        // An event dated far ahead, as a rep could write before events recorded their wall clock.
        try tamper(path, "INSERT INTO events (lead_id, at, actor, kind) VALUES (1, 4102444800, 'ann', 'touched')")
        // Two claims in one day by a rep whose limit is 1 now: they did not keep the limit in force then.
        try tamper(
            path,
            """
            UPDATE reps SET daily_limit = 1 WHERE handle = 'ann';
            INSERT INTO events (lead_id, at, actor, kind, to_owner, detail) VALUES (1, 6, 'ann', 'claimed', 'ann', '{"capacity":3}')
            """
        )
        let dump = """
            SELECT 'rep', handle, name, role, NULL, NULL, NULL, NULL FROM reps
            UNION ALL SELECT 'lead', id, external_id, company, status, owner, claimed_at, attrs FROM leads
            UNION ALL SELECT 'tag', lead_id, tag, NULL, NULL, NULL, NULL, NULL FROM lead_tags
            UNION ALL SELECT 'event', id, lead_id, at, actor, kind, to_owner, detail FROM events
            ORDER BY 1, 2
            """
        let before = try DatabaseQueue(path: path).read { try Row.fetchAll($0, sql: dump) }
        let store = try Store.open(path: path, allowPending: true).recording(as: "admin")
        #expect(try store.migrate().map(\.version).first == 4)
        let (after, unrecorded, integrity) = try store.read { db in
            (
                try Row.fetchAll(db, sql: dump),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE recorded_at IS NULL AND recorded_by IS NULL"),
                try String.fetchAll(db, sql: "PRAGMA integrity_check")
            )
        }
        #expect(after == before)
        #expect(unrecorded == before.filter { $0[0] == "event" }.count, "old events know neither when nor who")
        #expect(integrity == ["ok"])

        // New events record both; check judges them, and notes the old one dated ahead.
        let written = Date().storedSeconds
        _ = try store.tag([2], ["fair"], actor: "admin", at: Date(storedSeconds: 3))
        let newest = try store.read { try Row.fetchOne($0, sql: "SELECT recorded_at, recorded_by FROM events ORDER BY id DESC LIMIT 1") }
        #expect((newest?["recorded_at"] as Int64?).map { $0 >= written && $0 <= Date().storedSeconds + 1 } == true)
        #expect(newest?["recorded_by"] == "admin")
        let clock = try store.check().first { $0.name == "no event is dated after it was written, unless an admin wrote it" }
        #expect(clock?.problems == [])
        #expect(clock?.notes.count == 1 && clock?.notes.first?.contains("2100-01-01") == true, "\(String(describing: clock))")
        let daily = try store.check().first { $0.name == "nobody claimed more in a day than their daily limit" }
        #expect(daily?.problems == [])
        #expect(
            daily?.notes == [
                "ann claimed 2 leads on 1970-01-01, more than today's daily limit of 1; those claims predate recording the limit in force"
            ]
        )

        // Handles: unique regardless of case, and 'system' is no rep's, even behind leadpool's back.
        for sql in [
            "INSERT INTO reps (handle, name, created_at) VALUES ('ANN', 'Ann again', 0)",
            "INSERT INTO reps (handle, name, created_at) VALUES ('System', 'Sys', 0)",
            "UPDATE reps SET handle = 'system' WHERE handle = 'ann'",
        ] {
            #expect(throws: LeadPoolError.self, "\(sql)") { try store.write { try $0.execute(sql: sql) } }
        }
        let twin = #expect(throws: LeadPoolError.self) {
            try store.addRep(Rep(handle: "Ann", name: "Ann again", createdAt: Date()))
        }
        #expect(twin?.kind == .refused)
        #expect(twin?.message == "a rep with handle 'ann' already exists; handles are unique regardless of case")
        #expect(try store.rep("ANN") == nil, "lookups stay exact")
    }

    @Test func migration4RefusesHandlesDifferingOnlyByCaseOrNamedSystemAndChangesNothing() throws {
        let path = try databaseAtVersion(3)
        try tamper(path, "INSERT INTO reps (handle, name, created_at) VALUES ('Ann', 'Ann Two', 0), ('SYSTEM', 'Cron', 0)")
        let queue = try DatabaseQueue(path: path)
        let schema = "SELECT type, name, sql FROM sqlite_schema ORDER BY name"
        let before = try queue.read { try Row.fetchAll($0, sql: schema) + Row.fetchAll($0, sql: "SELECT * FROM reps ORDER BY handle") }
        try queue.close()
        let store = try Store.open(path: path, allowPending: true)
        let error = #expect(throws: LeadPoolError.self) { try store.migrate() }
        #expect(error?.kind == .configuration)
        #expect(error?.message.contains("cannot apply 0004_event_wall_clock_and_handle_case.sql") == true, "\(String(describing: error))")
        #expect(
            error?.message.contains("'Ann' and 'ann' differ only by case; 'SYSTEM' is reserved for reclaims") == true,
            "\(String(describing: error))"
        )
        #expect(error?.hint?.contains("UPDATE reps SET handle = 'ann2' WHERE handle = 'ann'") == true, "\(String(describing: error))")
        let after = try store.read { try Row.fetchAll($0, sql: schema) + Row.fetchAll($0, sql: "SELECT * FROM reps ORDER BY handle") }
        #expect(after == before)
        #expect(try store.migrationStatus().pending.map(\.version).first == 4)
    }

    @Test func migration7PutsEveryLeadInMainAndAllowsMovedEvents() throws {
        let path = try databaseAtVersion(6)
        let events = "SELECT * FROM events ORDER BY id"
        let schema = "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE tbl_name = 'events' AND type <> 'table' ORDER BY name"
        let queue = try DatabaseQueue(path: path)
        let (before, schemaBefore) = try queue.read { db in (try Row.fetchAll(db, sql: events), try Row.fetchAll(db, sql: schema)) }
        try queue.close()
        #expect(throws: (any Error).self, "0006's CHECK has no moved") {
            try self.tamper(path, "INSERT INTO events (lead_id, at, actor, kind) VALUES (1, 9, 'admin', 'moved')")
        }

        let store = try Store.open(path: path, allowPending: true).recording(as: "admin")
        #expect(try store.migrate().map(\.version).first == 7)
        let (after, schemaAfter, pools) = try store.read { db in
            (
                try Row.fetchAll(db, sql: events), try Row.fetchAll(db, sql: schema),
                try String.fetchAll(db, sql: "SELECT pool FROM leads ORDER BY id")
            )
        }
        #expect(after == before, "every event kept, every column")
        #expect(schemaAfter == schemaBefore, "the same indexes and triggers")
        #expect(pools == ["main", "main"], "existing leads are in main")
        #expect(try store.lead(1).pool == "main" && store.lead(1).movedAt == nil)
        #expect(try store.check().filter { !$0.passed }.map(\.name) == [])
        try store.write {
            try $0.execute(
                sql: "INSERT INTO events (lead_id, at, actor, kind, detail) VALUES (2, 9, 'admin', 'moved', '{\"from\":\"main\",\"to\":\"x\"}')"
            )
        }
        for sql in ["UPDATE events SET actor = 'x'", "UPDATE leads SET pool = '' WHERE id = 1", "UPDATE leads SET pool = NULL WHERE id = 1"] {
            #expect(throws: LeadPoolError.self, "\(sql)") { try store.write { try $0.execute(sql: sql) } }
        }
    }

    @Test func migration5AllowsReopenedEventsAndKeepsEveryEventIndexAndTrigger() throws {
        let path = try databaseAtVersion(4)
        try tamper(
            path,
            """
            INSERT INTO events (lead_id, at, actor, kind, from_owner, to_owner, round_id, rule, reason, detail, recorded_at, recorded_by)
            VALUES (1, 7, 'ann', 'converted', 'ann', 'ann', NULL, NULL, 'won', '{"k":1}', 8, 'ann')
            """
        )
        let events = "SELECT * FROM events ORDER BY id"
        // Indexes and triggers on events; the table itself only differs by its CHECK on kind.
        let schema = "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE tbl_name = 'events' AND type <> 'table' ORDER BY name"
        let table = "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'events'"
        let queue = try DatabaseQueue(path: path)
        let (before, schemaBefore, columnsBefore) = try queue.read { db in
            (
                try Row.fetchAll(db, sql: events), try Row.fetchAll(db, sql: schema),
                try Row.fetchAll(db, sql: "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('events')")
            )
        }
        try queue.close()
        #expect(before.count == 3)
        #expect(throws: (any Error).self, "0004's CHECK has no reopened") {
            try self.tamper(path, "INSERT INTO events (lead_id, at, actor, kind) VALUES (1, 9, 'admin', 'reopened')")
        }

        let store = try Store.open(path: path, allowPending: true).recording(as: "admin")
        #expect(try store.migrate().map(\.version).first == 5, "0005, then any later ones")
        let (after, schemaAfter, columnsAfter, tableSQL, problems) = try store.read { db in
            (
                try Row.fetchAll(db, sql: events), try Row.fetchAll(db, sql: schema),
                try Row.fetchAll(db, sql: "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('events')"),
                try String.fetchOne(db, sql: table),
                try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") + (try Row.fetchAll(db, sql: "PRAGMA integrity_check"))
            )
        }
        #expect(after == before, "every event kept, every column")
        #expect(schemaAfter == schemaBefore, "the same indexes and triggers")
        #expect(
            schemaAfter.map { $0["name"] as String } == [
                "events_append_only_delete", "events_append_only_update", "events_claims", "events_lead", "events_round",
            ]
        )
        #expect(columnsAfter == columnsBefore)
        #expect(tableSQL?.contains("kind = 'reopened'") == true)
        #expect(problems.map { "\($0)" } == ["[integrity_check:\"ok\"]"])
        #expect(try store.check().filter { !$0.passed }.map(\.name) == [])

        // The new kind is taken; the old rules hold: unknown kinds, append-only, foreign keys.
        try store.write {
            try $0.execute(sql: "INSERT INTO events (lead_id, at, actor, kind, from_owner, to_owner) VALUES (1, 9, 'admin', 'reopened', 'ann', NULL)")
        }
        for sql in [
            "INSERT INTO events (lead_id, at, actor, kind) VALUES (2, 3, 'admin', 'deleted')",
            "UPDATE events SET actor = 'x'",
            "DELETE FROM events",
            "INSERT INTO events (lead_id, at, actor, kind) VALUES (99, 3, 'admin', 'touched')",
            "INSERT INTO events (lead_id, at, actor, kind, detail) VALUES (2, 3, 'admin', 'touched', '{')",
        ] {
            let error = #expect(throws: LeadPoolError.self, "\(sql)") { try store.write { try $0.execute(sql: sql) } }
            #expect(error?.message.contains("SQLite error 19") == true, "\(sql): \(String(describing: error))")  // SQLITE_CONSTRAINT
        }
    }

    @Test func migration6GivesRepsAndRulesetsAZoneThatDefaultsToTodaysUTC() throws {
        let path = try databaseAtVersion(5)
        try tamper(
            path,
            """
            INSERT INTO rulesets (applied_at, applied_by, file_name, source, default_capacity, default_daily_limit, cooldown_days)
            VALUES (3, 'admin', 'r.yaml', 'defaults: { capacity: 5, daily-limit: 2 }', 5, 2, 7)
            """
        )
        let store = try Store.open(path: path, allowPending: true).recording(as: "admin")
        #expect(try store.migrate().map(\.version).first == 6)
        let ann = try #require(try store.rep("ann"))
        #expect(ann.timeZone == nil)
        #expect(ann.workingHours == nil)
        let policy = try store.claimPolicy()
        #expect(policy.defaultClock == .utc, "a ruleset applied before 0006 named no zone")
        #expect(policy.defaultDailyLimit == 2)
        #expect(try store.updateRep("ann", RepChanges(timeZone: .some("Asia/Shanghai"))).timeZone == "Asia/Shanghai")
        #expect(throws: LeadPoolError.self, "a zone name longer than 64 bytes") {
            try store.write {
                try $0.execute(sql: "UPDATE reps SET timezone = ? WHERE handle = 'ann'", arguments: [String(repeating: "x", count: 65)])
            }
        }
    }
}

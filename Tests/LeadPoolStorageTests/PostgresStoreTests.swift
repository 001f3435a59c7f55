import Foundation
import LeadPoolCore
import LeadPoolPostgres
import LeadPoolStorage
import Testing

/// What only the PostgreSQL store has to show: its schema and migrations in an existing
/// database, and who the acting login is. Runs against the real server
/// `LEADPOOL_TEST_POSTGRES` names; `psql` plays the other client.
@Suite(
    .enabled(
        if: StorageBackend.postgresURL != nil,
        "LEADPOOL_TEST_POSTGRES is not set, so the PostgreSQL tests are skipped: `.ci/postgres start` starts a cluster and prints its URL"
    )
)
struct PostgresStoreTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    /// A new schema's URL and its name.
    func newSchema() -> (url: String, schema: String) {
        let url = StorageBackend.postgresSchemaURL()!
        return (url, String(url[url.range(of: "schema=")!.upperBound...]))
    }

    /// Runs `sql` with psql on the test database: its exit status, output (unaligned) and errors.
    func runPSQL(_ sql: String) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", StorageBackend.postgresURL!, "-v", "ON_ERROR_STOP=1", "-qAtX", "-c", sql]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
            String(decoding: err, as: UTF8.self)
        )
    }

    /// Runs `sql` with psql, which must succeed; returns its output.
    @discardableResult
    func psql(_ sql: String) throws -> String {
        let run = try runPSQL(sql)
        #expect(run.status == 0, "psql -c \(sql): \(run.errors)")
        return run.output
    }

    func configurationError(_ body: () throws -> Void) -> LeadPoolError? {
        do {
            try body()
            return nil
        } catch let error as LeadPoolError {
            return error.kind == .configuration ? error : nil
        } catch {
            return nil
        }
    }

    @Test func initCreatesTheSchemaAppliesEveryTwinAndAddsTheConnectedRoleAsAdmin() throws {
        let (url, schema) = newSchema()
        let store = try PostgresStore.create(url: url) { login in Rep(handle: login, name: "First", role: .admin, createdAt: Self.now) }
        let status = try store.migrationStatus()
        #expect(status.pending.isEmpty)
        #expect(try status.applied.map(\.fileName) == embeddedPostgresMigrationNames())
        #expect(try psql("SELECT count(*) FROM \(schema).leadpool_migrations") == String(status.applied.count))
        // The login is the role the connection authenticated as, the URL's user.
        #expect(store.login == (try psql("SELECT session_user")))
        #expect(try store.rep(store.login)?.role == .admin)
        #expect(try store.migrate(at: Self.now).isEmpty, "nothing left to apply")
        // init creates; it never takes over an existing schema.
        let again = configurationError { _ = try PostgresStore.create(url: url) { Rep(handle: $0, name: "X", createdAt: Self.now) } }
        #expect(again?.message.contains("already") == true)
    }

    @Test func anEditedGappedNewerOrPendingSchemaIsRefusedWith78() throws {
        let (url, schema) = newSchema()
        _ = try PostgresStore.create(url: url) { Rep(handle: $0, name: "First", role: .admin, createdAt: Self.now) }
        let table = "\(schema).leadpool_migrations"

        let checksum = try psql("SELECT checksum FROM \(table) WHERE version = 2")
        try psql("UPDATE \(table) SET checksum = 'edited' WHERE version = 2")
        #expect(configurationError { _ = try PostgresStore.open(url: url) }?.message.contains("was changed after it was applied") == true)
        try psql("UPDATE \(table) SET checksum = '\(checksum)' WHERE version = 2")
        #expect(configurationError { _ = try PostgresStore.open(url: url) } == nil)

        try psql("INSERT INTO \(table) SELECT 99, '0099_future.sql', 'x', 0")
        #expect(configurationError { _ = try PostgresStore.open(url: url) }?.message.contains("newer than this leadpool binary") == true)
        try psql("DELETE FROM \(table) WHERE version = 99")

        let last = try psql("SELECT max(version) FROM \(table)")
        try psql("DELETE FROM \(table) WHERE version = \(last)")
        let pending = configurationError { _ = try PostgresStore.open(url: url) }
        #expect(pending?.message.contains("needs 1 migration(s)") == true)
        #expect(pending?.hint?.contains("migrate") == true)

        try psql("DELETE FROM \(table) WHERE version = 1")
        #expect(configurationError { _ = try PostgresStore.open(url: url, allowPending: true) }?.message.contains("gap") == true)
    }

    @Test func aDatabaseWithoutTheSchemaIsNotALeadpoolDatabase() throws {
        let (url, _) = newSchema()
        let error = configurationError { _ = try PostgresStore.open(url: url) }
        #expect(error?.message.contains("has no leadpool schema") == true)
        #expect(error?.hint?.contains("init") == true)
    }

    @Test func eventsAreAppendOnlyInTheDatabaseItself() throws {
        let (url, schema) = newSchema()
        _ = try PostgresStore.create(url: url) { Rep(handle: $0, name: "First", role: .admin, createdAt: Self.now) }
        try psql(
            """
            INSERT INTO \(schema).leads (company, created_at) VALUES ('Acme', 0);
            INSERT INTO \(schema).events (lead_id, at, actor, kind) SELECT id, 0, 'root', 'created' FROM \(schema).leads
            """
        )
        for statement in ["UPDATE \(schema).events SET actor = 'x'", "DELETE FROM \(schema).events", "TRUNCATE \(schema).events CASCADE"] {
            let run = try runPSQL(statement)
            #expect(run.status != 0, "\(statement) must be refused")
            #expect(run.errors.contains("events are append-only"), "\(statement): \(run.errors)")
        }
        #expect(try psql("SELECT count(*) FROM \(schema).events") == "1")
    }

    @Test func checkFindsWhatAnotherClientBrokeAndTheCatalogueSaysSo() throws {
        let (url, schema) = newSchema()
        let store = try PostgresStore.create(url: url) { Rep(handle: $0, name: "First", role: .admin, createdAt: Self.now) }
        try store.addRep(Rep(handle: "alice", name: "Alice", createdAt: Self.now))
        let id = try store.addLead(Lead(company: "Acme", createdAt: Self.now), actor: store.login, at: Self.now)
        #expect(try store.check().allSatisfy(\.passed))
        try psql(
            """
            UPDATE \(schema).leads SET owner = 'alice', claimed_at = 0 WHERE id = \(id);
            ALTER TABLE \(schema).events DISABLE TRIGGER events_append_only_change
            """
        )
        let failed = Dictionary(uniqueKeysWithValues: try store.check().filter { !$0.passed }.map { ($0.name, $0.problems) })
        #expect(failed["each owner matches the lead's last ownership event"] == ["lead \(id): owner alice, last ownership event gives none"])
        #expect(failed["events are append-only"] == ["trigger events_append_only_change is missing or disabled"])
        #expect(failed.count == 2, "\(failed)")
    }

    /// A schema at version 8 migrated to 0009: leadpool fills what the migration's SQL cannot
    /// (each lead's attributes that are no contact data, and the ruleset in force's `hidden:`
    /// lists), so a rep reads no more and no less through `lead_rows` than before.
    @Test func migratingToDatabaseRightsFillsOpenAttributesAndTheRulesetsHiddenLists() throws {
        let (url, schema) = newSchema()
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Migrations/postgresql")
        let older = try embeddedPostgresMigrationNames().prefix(8).map { name in
            Migration(fileName: name, sql: try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))!
        }
        try psql(
            """
            CREATE SCHEMA \(schema);
            CREATE TABLE \(schema).leadpool_migrations (version INTEGER PRIMARY KEY, file_name TEXT NOT NULL, checksum TEXT NOT NULL,
                                                        applied_at BIGINT NOT NULL)
            """
        )
        for migration in older {
            try psql(
                "SET search_path = \(schema); \(migration.sql);"
                    + " INSERT INTO leadpool_migrations VALUES (\(migration.version), '\(migration.fileName)', '\(migration.checksum)', 0)"
            )
        }
        try psql(
            """
            SET search_path = \(schema);
            INSERT INTO reps (handle, name, role, created_at) VALUES ('boss', 'Boss', 'admin', 0);
            INSERT INTO rulesets (version, applied_at, applied_by, source) VALUES (1, 0, 'boss', 'hidden: [attr.plan, title]');
            INSERT INTO leads (company, created_at, attrs) VALUES
                ('Acme', 0, '{"wechat": "acme_wx", "plan": "gold", "size": "L"}'), ('Beta', 0, '{"mobile_phone": "1"}'), ('Gamma', 0, NULL)
            """
        )
        let store = try PostgresStore.open(url: url, allowPending: true)
        #expect(try store.migrate(at: Self.now).map(\.version) == [9])
        #expect(
            try psql("SELECT string_agg(coalesce(open_attrs::text, '-'), ' ' ORDER BY id) FROM \(schema).leads")
                == #"{"plan":"gold","size":"L"} {} -"#
        )
        #expect(
            try psql("SELECT string_agg(coalesce(pool, '*') || ':' || name, ' ' ORDER BY name) FROM \(schema).ruleset_hidden WHERE version = 1")
                == "*:attr.plan *:title"
        )
    }

    /// The PostgreSQL twins, by file name: each is named as the SQLite migration it mirrors.
    func embeddedPostgresMigrationNames() throws -> [String] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Migrations")
        let twins = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("postgresql").path)
            .filter { $0.hasSuffix(".sql") }.sorted()
        let originals = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(Array(originals.prefix(twins.count)) == twins, "each PostgreSQL migration is the twin of the SQLite one of the same name")
        return twins
    }
}

import Foundation
import GRDB
import LeadPoolCore
import Testing

@testable import LeadPoolStore

@Suite struct MigratorTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leadpool-store-\(UUID().uuidString)")

    init() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
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
}

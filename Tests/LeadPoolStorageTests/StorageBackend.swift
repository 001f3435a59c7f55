import Foundation
import LeadPoolCore
import LeadPoolPostgres
import LeadPoolStorage
import LeadPoolStore
import Testing

/// A storage implementation the conformance suite runs against: a name, a factory that makes
/// a new, empty storage whose only rep is the given first admin, and a second handle on it.
///
/// Every test of ``StorageConformanceTests`` runs on each of ``all``: the SQLite store always,
/// the PostgreSQL store when `LEADPOOL_TEST_POSTGRES` names a database (`.ci/run` always sets
/// it; `.ci/postgres start` starts a throwaway cluster and prints the URL).
struct StorageBackend: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (_ firstAdmin: Rep) throws -> any LeadStorage
    /// A second handle on the data of one `make` gave, as another process would open it.
    let reopen: @Sendable (_ storage: any LeadStorage) throws -> any LeadStorage

    var testDescription: String { name }

    static let all: [StorageBackend] = [.sqlite] + (postgres.map { [$0] } ?? [])

    /// The SQLite store on a new temporary database file.
    static let sqlite = StorageBackend(
        name: "SQLite",
        make: { admin in
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("leadpool-conformance-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("leadpool.db").path
            // Created, closed and opened again, as `init` and a later command: the file is whole
            // (nothing left in its -wal), so that `reopen` can open it too.
            _ = try Store.create(path: path, firstAdmin: admin)
            return try Store.open(path: path).recording(as: "tester")
        },
        reopen: { storage in try Store.open(path: (storage as! Store).path).recording(as: "tester") }
    )

    /// The database `LEADPOOL_TEST_POSTGRES` names, or nil (the PostgreSQL tests are then skipped).
    static let postgresURL: String? = ProcessInfo.processInfo.environment["LEADPOOL_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    /// The URL of a new, unused schema in that database.
    static func postgresSchemaURL() -> String? {
        postgresURL.map { url in
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            return url + (url.contains("?") ? "&" : "?") + "schema=" + schema
        }
    }

    /// The PostgreSQL store on a new schema of the test database.
    static let postgres: StorageBackend? = postgresURL.map { _ in
        StorageBackend(
            name: "PostgreSQL",
            make: { admin in try PostgresStore.create(url: postgresSchemaURL()!) { _ in admin } },
            reopen: { storage in try PostgresStore.open(url: (storage as! PostgresStore).path) }
        )
    }
}

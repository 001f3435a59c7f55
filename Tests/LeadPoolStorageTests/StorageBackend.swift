import Foundation
import LeadPoolCore
import LeadPoolStorage
import LeadPoolStore
import Testing

/// A storage implementation the conformance suite runs against: a name, and a factory that
/// makes a new, empty storage whose only rep is the given first admin.
///
/// A new backend (PostgreSQL) adds itself to ``all``; every test of
/// ``StorageConformanceTests`` then runs on it too.
struct StorageBackend: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (_ firstAdmin: Rep) throws -> any LeadStorage

    var testDescription: String { name }

    static let all: [StorageBackend] = [.sqlite]

    /// The SQLite store on a new temporary database file.
    static let sqlite = StorageBackend(name: "SQLite") { admin in
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("leadpool-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try Store.create(path: directory.appendingPathComponent("leadpool.db").path, firstAdmin: admin)
            .recording(as: "tester")
    }
}

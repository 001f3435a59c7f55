import Foundation
import LeadPoolCore
import LeadPoolPostgres
import LeadPoolStorage
import LeadPoolStore
import Testing

/// A storage implementation the conformance suite runs against: a name, and a factory that
/// makes a new, empty storage whose only rep is the given first admin.
///
/// Every test of ``StorageConformanceTests`` runs on each of ``all``: the SQLite store always,
/// the PostgreSQL store when `LEADPOOL_TEST_POSTGRES` names a database (`.ci/run` always sets
/// it; `.ci/postgres start` starts a throwaway cluster and prints the URL).
struct StorageBackend: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable (_ firstAdmin: Rep) throws -> any LeadStorage

    var testDescription: String { name }

    static let all: [StorageBackend] = [.sqlite] + (postgres.map { [$0] } ?? [])

    /// The SQLite store on a new temporary database file.
    static let sqlite = StorageBackend(name: "SQLite") { admin in
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("leadpool-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try Store.create(path: directory.appendingPathComponent("leadpool.db").path, firstAdmin: admin)
            .recording(as: "tester")
    }

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
        StorageBackend(name: "PostgreSQL") { admin in
            try PostgresStore.create(url: postgresSchemaURL()!) { _ in admin }
        }
    }

    /// What the PostgreSQL store cannot do yet, in one place: each conformance test that needs
    /// it, and the use case it waits for. On PostgreSQL these tests run until the store refuses
    /// with "… is not available on PostgreSQL yet", which is then a known issue (the run shows
    /// it); any other failure fails them, and an unported use case reached by a test not listed
    /// here fails it too.
    static let postgresUnported: [String: String] = [
        "importAndMovePlaceLeadsInPools": "pools (a rules file with pools:, lead move)",
        "claimsHonourMembershipWaitingAndPoolLimits": "pools (a rules file with pools:)",
        "roundsMoveLeadsAndReclaimUsesThePoolsRules": "pools (a rules file with pools:)",
        "reclaimOfSomePoolsTakesOnlyTheirLeads": "pools (a rules file with pools:)",
        "poolBudgetsGiveEachLimitedPoolOfTheRep": "pools (a rules file with pools:, pool claim limits)",
        "aMissedFirstTouchIsEscalatedOnceToTheNextCandidate": "first touch (a rules file with first-touch:, escalations)",
        "keepRecordsTheMissOnceAndTheLeadStays": "first touch (a rules file with first-touch:, escalations)",
        "aDigestLeavesOutWhatWasRecordedAsMailed": "notify (digests) and first touch",
    ]
}

/// Marks the tests on ``StorageBackend/postgresUnported``: a use case PostgreSQL does not have
/// yet is a known issue there, not a failure. Other failures still fail.
struct PostgresGaps: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let name = String(test.name.prefix { $0 != "(" })
        guard testCase != nil, let waitsFor = StorageBackend.postgresUnported[name] else { return try await function() }
        try await withKnownIssue("not on PostgreSQL yet: \(waitsFor)", isIntermittent: true) {
            try await function()
        } matching: { issue in
            (issue.error as? LeadPoolError)?.message.hasSuffix("is not available on PostgreSQL yet") == true
        }
    }
}

extension Trait where Self == PostgresGaps {
    static var postgresGaps: Self { PostgresGaps() }
}

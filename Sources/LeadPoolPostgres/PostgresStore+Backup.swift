import Foundation
import LeadPoolCore
import LeadPoolStorage

extension PostgresStore {
    /// A use case this store does not have yet: a configuration error (exit 78) naming it, rather
    /// than part of its work. The conformance tests that reach one are listed in one place
    /// (`postgresUnported`, Tests/LeadPoolStorageTests/StorageBackend.swift).
    static func notYet(_ useCase: String) -> LeadPoolError {
        LeadPoolError.configuration(
            "\(useCase) is not available on PostgreSQL yet",
            hint: "use a SQLite database (--db FILE) for it; docs/postgresql.md lists what runs on PostgreSQL"
        )
    }

    /// `lead move`: pools are not on PostgreSQL yet (a rules file with pools is refused there).
    public func move(_ ids: [Int64], toPool pool: String, by actor: Rep, at now: Date) throws -> [LeadOutcome] {
        throw Self.notYet("lead move (pools)")
    }

    /// `backup` copies SQLite files; PostgreSQL has its own tools, which the refusal names.
    public func backup(to destination: String, through file: String) throws {
        throw LeadPoolError.configuration(
            "backup copies SQLite files; on PostgreSQL use pg_dump",
            hint: "pg_dump --schema=\(location.schema) --format=custom --file=leadpool.dump '\(location.description)'"
        )
    }
}

extension PostgresStore: LeadStorage {}

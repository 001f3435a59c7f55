import Foundation
import LeadPoolCore
import LeadPoolStorage

extension PostgresStore {
    /// `backup` copies SQLite files; PostgreSQL has its own tools, which the refusal names.
    public func backup(to destination: String, through file: String) throws {
        throw LeadPoolError.configuration(
            "backup copies SQLite files; on PostgreSQL use pg_dump",
            hint: "pg_dump --schema=\(location.schema) --format=custom --file=leadpool.dump '\(location.description)'"
        )
    }
}

extension PostgresStore: LeadStorage {}

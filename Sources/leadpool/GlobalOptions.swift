import ArgumentParser
import Foundation
import LeadPoolCore

/// Options every command takes: `leadpool [--db PATH] [--as HANDLE] [--json] [--now ISO8601] COMMAND …`.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database file (env LEADPOOL_DB; default ./leadpool.db).", valueName: "path"))
    var db: String?

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp("Act as this rep (env LEADPOOL_USER; default: your login). Admins only for others.", valueName: "handle")
    )
    var actAs: String?

    @Flag(name: .long, help: "Print one JSON document instead of tables.")
    var json = false

    @Option(
        name: .long,
        help: ArgumentHelp("The clock, ISO-8601 (env LEADPOOL_NOW; default: now). Admins only for commands that write.", valueName: "time")
    )
    var now: String?

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The database path: --db, then LEADPOOL_DB, then ./leadpool.db.
    var databasePath: String {
        db ?? environment["LEADPOOL_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "leadpool.db"
    }

    /// The handle asked for: --as, then LEADPOOL_USER, then the OS login.
    func requestedHandle(login: String) -> String {
        actAs ?? environment["LEADPOOL_USER"].flatMap { $0.isEmpty ? nil : $0 } ?? login
    }

    /// --now, then LEADPOOL_NOW, as given.
    private var clockText: String? { now ?? environment["LEADPOOL_NOW"].flatMap { $0.isEmpty ? nil : $0 } }

    /// Whether the clock is set (--now or LEADPOOL_NOW) rather than read from the system.
    var setsClock: Bool { clockText != nil }

    /// The clock: --now, then LEADPOOL_NOW, then the system clock; always whole seconds.
    func clock() throws -> Date {
        if let text = clockText {
            guard let date = Timestamp.parse(text) else {
                throw LeadPoolError.usage(
                    "--now: '\(text)' is not an ISO-8601 date or time",
                    hint: "write e.g. 2026-11-23 or 2026-11-23T09:00:00Z (a time from year 0000 to 9999)"
                )
            }
            return date
        }
        return Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
    }
}

import Foundation
import Testing

/// On PostgreSQL the acting rep is the database role the connection authenticated as
/// (`session_user`), not the OS login: the same binary, run by the same OS user, acts as
/// whichever role its URL logs in as, and only an admin's role may act as someone else or set
/// the clock of a command that writes. Runs against `LEADPOOL_TEST_POSTGRES`'s server.
@Suite(
    .enabled(
        if: PostgresTestDatabase.url != nil,
        "LEADPOOL_TEST_POSTGRES is not set, so the PostgreSQL CLI tests are skipped: `.ci/postgres start` starts a cluster and prints its URL"
    )
)
struct PostgresIdentityTests {
    static var baseURL: String? { PostgresTestDatabase.url }

    let schema = "cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
    let sandbox = Sandbox()

    /// The test database's URL as `user` (nil: the URL's own user), in this test's schema.
    func url(as user: String? = nil) -> String {
        var components = URLComponents(string: Self.baseURL!)!
        if let user { components.user = user }
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "schema", value: String(schema))]
        return components.string!
    }

    @discardableResult
    func leadpool(as user: String? = nil, _ arguments: String...) -> Run {
        sandbox.leadpool(arguments, env: ["LEADPOOL_DB": url(as: user)])
    }

    /// Runs `sql` with psql as the URL's own user (the cluster's superuser in tests).
    func psql(_ sql: String) {
        let run = CLI.run(
            ["psql", Self.baseURL!, "-v", "ON_ERROR_STOP=1", "-qAtX", "-c", sql],
            environment: ["PATH": "/usr/bin:/bin"],
            cwd: sandbox.directory,
            executable: URL(fileURLWithPath: "/usr/bin/env")
        )
        #expect(run.status == 0, "psql: \(run)")
    }

    /// A new login role, with no GRANT: leadpool's schema gives reps what they may do.
    func role(_ prefix: String) -> String {
        let name = prefix + "_" + UUID().uuidString.lowercased().prefix(8)
        psql("CREATE ROLE \(name) LOGIN")
        return name
    }

    @Test func theActingRepIsTheAuthenticatedRole() throws {
        let initRun = leadpool("--json", "init")
        #expect(initRun.status == 0, "\(initRun)")
        let admin = try #require((initRun.json as? [String: Any])?["admin"] as? String)
        let alice = role("alice")
        let stranger = role("stranger")
        defer { psql("DROP OWNED BY \(alice), \(stranger); DROP ROLE \(alice); DROP ROLE \(stranger)") }

        #expect(leadpool("rep", "add", alice, "--name", "Alice").status == 0)
        #expect(leadpool("lead", "add", "--company", "Acme").status == 0)
        #expect(leadpool("lead", "add", "--company", "Beta").status == 0)

        // The same OS user acts as alice when its URL logs in as alice.
        let claim = leadpool(as: alice, "claim", "1")
        #expect(claim.status == 0, "\(claim)")
        let history = leadpool(as: alice, "--json", "history", "1")
        let events = try #require(history.json as? [[String: Any]], "\(history)")
        #expect(events.last?["actor"] as? String == alice, "\(history)")

        // Only an admin's role may act as someone else (--as or LEADPOOL_USER) …
        #expect(leadpool(as: alice, "--as", admin, "rep", "list").status == 77)
        #expect(sandbox.leadpool(["rep", "list"], env: ["LEADPOOL_DB": url(as: alice), "LEADPOOL_USER": admin]).status == 77)
        #expect(leadpool("--as", alice, "mine").status == 0)
        // … or set the clock of a command that writes.
        #expect(leadpool(as: alice, "--now", "2026-01-05T09:00:00Z", "claim", "2").status == 77)
        #expect(leadpool(as: alice, "--now", "2026-01-05T09:00:00Z", "mine").status == 0)
        // A role that is no rep is refused.
        let refused = leadpool(as: stranger, "rep", "list")
        #expect(refused.status == 77)
        #expect(refused.stderr.contains("'\(stranger)' is not a rep"), "\(refused)")
    }

    @Test func initAndMigrateWorkOnAnExistingDatabase() throws {
        #expect(leadpool("init").status == 0)
        let again = leadpool("init")
        #expect(again.status == 78, "\(again)")
        #expect(again.stderr.contains("already"))
        let status = leadpool("--json", "migrate", "--status")
        #expect(status.status == 0)
        let pending = (status.json as? [String: Any])?["pending"] as? [Any]
        #expect(pending?.isEmpty == true)
        #expect(leadpool("migrate").stdout.contains("up to date"))
        let backup = leadpool("backup", sandbox.path("copy.db"))
        #expect(backup.status == 78)
        #expect(backup.stderr.contains("pg_dump"))
    }
}

/// The PostgreSQL database the tests may use (`LEADPOOL_TEST_POSTGRES`), or nil.
enum PostgresTestDatabase {
    static let url = ProcessInfo.processInfo.environment["LEADPOOL_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
}

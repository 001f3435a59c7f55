import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The database a CLI test's ``Sandbox`` points `LEADPOOL_DB` at: a SQLite file in the sandbox,
/// or a fresh schema of the PostgreSQL test database (`LEADPOOL_TEST_POSTGRES`).
///
/// Suites marked ``BothBackends`` (`.bothBackends`) run each test once per backend: SQLite
/// always, then PostgreSQL when `LEADPOOL_TEST_POSTGRES` is set (`.ci/run` always sets it). The
/// suite instance, and so its sandbox, is made anew for each run. A test about SQLite itself
/// (its files, permissions, WAL, `backup`, OS accounts as identity) says so with
/// `.sqliteOnly("why")`.
enum TestBackend: String, Sendable, CustomStringConvertible {
    case sqlite = "SQLite"
    case postgres = "PostgreSQL"

    var description: String { rawValue }

    /// The backend of the run in progress (SQLite outside a ``BothBackends`` scope).
    @TaskLocal static var current: TestBackend = .sqlite

    /// The backends every test of a ``BothBackends`` suite runs on.
    static var all: [TestBackend] { [.sqlite] + (PostgresTestDatabase.url == nil ? [] : [.postgres]) }
}

/// Runs each test once per backend of ``TestBackend/all``; every issue says which backend it was
/// recorded on.
struct BothBackends: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        guard testCase != nil else { return try await function() }
        let only = test.traits.lazy.compactMap { $0 as? OnlyOn }.first?.backend
        let backends = TestBackend.all.filter { only == nil || $0 == only }
        for backend in backends {
            let labelled: IssueHandlingTrait = .compactMapIssues { issue in
                var issue = issue
                issue.comments.append("on \(backend)")
                return issue
            }
            try await TestBackend.$current.withValue(backend) {
                try await labelled.provideScope(for: test, testCase: testCase) {
                    do {
                        try await function()
                    } catch is ExpectationFailedError {
                        // Already recorded, with its backend.
                    } catch {
                        Issue.record(error)
                    }
                }
            }
        }
    }
}

/// Marks a test (or a whole suite) of a ``BothBackends`` suite as about one backend only, with
/// the reason: SQLite's files, permissions and OS accounts; PostgreSQL's row locks.
struct OnlyOn: TestTrait, SuiteTrait {
    let backend: TestBackend
    let reason: Comment

    var comments: [Comment] { [reason] }
    var isRecursive: Bool { true }
}

extension Trait where Self == BothBackends {
    /// Runs every test once per backend (see ``TestBackend``).
    static var bothBackends: Self { BothBackends() }
}

extension Trait where Self == OnlyOn {
    /// The test is about SQLite itself (`reason` says how) and runs on SQLite only.
    static func sqliteOnly(_ reason: Comment) -> Self { OnlyOn(backend: .sqlite, reason: reason) }

    /// The test is about PostgreSQL itself and runs only when `LEADPOOL_TEST_POSTGRES` is set.
    static func postgresOnly(_ reason: Comment) -> Self { OnlyOn(backend: .postgres, reason: reason) }
}

/// The PostgreSQL test database as the tests use it: a schema of their own, and `psql`.
extension PostgresTestDatabase {
    /// A new, unused schema name.
    static func newSchema() -> String {
        "cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    }

    /// The test database's URL in `schema`.
    static func url(schema: String) -> String {
        var components = URLComponents(string: url!)!
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "schema", value: schema)]
        return components.string!
    }

    /// psql failed.
    struct Failure: Error, CustomStringConvertible {
        let run: Run
        var description: String { "psql: \(run)" }
    }

    /// The role the test database's URL logs in as (which `init` makes the first admin).
    static var role: String { url.flatMap { URLComponents(string: $0)?.user } ?? "postgres" }

    /// The schema a leadpool URL names, and the URL without it (what psql accepts).
    static func split(_ leadpoolURL: String) -> (url: String, schema: String?) {
        guard var components = URLComponents(string: leadpoolURL) else { return (leadpoolURL, nil) }
        let schema = components.queryItems?.first { $0.name == "schema" }?.value
        let rest = (components.queryItems ?? []).filter { $0.name != "schema" }
        components.queryItems = rest.isEmpty ? nil : rest
        return (components.string!, schema)
    }

    /// Runs `sql` with psql against a leadpool URL (its schema first on the search path), as
    /// the URL's role; unaligned, tuples only, stops at the first error.
    static func psql(_ leadpoolURL: String, _ sql: String, cwd: URL = FileManager.default.temporaryDirectory) -> Run {
        let (url, schema) = split(leadpoolURL)
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        if let schema { environment["PGOPTIONS"] = "-c search_path=\(schema)" }
        return CLI.run(
            ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtX", "-c", sql],
            environment: environment,
            cwd: cwd,
            executable: URL(fileURLWithPath: "/usr/bin/env")
        )
    }
}

extension Sandbox {
    /// Takes the lock a running `command` (`reclaim`, `notify`) holds, as another process
    /// would: on SQLite a lock on the file beside the database, from this process; on PostgreSQL
    /// the schema's advisory lock, from a psql session. Returns what lets it go.
    func holdRunLock(_ command: String) throws -> () -> Void {
        switch backend {
        case .sqlite:
            let fd = open(db + ".\(command)-lock", O_RDWR | O_CREAT, 0o664)
            #expect(fd >= 0)
            #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
            return { close(fd) }
        case .postgres:
            let schema = PostgresTestDatabase.split(db).schema!
            let session = try PostgresSession(db)
            #expect(session.run("SELECT 'held ' || pg_try_advisory_lock(hashtext('\(schema).\(command)'));") == "held true")
            return { _ = session.finish("") }
        }
    }
}

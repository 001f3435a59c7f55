import Foundation
import GRDB
import LeadPoolCore

#if canImport(Glibc)
import Glibc
#endif

/// Settings of the reliability suite: sizes scale with `LEADPOOL_RELIABILITY_SCALE` (default 1,
/// a few minutes in debug on two cores); random choices come from a seed that is printed, and
/// can be replayed with `LEADPOOL_RELIABILITY_SEED`.
enum Reliability {
    static let scale: Int = max(1, Int(ProcessInfo.processInfo.environment["LEADPOOL_RELIABILITY_SCALE"] ?? "") ?? 1)

    /// A generator for one test, its seed printed so a failure can be replayed.
    static func generator(_ test: String) -> SeededGenerator {
        let seed =
            UInt64(ProcessInfo.processInfo.environment["LEADPOOL_RELIABILITY_SEED"] ?? "")
            ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("reliability: \(test) seed \(seed) (replay with LEADPOOL_RELIABILITY_SEED=\(seed)), scale \(scale)")
        return SeededGenerator(seed: seed)
    }

    /// `count` leads as CSV with varied industries, sizes and countries, so rules route them
    /// and scores spread over the tiers.
    static func leadsCSV(_ count: Int, from first: Int = 0) -> String {
        let industries = ["Software", "Fintech", "Retail", "Manufacturing", "Health"]
        let countries = ["DE", "FR", "GB", "US", "NL"]
        var csv = "Company,Email,Industry,Number of Employees,Country\n"
        csv.reserveCapacity(count * 64)
        for i in first..<(first + count) {
            csv += "Company \(i),p\(i)@c\(i).com,\(industries[i % 5]),\((i * 37) % 6000),\(countries[(i / 5) % 5])\n"
        }
        return csv
    }

    /// A rules file: two routing rules over team `field`, scores from industry and size.
    static func rules(capacity: Int, industryPoints: Int = 40) -> String {
        """
        defaults: { capacity: \(capacity), daily-limit: \(capacity) }
        tiers: { A: 70, B: 40 }
        icp:
          - { name: target-industry, when: 'industry in ("Software", "Fintech")', points: \(industryPoints) }
          - { name: mid-market, when: 'employees >= 200 and employees <= 5000', points: 35 }
        segments:
          emea: 'country in ("DE", "FR", "GB", "NL")'
        rules:
          - { name: emea, when: 'segment("emea")', to: team:field, strategy: least-loaded }
          - { name: rest, when: 'true', to: team:field, strategy: round-robin }
        reclaim: { no-activity-days: 14, max-hold-days: 60, cooldown-days: 7, warn-days: 3 }
        """
    }

    /// What the database holds, as users see it: every lead (export), the rounds and the rulesets.
    static func snapshot(_ box: Sandbox, db: String? = nil) -> String {
        let db = db ?? box.db
        let leads = box.leadpool(["--db", db, "export", "--format", "json"])
        let rounds = box.leadpool(["--db", db, "--json", "rounds", "list", "--limit", "1000"])
        return leads.stdout + rounds.stdout + rulesets(db)
    }

    /// Every stored ruleset's version and source.
    static func rulesets(_ db: String) -> String {
        if isPostgres(db) { return postgres(db, "SELECT version || ': ' || source FROM rulesets ORDER BY version") ?? "?" }
        guard let queue = try? DatabaseQueue(path: db, configuration: readOnly) else { return "?" }
        defer { try? queue.close() }
        return
            (try? queue.read { db in
                try Row.fetchAll(db, sql: "SELECT version, source FROM rulesets ORDER BY version").map { "\($0[0] as Int64): \($0[1] as String)" }
            })?.joined(separator: "\n") ?? "?"
    }

    /// A fingerprint of every table leadpool writes, cheap enough to take after each of many
    /// bad-input cases.
    static func fingerprint(_ db: String) -> String {
        guard let queue = try? DatabaseQueue(path: db, configuration: readOnly) else { return "unreadable" }
        defer { try? queue.close() }
        let tables = ["leads", "lead_tags", "events", "reps", "rep_territories", "rulesets", "rounds", "round_robin_positions", "weighted_totals"]
        if isPostgres(db) { return postgresDigests(db, tables.map { "SELECT * FROM \($0) ORDER BY 1" }, names: tables) ?? "unreadable" }
        return
            (try? queue.read { db in
                try tables.map { table in
                    let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1")
                    return "\(table): \(rows.count) \(Digest.fnv(rows.map(\.description).joined()))"
                }.joined(separator: "\n")
            }) ?? "unreadable"
    }

    private static var readOnly: Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        return configuration
    }

    /// The end state a user could tell apart, read with SQL (an export of tens of thousands of
    /// leads is slow in debug): every lead and tag, every event, the rulesets, the rounds' figures
    /// and the strategies' positions; not the wall-clock times rounds and events keep.
    static func state(_ db: String) -> String {
        let queries = [
            "SELECT * FROM leads ORDER BY id", "SELECT * FROM lead_tags ORDER BY lead_id, tag",
            "SELECT id, lead_id, at, actor, kind, from_owner, to_owner, round_id, rule, reason, detail, recorded_by FROM events ORDER BY id",
            "SELECT version, applied_at, source FROM rulesets ORDER BY version",
            "SELECT id, clock, ruleset_version, status, considered, assigned, unrouted, no_capacity, skipped FROM rounds ORDER BY id",
            "SELECT * FROM round_robin_positions ORDER BY rule", "SELECT * FROM weighted_totals ORDER BY rule, rep",
        ]
        if isPostgres(db) {
            // PostgreSQL does not take back the ids a rolled-back transaction drew, so after a
            // killed write the events' order is compared there, not their numbers.
            let events = queries[2].replacingOccurrences(of: "SELECT id, lead_id", with: "SELECT lead_id")
            return postgresDigests(db, queries.enumerated().map { $0.offset == 2 ? events : $0.element }, names: nil) ?? "unreadable"
        }
        guard let queue = try? DatabaseQueue(path: db, configuration: readOnly) else { return "unreadable" }
        defer { try? queue.close() }
        return
            (try? queue.read { db in
                try queries.map { sql in
                    var count = 0
                    var text = ""
                    let rows = try Row.fetchCursor(db, sql: sql)
                    while let row = try rows.next() {
                        count += 1
                        text += row.description
                    }
                    return "\(count) rows, \(Digest.fnv(text))"
                }.joined(separator: "\n")
            }) ?? "unreadable"
    }

    /// Counts from the database directly (the test's own reads, not the CLI's).
    static func count(_ db: String, _ sql: String) -> Int {
        if isPostgres(db) { return postgres(db, sql).flatMap { Int($0) } ?? -1 }
        guard let queue = try? DatabaseQueue(path: db, configuration: readOnly) else { return -1 }
        defer { try? queue.close() }
        return (try? queue.read { try Int.fetchOne($0, sql: sql) ?? 0 }) ?? -1
    }

    /// Runs `statements` in one transaction, as the test's own writes (not the CLI's), as
    /// someone with the database's shell would. `tampering` writes behind leadpool's back with
    /// foreign keys and checks off (on PostgreSQL: triggers and foreign keys, as a replica).
    static func execute(_ db: String, _ statements: [String], tampering: Bool = false) throws {
        if isPostgres(db) {
            let off = tampering ? "SET LOCAL session_replication_role = replica;\n" : ""
            let run = PostgresTestDatabase.psql(db, "BEGIN;\n" + off + statements.map { $0 + ";\n" }.joined() + "COMMIT;")
            guard run.status == 0 else { throw PostgresTestDatabase.Failure(run: run) }
            return
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = !tampering
        let queue = try DatabaseQueue(path: db, configuration: configuration)
        defer { try? queue.close() }
        try queue.writeWithoutTransaction { db in
            if tampering { try db.execute(sql: "PRAGMA ignore_check_constraints = ON") }
            try db.inTransaction {
                for statement in statements { try db.execute(sql: statement) }
                return .commit
            }
        }
    }

    /// Whether `db` names a PostgreSQL database (a URL) rather than a SQLite file.
    static func isPostgres(_ db: String) -> Bool { db.hasPrefix("postgresql://") || db.hasPrefix("postgres://") }

    /// The output of `sql` run with psql in the URL's schema (fields split by `|`, rows by
    /// newlines), or nil when psql fails.
    static func postgres(_ db: String, _ sql: String) -> String? {
        let run = PostgresTestDatabase.psql(db, sql)
        guard run.status == 0 else { return nil }
        return run.stdout.hasSuffix("\n") ? String(run.stdout.dropLast()) : run.stdout
    }

    /// Rows read with psql, as GRDB rows so tests read them alike: integers as integers, NULL
    /// as NULL, the rest as text.
    private static func postgresRows(_ db: String, _ sql: String) -> [Row] {
        let (field, record, null) = ("\u{1F}", "\u{1E}", "\u{1A}")
        let (url, schema) = PostgresTestDatabase.split(db)
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        if let schema { environment["PGOPTIONS"] = "-c search_path=\(schema)" }
        let run = CLI.run(
            ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAX", "-P", "footer=off", "-P", "null=\(null)", "-F", field, "-R", record, "-c", sql],
            environment: environment,
            cwd: FileManager.default.temporaryDirectory,
            executable: URL(fileURLWithPath: "/usr/bin/env")
        )
        guard run.status == 0 else { return [] }
        var lines = run.stdout.trimmingCharacters(in: .newlines).components(separatedBy: record)
        guard !lines.isEmpty else { return [] }
        let columns = lines.removeFirst().components(separatedBy: field)
        // GRDB makes rows with their columns in order from a SELECT, so each one is selected
        // back from an in-memory database.
        let select = "SELECT " + columns.map { "? AS \"\($0)\"" }.joined(separator: ", ")
        guard let memory = try? DatabaseQueue() else { return [] }
        return lines.filter { !$0.isEmpty }.compactMap { line in
            let values: [(any DatabaseValueConvertible)?] = line.components(separatedBy: field).map { text in
                text == null ? nil : Int64(text).map { $0 as any DatabaseValueConvertible } ?? text
            }
            return try? memory.read { try Row.fetchOne($0, sql: select, arguments: StatementArguments(values)) }
        }
    }

    /// Each query's row count and a digest of its rows in order, one psql run for all.
    private static func postgresDigests(_ db: String, _ queries: [String], names: [String]?) -> String? {
        let digests = queries.map { sql in
            "(SELECT count(*) || ' rows, ' || coalesce(md5(string_agg(t, '|' ORDER BY n)), '-') "
                + "FROM (SELECT row_number() OVER () AS n, r::text AS t FROM (\(sql)) r) numbered)"
        }
        guard let row = postgres(db, "SELECT " + digests.joined(separator: ", ")) else { return nil }
        let fields = row.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard let names else { return fields.joined(separator: "\n") }
        return zip(names, fields).map { "\($0): \($1)" }.joined(separator: "\n")
    }

    /// Rows from the database directly.
    static func rows(_ db: String, _ sql: String) -> [Row] {
        if isPostgres(db) { return postgresRows(db, sql) }
        guard let queue = try? DatabaseQueue(path: db, configuration: readOnly) else { return [] }
        defer { try? queue.close() }
        return (try? queue.read { try Row.fetchAll($0, sql: sql) }) ?? []
    }
}

/// A `leadpool` process started without waiting, its output going to files (so neither pipe
/// can fill up and stall it), that the test can kill or wait for.
final class Spawned {
    let process = Process()
    private let outURL: URL
    private let errURL: URL

    init(_ arguments: [String], db: String, in box: Sandbox, env: [String: String] = [:]) throws {
        let name = UUID().uuidString
        outURL = box.directory.appendingPathComponent("\(name).out")
        errURL = box.directory.appendingPathComponent("\(name).err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.executableURL = CLI.binary
        process.arguments = ["--db", db] + arguments
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"].merging(env) { $1 }
        process.currentDirectoryURL = box.directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// SIGKILL: no handler, no cleanup, like a power cut for the process.
    func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Waits for the end; `killed` tells whether a signal ended it.
    func finish() -> (run: Run, killed: Bool) {
        process.waitUntilExit()
        let run = Run(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        )
        return (run, process.terminationReason == .uncaughtSignal)
    }
}

extension Sandbox {
    /// A copy of the database: on SQLite a file at `name` (a consistent one, via `leadpool
    /// backup`); on PostgreSQL a new schema holding the same rows (pg_dump of this one, restored
    /// under the new name), dropped with the sandbox.
    func copy(to name: String) -> String {
        if backend == .postgres { return postgresCopy() }
        let target = path(name)
        let run = leadpool("backup", target)
        precondition(run.status == 0, "backup failed: \(run)")
        return target
    }
}

/// A stable digest of text (FNV-1a, 64 bits): enough to tell two states apart in a test.
enum Digest {
    static func fnv(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}

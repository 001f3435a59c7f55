import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What every section of the benchmark shares: the release binary under test, a temp
/// directory, a base database (schema + reps) to copy for each run, and the generated leads.
/// A database is a SQLite file, or with `--db postgresql://…` a schema of that database.
final class BenchContext {
    /// The `leadpool` executable measured.
    let leadpool: String
    /// The temp directory holding the CSV and the databases.
    let directory: String
    let leads: [SampleLead]
    let runs: Int
    /// Reps added (`--reps`).
    let repCount: Int
    /// The clock every run uses (`--now`), as stored seconds and as ISO-8601.
    let now: Int64 = 1_772_355_600
    let nowISO = "2026-03-01T09:00:00Z"
    /// The clock of the reclaim after the round: a year on, so every lead the round gave is
    /// past max-hold-days.
    let reclaimNowISO = "2027-03-01T09:00:00Z"
    let reclaimNow: Int64 = 1_772_355_600 + 365 * 86_400
    /// The rules file every section after the import runs under (``BenchRules``).
    let rulesYAML: String
    /// The first admin, who runs the admin commands.
    let actor: String
    /// The database every section starts from: the reps, no leads.
    let baseDatabase: String
    private let verbose: Bool

    /// The PostgreSQL database of `--db`, whose schemas the databases are; nil on SQLite, where
    /// they are files in ``directory``.
    let postgres: PostgresTarget?

    init(
        leadpool: String,
        directory: String,
        leads: [SampleLead],
        reps: Int,
        runs: Int,
        postgres: PostgresTarget? = nil,
        verbose: Bool
    ) throws {
        self.leadpool = leadpool
        self.directory = directory
        self.leads = leads
        self.runs = runs
        self.repCount = reps
        self.postgres = postgres
        self.verbose = verbose
        rulesYAML = BenchRules.yaml(defaultCapacity: Self.defaultCapacity(leads: leads.count, reps: reps))
        let repsSQL = Self.repsSQL(reps, leads: leads.count)
        if let postgres {
            // On PostgreSQL the acting rep is the role the URL connects as.
            actor = try postgres.role()
            baseDatabase = postgres.database("base")
            try ChildProcess.check(leadpool, ["--db", baseDatabase, "init", "--admin", actor, "--name", "Bench Admin"])
            let script = directory + "/reps.sql"
            try repsSQL.write(toFile: script, atomically: true, encoding: .utf8)
            try postgres.run(file: script, in: baseDatabase)
        } else {
            // The login is the first admin: import is an admin command, run as the login.
            actor = getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? NSUserName()
            baseDatabase = directory + "/base.db"
            try ChildProcess.check(leadpool, ["--db", baseDatabase, "init", "--admin", actor, "--name", "Bench Admin"])
            try RawSQLite(path: baseDatabase).exec(repsSQL)
        }
    }

    /// The sales teams the reps are spread over: the share of the reps in each, and the
    /// country codes its reps cover. Every team holds 20–100 reps at `--reps 1000`; the
    /// last two get no rule in ``BenchRules`` (account managers, partner desk).
    static let teams: [(name: String, share: Double, territories: [String])] = [
        ("enterprise", 0.06, ["DE", "AT", "CH", "FR", "BE", "GB", "IE", "NL", "ES", "IT", "SE", "PL", "US", "CA"]),
        ("dach", 0.10, ["DE", "AT", "CH"]),
        ("france", 0.06, ["FR", "BE"]),
        ("uk", 0.06, ["GB", "IE"]),
        ("benelux", 0.06, ["NL", "BE"]),
        ("south", 0.10, ["ES", "IT"]),
        ("north-east", 0.10, ["SE", "PL"]),
        ("na-ae", 0.10, ["US", "CA"]),
        ("na-sdr", 0.10, ["US", "CA"]),
        ("sdr", 0.06, []),
        ("csm", 0.10, []),
        ("partners", 0.10, []),
    ]

    /// The team of the rep at `index` out of `count`: consecutive blocks by share.
    static func team(of index: Int, count: Int) -> (name: String, share: Double, territories: [String]) {
        var end = 0.0
        for team in teams {
            end += team.share * Double(count)
            if Double(index) < end.rounded() { return team }
        }
        return teams[teams.count - 1]
    }

    /// The capacity of reps without their own: three times an even share of the leads, so
    /// that a round can give out most of the pool (see ``BenchRules``).
    static func defaultCapacity(leads: Int, reps: Int) -> Int {
        3 * ((leads + max(reps, 1) - 1) / max(reps, 1))
    }

    /// Reps in teams with territories, capacities and weights, as one SQL script (both
    /// engines) written straight into the base database (a thousand `rep add` processes would
    /// time process start-up, not leadpool). One in five has a capacity of its own (two even
    /// shares, give or take), the others the ruleset's default; one in fifty is deactivated.
    private static func repsSQL(_ count: Int, leads: Int) -> String {
        let share = (leads + max(count, 1) - 1) / max(count, 1)
        var lines = ["BEGIN;"]
        for index in 0..<count {
            let handle = String(format: "rep%04d", index)
            let team = team(of: index, count: count)
            let capacity = index % 5 == 0 ? String(2 * share + index % 7) : "NULL"
            let dailyLimit = index % 4 == 0 ? "NULL" : String(20 + index % 30)
            lines.append(
                """
                INSERT INTO reps (handle, name, email, team, role, capacity, daily_limit, weight, active, created_at) \
                VALUES ('\(handle)', 'Rep \(index)', '\(handle)@example.com', '\(team.name)', 'rep', \(capacity), \(dailyLimit), \
                \(1 + index % 3), \(index % 50 == 0 ? "FALSE" : "TRUE"), 1767225600);
                """
            )
            for code in team.territories {
                lines.append("INSERT INTO rep_territories (rep, code) VALUES ('\(handle)', '\(code)');")
            }
        }
        lines.append("COMMIT;")
        return lines.joined(separator: "\n")
    }

    /// A fresh copy of the base database, for one run.
    func freshDatabase(_ name: String) throws -> String {
        try copy(baseDatabase, to: name)
    }

    /// Copies the database at `source` (checkpointed: no WAL beside it) to `NAME.db` in the
    /// temp directory, replacing an earlier one, and returns its path.
    func copy(_ source: String, to name: String) throws -> String {
        if let postgres { return try postgres.copy(source, to: name) }
        let path = "\(directory)/\(name).db"
        remove(path)
        try checkpoint(source)
        try FileManager.default.copyItem(atPath: source, toPath: path)
        return path
    }

    /// Times `runs` floor runs of `body`, each on its own copy of `source` (named `NAME-RUN`,
    /// removed after it), and logs each.
    func floorRuns(copying source: String, as name: String, _ body: (String) throws -> Double) throws -> [Double] {
        try (1...runs).map { run in
            let database = try copy(source, to: "\(name)-\(run)")
            defer { remove(database) }
            let seconds = try body(database)
            log("  floor run \(run): \(String(format: "%.3f", seconds)) s")
            return seconds
        }
    }

    /// Removes a database and its WAL files (on PostgreSQL: drops its schema).
    func remove(_ path: String) {
        if let postgres { return postgres.remove(path) }
        for suffix in ["", "-wal", "-shm", ".reclaim-lock"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Folds the WAL into the database file, so that a plain file copy is the whole database.
    func checkpoint(_ path: String) throws {
        let connection = try RawSQLite(path: path)
        try connection.exec("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Reads back from `database`: the SQLite file itself, or the schema through `psql`.
    func query(_ database: String) throws -> any BenchQueries {
        if let postgres { return postgres.query(database) }
        return try RawSQLite(path: database)
    }

    /// Runs the release `leadpool` on `database` at the clock `now` (ISO-8601) and requires
    /// exit status 0.
    @discardableResult
    func leadpool(_ database: String, now: String, _ arguments: [String], as handle: String? = nil) throws -> ChildRun {
        let identity = handle.map { ["--as", $0] } ?? []
        return try ChildProcess.check(leadpool, ["--db", database, "--now", now] + identity + arguments)
    }

    /// Progress on stderr, so stdout stays the table.
    func log(_ message: String) {
        if verbose { FileHandle.standardError.write(Data((message + "\n").utf8)) }
    }
}

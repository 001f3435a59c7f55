import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// What every section of the benchmark shares: the release binary under test, a temp
/// directory, a base database (schema + reps) to copy for each run, and the generated leads.
final class BenchContext {
    /// The `leadpool` executable measured.
    let leadpool: String
    /// The temp directory holding the CSV and the databases.
    let directory: String
    let leads: [SampleLead]
    let runs: Int
    /// The clock every run uses (`--now`), as stored seconds and as ISO-8601.
    let now: Int64 = 1_772_355_600
    let nowISO = "2026-03-01T09:00:00Z"
    /// The first admin, who runs the admin commands.
    let actor: String
    private let baseDatabase: String
    private let verbose: Bool

    init(leadpool: String, directory: String, leads: [SampleLead], reps: Int, runs: Int, verbose: Bool) throws {
        self.leadpool = leadpool
        self.directory = directory
        self.leads = leads
        self.runs = runs
        self.verbose = verbose
        // The login is the first admin: import is an admin command, run as the login.
        actor = getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? NSUserName()
        baseDatabase = directory + "/base.db"
        try ChildProcess.check(leadpool, ["--db", baseDatabase, "init", "--admin", actor, "--name", "Bench Admin"])
        try Self.addReps(reps, to: baseDatabase)
    }

    /// Reps in teams with territories, capacities and weights, written straight into the base
    /// database (a thousand `rep add` processes would time process start-up, not leadpool).
    private static func addReps(_ count: Int, to path: String) throws {
        let teams = ["emea", "dach", "nordics", "na", "latam", "apac", "sdr"]
        let territories = [["DE", "AT", "CH"], ["FR", "BE"], ["GB", "IE"], ["NL"], ["US", "CA"], ["ES", "IT"], ["SE", "PL"]]
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            for index in 0..<count {
                let handle = String(format: "rep%04d", index)
                try db.execute(
                    sql: """
                        INSERT INTO reps (handle, name, email, team, role, capacity, daily_limit, weight, active, created_at)
                        VALUES (?, ?, ?, ?, 'rep', ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        handle, "Rep \(index)", "\(handle)@example.com", teams[index % teams.count],
                        index % 5 == 0 ? nil : 200 + index % 300, index % 4 == 0 ? nil : 20 + index % 30,
                        1 + index % 3, index % 50 == 0 ? 0 : 1, 1_767_225_600,
                    ])
                for code in territories[index % territories.count] {
                    try db.execute(sql: "INSERT INTO rep_territories (rep, code) VALUES (?, ?)", arguments: [handle, code])
                }
            }
        }
        try queue.close()
    }

    /// A fresh copy of the base database, for one run.
    func freshDatabase(_ name: String) throws -> String {
        let path = "\(directory)/\(name).db"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        try FileManager.default.copyItem(atPath: baseDatabase, toPath: path)
        return path
    }

    /// Progress on stderr, so stdout stays the table.
    func log(_ message: String) {
        if verbose { FileHandle.standardError.write(Data((message + "\n").utf8)) }
    }
}

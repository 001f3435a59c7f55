import Foundation
import Testing

@Suite(.bothBackends) struct ConcurrencyTests {
    /// Starts `leadpool` without waiting; `finish` collects what it printed.
    final class Running {
        let process = Process()
        let out = Pipe()
        let err = Pipe()

        init(_ arguments: [String], db: String) throws {
            process.executableURL = CLI.binary
            process.arguments = ["--db", db] + arguments
            process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
            process.standardOutput = out
            process.standardError = err
            try process.run()
        }

        func finish() -> Run {
            let stdout = out.fileHandleForReading.readDataToEndOfFile()
            let stderr = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Run(
                status: process.terminationStatus,
                stdout: String(decoding: stdout, as: UTF8.self),
                stderr: String(decoding: stderr, as: UTF8.self)
            )
        }
    }

    @Test func sixteenProcessesClaimingOverlappingLeadsNeverDoubleOwn() throws {
        let box = Sandbox()
        box.initialized()
        var csv = "Company,Email\n"
        for i in 1...120 { csv += "Company \(i),x\(i)@c\(i).com\n" }
        try csv.write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("import", box.path("leads.csv")).status == 0)
        let reps = (1...16).map { "rep\($0)" }
        for rep in reps { #expect(box.leadpool("rep", "add", rep, "--name", rep, "--capacity", "25").status == 0) }

        // Each process wants 30 leads from an overlapping window; half of them also take --next.
        var running: [Running] = []
        for (k, rep) in reps.enumerated() {
            let ids = (0..<30).map { String((k * 5 + $0 * 3) % 120 + 1) }
            let arguments = k % 2 == 0 ? ["--as", rep, "claim"] + ids : ["--as", rep, "claim", "--next", "-n", "20"]
            running.append(try Running(arguments, db: box.db))
        }
        let runs = running.map { $0.finish() }

        var claimedByRep: [String: Set<Int>] = [:]
        for (k, run) in runs.enumerated() {
            #expect([0, 1].contains(run.status), "rep\(k + 1): \(run)")
            #expect(!run.stderr.localizedCaseInsensitiveContains("locked"), "\(run)")
            #expect(!run.stderr.localizedCaseInsensitiveContains("busy"), "\(run)")
            for line in run.stdout.split(separator: "\n") where line.hasPrefix("claimed  ") {
                claimedByRep["rep\(k + 1)", default: []].insert(Int(line.dropFirst(9).prefix { $0 != " " })!)
            }
        }
        let all = claimedByRep.values.flatMap { $0 }
        #expect(Set(all).count == all.count, "no lead was claimed twice")
        #expect(claimedByRep.values.allSatisfy { $0.count <= 25 }, "nobody above capacity")

        let leads = box.leadpool("--json", "lead", "list").json as? [[String: Any]] ?? []
        for lead in leads {
            let id = lead["id"] as! Int
            let owner = lead["owner"] as? String
            let claimers = claimedByRep.filter { $0.value.contains(id) }.map(\.key)
            #expect(claimers == (owner.map { [$0] } ?? []), "lead \(id): owner \(owner ?? "none"), claimed by \(claimers)")
            let events = box.leadpool("--json", "history", String(id)).json as? [[String: Any]] ?? []
            #expect(events.filter { $0["kind"] as? String == "claimed" }.count == claimers.count)
        }
        #expect(box.leadpool("check").status == 0)
    }

    @Test func claimsRacingARoundEitherWinWholeOrAreRefused() throws {
        let box = Sandbox()
        box.initialized()
        var csv = "Company,Email,Number of Employees\n"
        for i in 1...3000 { csv += "Company \(i),x\(i)@c\(i).com,\(i % 700)\n" }
        try csv.write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        try """
        defaults: { capacity: 400, daily-limit: 100 }
        icp: [{ name: big, when: 'employees >= 350', points: 60 }]
        rules: [{ name: all, when: 'true', to: team:pool, strategy: round-robin }]
        """.write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("import", box.path("leads.csv")).status == 0)
        #expect(box.leadpool("rules", "apply", box.path("rules.yaml")).status == 0)
        let claimers = (1...16).map { "c\($0)" }
        for rep in claimers { #expect(box.leadpool("rep", "add", rep, "--name", rep).status == 0) }
        for rep in ["r1", "r2", "r3", "r4", "r5", "r6"] {
            #expect(box.leadpool("rep", "add", rep, "--name", rep, "--team", "pool").status == 0)
        }

        let round = try Running(["assign"], db: box.db)
        var running: [Running] = []
        for (k, rep) in claimers.enumerated() {
            let arguments =
                k % 2 == 0
                ? ["--as", rep, "claim"] + (0..<40).map { String((k * 97 + $0 * 61) % 3000 + 1) }
                : ["--as", rep, "claim", "--next", "-n", "30"]
            running.append(try Running(arguments, db: box.db))
        }
        let roundRun = round.finish()
        let runs = running.map { $0.finish() }
        #expect(roundRun.status == 0, "\(roundRun)")

        var claimed: [Int: String] = [:]
        for (k, run) in runs.enumerated() {
            #expect([0, 1].contains(run.status), "c\(k + 1): \(run)")
            #expect(!run.stderr.localizedCaseInsensitiveContains("locked"), "\(run)")
            for line in run.stdout.split(separator: "\n") where line.hasPrefix("claimed  ") {
                let id = Int(line.dropFirst(9).prefix { $0 != " " })!
                #expect(claimed[id] == nil, "lead \(id) claimed twice")
                claimed[id] = "c\(k + 1)"
            }
        }
        #expect(!claimed.isEmpty)
        let leads = box.leadpool("--json", "lead", "list").json as? [[String: Any]] ?? []
        for lead in leads {
            let id = lead["id"] as! Int
            if let claimer = claimed[id] {
                #expect(lead["owner"] as? String == claimer, "the round never overwrites a claim (lead \(id))")
            }
        }
        let owners = leads.compactMap { $0["owner"] as? String }
        for rep in ["r1", "r2", "r3", "r4", "r5", "r6"] { #expect(owners.filter { $0 == rep }.count <= 400) }
        #expect(box.leadpool("check").status == 0, "one owner each, owner = last ownership event")
    }

    /// `claim --next` does not queue claimers behind one row: while another transaction holds
    /// the first candidate `FOR UPDATE` (a psql session left open), claimers finish at once with
    /// the next leads, and the held one stays in the pool. The session ends itself after two
    /// idle minutes, so a claimer that waited would end with lead 1 and fail the test, not hang.
    @Test(
        .postgresOnly("row locks held by another PostgreSQL session"),
        .enabled(if: PostgresTestDatabase.url != nil, "LEADPOOL_TEST_POSTGRES is not set")
    )
    func claimNextPassesOverALeadAnotherTransactionHoldsInsteadOfWaiting() throws {
        let box = Sandbox()
        box.initialized()
        try "Company,Email\nAcme,a@acme.example\nBeta,b@beta.example\nGamma,c@gamma.example\n"
            .write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("import", box.path("leads.csv")).status == 0)
        for rep in ["ann", "bob"] { #expect(box.leadpool("rep", "add", rep, "--name", rep).status == 0) }
        let order = box.leadpool("--json", "lead", "list", "--pooled", "--sort", "score").json as? [[String: Any]]
        #expect(order?.compactMap { $0["id"] as? Int } == [1, 2, 3], "lead 1 is the first candidate")

        let holder = try PostgresSession(box.db)
        #expect(
            holder.run(
                "BEGIN; SET LOCAL idle_in_transaction_session_timeout = '120s'; SELECT 'held ' || id FROM leads WHERE id = 1 FOR UPDATE;"
            ) == "held 1"
        )
        let ann = box.leadpool("--as", "ann", "claim", "--next", "-n", "1")
        #expect(ann.status == 0, "\(ann)")
        #expect(ann.stdout.hasPrefix("claimed  2 "), "\(ann)")
        let bob = box.leadpool("--as", "bob", "claim", "--next", "-n", "1")
        #expect(bob.stdout.hasPrefix("claimed  3 "), "\(bob)")
        #expect(holder.run("SELECT 'still held ' || count(*) FROM leads WHERE id = 1;") == "still held 1")
        let ended = holder.finish("COMMIT;")
        #expect(ended.status == 0, "the holder's transaction lasted until it committed: \(ended)")

        let first = box.leadpool("--json", "lead", "show", "1").json as? [String: Any]
        #expect(first?["owner"] == nil || first?["owner"] is NSNull, "the held lead stayed in the pool")
        #expect(box.leadpool("check").status == 0)
    }
}

/// A psql session on a leadpool URL's schema that stays open between statements: each `run`
/// writes to its standard input and waits for the line it prints; `finish` closes it.
final class PostgresSession {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private var pending = ""

    init(_ leadpoolURL: String) throws {
        let (url, schema) = PostgresTestDatabase.split(leadpoolURL)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtX"]
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        if let schema { environment["PGOPTIONS"] = "-c search_path=\(schema)" }
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
    }

    /// Sends `sql` (statements whose last prints one line) and returns that line once printed.
    func run(_ sql: String) -> String? {
        input.fileHandleForWriting.write(Data((sql + "\n").utf8))
        while !pending.contains("\n") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { return nil }
            pending += String(decoding: data, as: UTF8.self)
        }
        let line = String(pending.prefix { $0 != "\n" })
        pending = String(pending.drop { $0 != "\n" }.dropFirst())
        return line
    }

    /// Sends `sql`, closes the session's input and waits for psql to end.
    func finish(_ sql: String) -> Run {
        input.fileHandleForWriting.write(Data((sql + "\n").utf8))
        try? input.fileHandleForWriting.close()
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            stdout: pending + String(decoding: rest, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }
}

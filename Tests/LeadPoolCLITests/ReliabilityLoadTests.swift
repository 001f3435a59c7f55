import Foundation
import GRDB
import Testing

/// Real processes at once on one database: 32 reps claiming (by id and --next), a round, the
/// nightly reclaim, an import and readers. Nothing is lost or doubled, nobody sees "database is
/// locked", nobody ends above a limit, and `check` passes at the end.
@Suite(.serialized, .bothBackends) struct ReliabilityLoadTests {
    static let now = "2026-03-01T10:00:00Z"

    @Test func claimersARoundAReclaimAnImportAndReadersTogether() throws {
        var random = Reliability.generator("mixed load")
        let leads = 3_000 * Reliability.scale
        let box = Sandbox()
        box.initialized()
        try Reliability.leadsCSV(leads).write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        let arriving = 500 * Reliability.scale
        try Reliability.leadsCSV(arriving, from: leads).write(toFile: box.path("arriving.csv"), atomically: true, encoding: .utf8)
        try Reliability.rules(capacity: 150 * Reliability.scale).write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("--now", "2026-01-01T09:00:00Z", "rules", "apply", box.path("rules.yaml")).status == 0)
        #expect(box.leadpool("--now", "2026-01-01T09:00:00Z", "import", box.path("leads.csv")).status == 0)
        let claimers = (1...32).map { "c\($0)" }
        for rep in claimers { #expect(box.leadpool("rep", "add", rep, "--name", rep, "--capacity", "25").status == 0) }
        for rep in ["f1", "f2", "f3", "f4"] { #expect(box.leadpool("rep", "add", rep, "--name", rep, "--team", "field").status == 0) }
        // A hoarder whose leads went stale in January: the reclaim has work to do.
        let hoard = 300 * Reliability.scale
        #expect(box.leadpool("rep", "add", "hoarder", "--name", "H", "--capacity", "100000", "--daily-limit", "100000").status == 0)
        let hoarded = box.leadpool("--now", "2026-01-10T10:00:00Z", "--as", "hoarder", "--json", "claim", "--next", "-n", String(hoard))
        #expect((hoarded.json as? [Any])?.count == hoard, "\(hoarded)")

        // Everything at once, in a seeded order.
        var jobs: [(name: String, arguments: [String])] = []
        for (k, rep) in claimers.enumerated() {
            if k % 2 == 0 {
                let ids = (0..<40).map { _ in String(Int.random(in: 1...leads, using: &random)) }
                jobs.append((rep, ["--now", Self.now, "--as", rep, "claim"] + ids))
            } else {
                jobs.append((rep, ["--now", Self.now, "--as", rep, "claim", "--next", "-n", String(Int.random(in: 5...30, using: &random))]))
            }
        }
        jobs.append(("assign", ["--now", Self.now, "assign"]))
        jobs.append(("reclaim", ["--now", Self.now, "reclaim"]))
        jobs.append(("import", ["--now", Self.now, "import", box.path("arriving.csv")]))
        jobs.append(("report", ["--now", Self.now, "report"]))
        jobs.append(("report", ["--now", Self.now, "--json", "report", "reps", "rounds"]))
        jobs.append(("list", ["--now", Self.now, "lead", "list", "--pooled", "--sort", "score", "--limit", "200"]))
        jobs.append(("list", ["--now", Self.now, "--json", "lead", "list", "--where", "score >= 40 and idle_days > 3", "--limit", "500"]))
        jobs.shuffle(using: &random)
        print("reliability: mixed load order: \(jobs.map(\.name).joined(separator: " "))")

        let started = Date()
        let running = try jobs.map { try Spawned($0.arguments, db: box.db, in: box) }
        let runs = running.map { $0.finish().run }
        print("reliability: mixed load: \(jobs.count) processes in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")

        var printed: [String] = []
        for (job, run) in zip(jobs, runs) {
            // Claimers may be refused (1); everyone else succeeds. SPEC allows 75 only for a lock
            // held beyond the 10 s busy timeout, which nothing here comes near: not accepted.
            let allowed: Set<Int32> = job.name.hasPrefix("c") ? [0, 1] : [0]
            #expect(allowed.contains(run.status), "\(job.name) \(job.arguments.joined(separator: " ")): \(run)")
            #expect(!run.stderr.localizedCaseInsensitiveContains("locked"), "\(job.name): \(run)")
            #expect(!run.stderr.contains("Fatal error"), "\(job.name): \(run)")
            if job.name.hasPrefix("c") {
                for line in run.stdout.split(separator: "\n") where line.hasPrefix("claimed  ") {
                    printed.append("\(line.dropFirst(9).prefix { $0 != " " }) \(job.name)")
                }
            }
        }

        // Each claim printed exactly once, each matching one `claimed` event, and back.
        let events = Reliability.rows(box.db, "SELECT lead_id, to_owner FROM events WHERE kind = 'claimed' AND to_owner != 'hoarder'")
            .map { "\($0[0] as Int64) \($0[1] as String)" }
        #expect(!printed.isEmpty, "some claims got through")
        #expect(Set(printed).count == printed.count, "no claim printed twice")
        #expect(printed.sorted() == events.sorted(), "printed claims and claimed events agree")
        let claimedLeads = printed.map { $0.split(separator: " ")[0] }
        #expect(Set(claimedLeads).count == claimedLeads.count, "no lead claimed twice")

        // The reclaim took the hoarder's leads unless someone changed them meanwhile, and the round
        // gave leads; the readers' views are whole JSON.
        #expect(Reliability.count(box.db, "SELECT count(*) FROM events WHERE kind = 'reclaimed'") > 0)
        #expect(Reliability.count(box.db, "SELECT count(*) FROM events WHERE kind = 'assigned'") > 0)
        for (job, run) in zip(jobs, runs) where job.arguments.contains("--json") && job.name != "assign" {
            #expect(run.json != nil, "\(job.name): whole JSON")
        }

        // Every claim stands: the round never overwrites one and the reclaim leaves fresh ones.
        let owners = Dictionary(
            uniqueKeysWithValues: Reliability.rows(box.db, "SELECT id, owner FROM leads WHERE owner IS NOT NULL").map {
                ($0[0] as Int64, $0[1] as String)
            }
        )
        for claim in printed {
            let parts = claim.split(separator: " ")
            #expect(
                owners[Int64(parts[0])!] == String(parts[1]),
                "lead \(parts[0]) claimed by \(parts[1]), owned by \(owners[Int64(parts[0])!] ?? "none")"
            )
        }
        // Nobody above a limit.
        let held = Dictionary(grouping: owners.values) { $0 }.mapValues(\.count)
        for rep in claimers { #expect(held[rep, default: 0] <= 25, "\(rep) holds \(held[rep, default: 0])") }
        for rep in ["f1", "f2", "f3", "f4"] { #expect(held[rep, default: 0] <= 150 * Reliability.scale, "\(rep) holds \(held[rep, default: 0])") }
        // The import is whole: every new lead, each with its one event.
        #expect(Reliability.count(box.db, "SELECT count(*) FROM leads") == leads + arriving)
        #expect(Reliability.count(box.db, "SELECT count(*) FROM events WHERE kind = 'imported'") == leads + arriving)

        let check = box.leadpool("--json", "check")
        #expect(check.status == 0, "one owner each, owner = last ownership event, nobody above capacity: \(check)")
    }
}

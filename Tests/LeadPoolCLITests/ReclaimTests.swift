import Foundation
import LeadPoolCore
import LeadPoolStorage
import LeadPoolStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Reps alice and bob; ten leads (employees 10…100, lead 3 in FR, the rest DE) scored so that
/// leads 5–10 are tier A; alice claimed 1–5 and bob 6–10 on 2026-11-01T10:00Z; lead 6 is
/// exempt by its tag. The policy: 14 idle / 60 held days, overrides (first match wins)
/// tier A → 7 idle, employees ≥ 40 → 3 idle, FR → 20 held (idle stays 14).
func reclaimSandbox() throws -> Sandbox {
    let box = Sandbox()
    box.initialized()
    box.leadpool("rep", "add", "alice", "--name", "Alice", "--email", "alice@example.com")
    box.leadpool("rep", "add", "bob", "--name", "Bob")
    var csv = "Company,Email,Country,Number of Employees\n"
    for i in 1...10 { csv += "Company \(i),c\(i)@company\(i).com,\(i == 3 ? "FR" : "DE"),\(i * 10)\n" }
    try csv.write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
    try """
    icp:
      - { name: big, when: 'employees >= 50', points: 90 }
    reclaim:
      no-activity-days: 14
      max-hold-days: 60
      cooldown-days: 7
      warn-days: 3
      exempt: 'tag("keep")'
      overrides:
        - { when: 'tier = "A"', no-activity-days: 7 }
        - { when: 'employees >= 40', no-activity-days: 3 }
        - { when: 'country = "FR"', max-hold-days: 20 }
    """.write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
    let setup: [[String]] = [
        ["--now", "2026-11-01T09:00:00Z", "import", box.path("leads.csv")],
        ["--now", "2026-11-01T09:00:00Z", "rules", "apply", box.path("rules.yaml")],
        ["--now", "2026-11-01T10:00:00Z", "--as", "alice", "claim", "1", "2", "3", "4", "5"],
        ["--now", "2026-11-01T10:00:00Z", "--as", "bob", "claim", "6", "7", "8", "9", "10"],
        ["lead", "tag", "6", "keep"],
    ]
    for arguments in setup {
        let run = box.leadpool(arguments)
        precondition(run.status == 0, "\(arguments): \(run)")
    }
    return box
}

extension Sandbox {
    /// `reclaim --json` at `now`: the ids reclaimed (or that would be) and their reasons by id.
    func reclaimJSON(at now: String, _ flags: String...) -> (run: Run, ids: [Int], reasons: [Int: String]) {
        let run = leadpool(["--now", now, "--json", "reclaim"] + flags)
        let leads = (run.json as? [String: Any])?["leads"] as? [[String: Any]] ?? []
        let ids = leads.compactMap { $0["id"] as? Int }
        var reasons: [Int: String] = [:]
        for lead in leads { reasons[lead["id"] as! Int] = lead["reason"] as? String }
        return (run, ids, reasons)
    }

    /// Every lead and every event, to show a command wrote nothing.
    func snapshot() -> String {
        var text = leadpool("export", "--format", "json").stdout
        for id in 1...10 { text += leadpool("history", String(id)).stdout }
        return text
    }
}

@Suite(.bothBackends) struct ReclaimTests {
    @Test func thresholdsComeFromTheFirstMatchingOverrideAndReasonsSayWhy() throws {
        let box = try reclaimSandbox()
        // Day 4: only lead 4 (employees 40 → 3 idle days). Leads 5–10 also have employees ≥ 40,
        // but tier A comes first and gives them 7.
        let day4 = box.reclaimJSON(at: "2026-11-05T10:00:00Z")
        #expect(day4.run.status == 0, "\(day4.run)")
        #expect(day4.ids == [4])
        #expect(day4.reasons[4] == "no activity for 4 days (limit 3 when employees >= 40)")

        // Day 8: the tier A leads but 6, which is exempt.
        let day8 = box.reclaimJSON(at: "2026-11-09T10:00:00Z")
        #expect(day8.ids == [5, 7, 8, 9, 10])
        #expect(day8.reasons[5] == "no activity for 8 days (limit 7 when tier = \"A\")")
        #expect((day8.run.json as? [String: Any])?["by_cause"] as? [String: Int] == ["no_activity": 5, "max_hold": 0, "inactive_rep": 0])

        // Day 21, after activity on 1 and 3 on day 14: lead 3 (FR) goes on the held limit its
        // override sets while keeping the general 14 idle days; lead 1 stays; lead 2 idled out.
        #expect(box.leadpool("--now", "2026-11-15T10:00:00Z", "--as", "alice", "touch", "1").status == 0)
        #expect(box.leadpool("--now", "2026-11-15T10:00:00Z", "--as", "alice", "touch", "3").status == 0)
        let day21 = box.reclaimJSON(at: "2026-11-22T10:00:00Z")
        #expect(day21.ids == [2, 3])
        #expect(day21.reasons[2] == "no activity for 21 days (limit 14)")
        #expect(day21.reasons[3] == "held for 21 days (limit 20 when country = \"FR\")")
        let one = box.leadpool("--json", "lead", "show", "1").json as? [String: Any]
        #expect(one?["owner"] as? String == "alice")
        #expect(box.leadpool("check").status == 0)
    }

    @Test func exemptLeadsStayUntilTheirRepIsDeactivated() throws {
        let box = try reclaimSandbox()
        #expect(box.reclaimJSON(at: "2026-12-31T10:00:00Z").ids == [1, 2, 3, 4, 5, 7, 8, 9, 10], "6 is exempt")
        #expect(box.leadpool("--as", "bob", "qualify", "6").status == 0)
        #expect(box.leadpool("rep", "deactivate", "bob").status == 0)
        let run = box.leadpool("--now", "2026-12-31T11:00:00Z", "reclaim")
        #expect(run.stdout.hasPrefix("reclaim 2026-12-31T11:00:00Z: 1 reclaimed (1 inactive rep) in "), "\(run)")
        let lead = box.leadpool("--json", "lead", "show", "6").json as? [String: Any]
        #expect(lead?["owner"] is NSNull)
        #expect(lead?["status"] as? String == "open", "a qualified lead goes back open")
        let event = (box.leadpool("--json", "history", "6").json as? [[String: Any]])?.last
        #expect(event?["reason"] as? String == "rep deactivated")
    }

    @Test func reclaimedLeadCoolsDownForItsPreviousOwner() throws {
        let box = try reclaimSandbox()
        #expect(box.leadpool("--now", "2026-11-05T10:00:00Z", "reclaim").status == 0)
        let event = (box.leadpool("--json", "history", "4").json as? [[String: Any]])?.last
        #expect(event?["kind"] as? String == "reclaimed")
        #expect(event?["actor"] as? String == "system")
        #expect(event?["from_owner"] as? String == "alice")
        #expect(event?["to_owner"] is NSNull)
        #expect(event?["at"] as? String == "2026-11-05T10:00:00Z")
        let refused = box.leadpool("--now", "2026-11-06T10:00:00Z", "--as", "alice", "claim", "4")
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("cooldown"), "\(refused)")
        #expect(refused.stdout.contains("2026-11-12T10:00:00Z"), "\(refused)")
        #expect(box.leadpool("--now", "2026-11-12T10:00:00Z", "--as", "alice", "claim", "4").status == 0)
    }

    @Test func aSecondRunAtTheSameNowReclaimsNothing() throws {
        let box = try reclaimSandbox()
        #expect(box.reclaimJSON(at: "2026-11-09T10:00:00Z").ids.count == 6)
        let again = box.leadpool("--now", "2026-11-09T10:00:00Z", "reclaim")
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("reclaim 2026-11-09T10:00:00Z: 0 reclaimed in "), "\(again)")
        let events = (box.leadpool("--json", "history", "5").json as? [[String: Any]])?.filter { $0["kind"] as? String == "reclaimed" }
        #expect(events?.count == 1)
        #expect(box.leadpool("check").status == 0)
    }

    @Test func dryRunAndWarnWriteNothing() throws {
        let box = try reclaimSandbox()
        let before = box.snapshot()
        let dry = box.leadpool("--now", "2026-11-09T10:00:00Z", "reclaim", "--dry-run")
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("no activity for 8 days (limit 7 when tier = \"A\")"))
        #expect(dry.stdout.contains("(dry run): 6 would be reclaimed (6 no activity)"), "\(dry)")
        #expect(box.leadpool("--now", "2026-11-06T10:00:00Z", "reclaim", "--warn").status == 0)
        #expect(box.leadpool("--now", "2026-11-06T10:00:00Z", "--json", "reclaim", "--warn").status == 0)
        #expect(box.snapshot() == before)
        #expect(box.leadpool("reclaim", "--dry-run", "--warn").status == 64)
    }

    @Test func warnListsLeadsDueWithinWarnDaysByOwnerForMail() throws {
        let box = try reclaimSandbox()
        // Day 5: lead 4 is due already (not a warning); 5, 7–10 go on day 7, inside 3 warn days.
        let run = box.leadpool("--now", "2026-11-06T10:00:00Z", "--json", "reclaim", "--warn")
        #expect(run.status == 0, "\(run)")
        let owners = run.json as? [[String: Any]] ?? []
        #expect(owners.map { $0["handle"] as? String } == ["alice", "bob"])
        #expect(owners.first?["name"] as? String == "Alice")
        #expect(owners.first?["email"] as? String == "alice@example.com")
        let leads = owners.map { ($0["leads"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int } }
        #expect(leads == [[5], [7, 8, 9, 10]])
        let first = (owners.first?["leads"] as? [[String: Any]])?.first
        #expect(first?["reclaim_at"] as? String == "2026-11-08T10:00:00Z")
        #expect(first?["reason"] as? String == "no activity for 5 days (limit 7 when tier = \"A\")")
        #expect(first?["company"] as? String == "Company 5")
        let text = box.leadpool("--now", "2026-11-06T10:00:00Z", "reclaim", "--warn").stdout
        #expect(text.contains("alice — Alice <alice@example.com>: 1 lead(s)"), "\(text)")
        // Lead 4 goes at 2026-11-04T10:00Z, so it enters the 3-day window at 2026-11-01T10:00Z exactly.
        let edge = box.leadpool("--now", "2026-11-01T10:00:00Z", "--json", "reclaim", "--warn").json as? [[String: Any]]
        #expect(edge?.count == 1)
        let none = box.leadpool("--now", "2026-11-01T09:59:59Z", "--json", "reclaim", "--warn")
        #expect((none.json as? [Any])?.isEmpty == true)
    }

    @Test func mineShowsWhenEachLeadGoesSoonestFirst() throws {
        let box = try reclaimSandbox()
        let alice = box.leadpool("--now", "2026-11-06T10:00:00Z", "--as", "alice", "--json", "mine").json as? [[String: Any]] ?? []
        #expect(alice.compactMap { $0["id"] as? Int } == [4, 5, 1, 2, 3])
        #expect(alice[0]["days_left"] as? Int == 0)
        #expect(alice[1]["days_left"] as? Int == 2)
        #expect(alice[1]["reclaim_at"] as? String == "2026-11-08T10:00:00Z")
        #expect(alice.map { $0["warn"] as? Bool } == [true, true, false, false, false])
        #expect(alice[2]["idle_days"] as? Int == 5)
        #expect(alice[2]["held_days"] as? Int == 5)
        #expect(alice[2]["reason"] as? String == "no activity for 5 days (limit 14)")
        let bob = box.leadpool("--now", "2026-11-06T10:00:00Z", "--as", "bob", "--json", "mine").json as? [[String: Any]] ?? []
        #expect(bob.last?["id"] as? Int == 6)
        #expect(bob.last?["exempt"] as? Bool == true)
        #expect(bob.last?["reclaim_at"] is NSNull)
        let table = box.leadpool("--now", "2026-11-06T10:00:00Z", "--as", "bob", "mine")
        #expect(table.stdout.contains("exempt: tag(\"keep\")"), "\(table)")
    }

    @Test func repsMayNotReclaimAndQuietPrintsNothing() throws {
        let box = try reclaimSandbox()
        #expect(box.leadpool("--as", "alice", "reclaim").status == 77)
        let quiet = box.leadpool("--now", "2026-11-09T10:00:00Z", "reclaim", "--quiet")
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet)")
        #expect(box.reclaimJSON(at: "2026-11-09T10:00:00Z", "--dry-run").ids.isEmpty, "the quiet run did the work")
    }

    @Test func aSecondConcurrentRunRefusesWithExit75() throws {
        let box = try reclaimSandbox()
        // Hold the lock a running reclaim holds, from another holder.
        let release = try box.holdRunLock("reclaim")
        let refused = box.leadpool("--now", "2026-11-09T10:00:00Z", "reclaim")
        #expect(refused.status == 75, "\(refused)")
        #expect(refused.stderr.contains("another reclaim is running"), "\(refused)")
        #expect(box.reclaimJSON(at: "2026-11-09T10:00:00Z", "--dry-run").ids.count == 6, "nothing was written")
        release()
        #expect(box.leadpool("--now", "2026-11-09T10:00:00Z", "reclaim").status == 0, "the lock goes with its holder")
    }

    @Test func cronRunsWithAnEmptyEnvironmentFromAnotherDirectory() throws {
        let box = try reclaimSandbox()
        let elsewhere = box.directory.appendingPathComponent("cron-cwd")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let run = CLI.run(
            ["--now", "2026-11-09T10:00:00Z", "reclaim"],
            environment: ["LEADPOOL_DB": box.db],
            cwd: elsewhere
        )
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.isEmpty, "\(run)")
        let pattern = #/reclaim 2026-11-09T10:00:00Z: 6 reclaimed \(6 no activity\) in \d+\.\d s\n/#
        #expect(run.stdout.wholeMatch(of: pattern) != nil, "\(run)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty, "nothing written to the cwd")
    }

    @Test(.sqliteOnly("reads the SQLite file with the store while reclaim runs")) func aKilledRunLeavesWholeBatchesAndTheNextRunFinishes() throws {
        let box = Sandbox()
        box.initialized()
        let total = 50_000
        var csv = "Company,Email\n"
        for i in 1...total { csv += "Company \(i),x\(i)@c\(i).com\n" }
        try csv.write(toFile: box.path("many.csv"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("--now", "2026-11-01T09:00:00Z", "import", box.path("many.csv")).status == 0)
        box.leadpool("rep", "add", "hoarder", "--name", "H", "--capacity", "60000", "--daily-limit", "60000")
        let claim = box.leadpool("--now", "2026-11-01T10:00:00Z", "--as", "hoarder", "--json", "claim", "--next", "-n", String(total))
        #expect((claim.json as? [Any])?.count == total)

        let reclaim = Process()
        reclaim.executableURL = CLI.binary
        reclaim.arguments = ["--db", box.db, "--now", "2026-12-01T10:00:00Z", "reclaim", "--quiet"]
        reclaim.environment = [:]
        try reclaim.run()
        let store = try Store.open(path: box.db)
        let pooled = LeadQuery(ownership: .pooled)
        var seen = 0
        let deadline = Date().addingTimeInterval(60)
        while seen == 0, reclaim.isRunning, Date() < deadline {
            seen = try store.countLeads(pooled, now: Date())
            if seen == 0 { usleep(2_000) }
        }
        kill(reclaim.processIdentifier, SIGKILL)
        reclaim.waitUntilExit()
        #expect(reclaim.terminationReason == .uncaughtSignal, "killed mid-run, not finished")
        let afterKill = try store.countLeads(pooled, now: Date())
        #expect(afterKill > 0 && afterKill < total, "at least one batch, not all: \(afterKill)")

        let check = box.leadpool("check")
        #expect(check.status == 0, "every committed lead has its event: \(check)")
        let rerun = box.leadpool("--now", "2026-12-01T10:00:00Z", "reclaim")
        #expect(rerun.status == 0, "\(rerun)")
        #expect(rerun.stdout.hasPrefix("reclaim 2026-12-01T10:00:00Z: \(total - afterKill) reclaimed"), "\(rerun)")
        #expect(try store.countLeads(pooled, now: Date()) == total)
        #expect(box.leadpool("check").status == 0)
    }
}

import Foundation
import Testing

let assignRules = """
    defaults: { capacity: 3, daily-limit: 20 }
    icp:
      - { name: big, when: 'employees >= 100', points: 50 }
    segments:
      de: 'country = "DE"'
    rules:
      - { name: de, when: 'segment("de")', to: team:emea, strategy: round-robin, territory: true }
      - { name: fr, when: 'country = "FR"', to: [wa, wb], strategy: weighted }
      - { name: us, when: 'country = "US"', to: team:na, strategy: least-loaded }
    reclaim: { cooldown-days: 7 }
    """

/// Reps: e1–e3 (emea, DE), e4 (emea, FR only), wa (weight 2), wb, n1, n2 (na); leads as given.
func assignSandbox(leads: [(country: String, employees: Int)]) throws -> Sandbox {
    let box = Sandbox()
    box.initialized()
    for (handle, extra) in [
        ("e1", ["--team", "emea", "--territories", "DE"]), ("e2", ["--team", "emea", "--territories", "DE"]),
        ("e3", ["--team", "emea", "--territories", "DE"]), ("e4", ["--team", "emea", "--territories", "FR"]),
        ("wa", ["--weight", "2"]), ("wb", []), ("n1", ["--team", "na"]), ("n2", ["--team", "na"]),
    ] {
        #expect(box.leadpool(["rep", "add", handle, "--name", handle] + extra).status == 0)
    }
    var csv = "Company,Country,Number of Employees\n"
    for (i, lead) in leads.enumerated() { csv += "Lead \(i + 1),\(lead.country),\(lead.employees)\n" }
    try csv.write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
    try assignRules.write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
    #expect(box.leadpool("--now", "2026-11-01", "import", box.path("leads.csv")).status == 0)
    #expect(box.leadpool("--now", "2026-11-01", "rules", "apply", box.path("rules.yaml")).status == 0)
    return box
}

extension Sandbox {
    /// Lead id → owner ("-" for none), in id order.
    func owners() -> [String] {
        (leadpool("--json", "lead", "list").json as? [[String: Any]] ?? []).map { $0["owner"] as? String ?? "-" }
    }
}

@Suite(.bothBackends) struct AssignTests {
    let now = ["--now", "2026-11-02T09:00:00Z"]

    @Test func roundRobinContinuesWhereTheLastRoundStopped() throws {
        let box = try assignSandbox(leads: Array(repeating: ("DE", 10), count: 4))
        #expect(box.leadpool(now + ["assign", "--limit", "2"]).status == 0)
        #expect(box.owners() == ["e1", "e2", "-", "-"])
        #expect(box.leadpool(now + ["assign"]).status == 0)
        #expect(box.owners() == ["e1", "e2", "e3", "e1"], "e4 covers no DE lead; the position persisted")
    }

    @Test func weightedIsSmoothWeightedRoundRobin() throws {
        let box = try assignSandbox(leads: Array(repeating: ("FR", 10), count: 5))
        #expect(box.leadpool(now + ["assign", "--limit", "3"]).status == 0)
        #expect(box.owners() == ["wa", "wb", "wa", "-", "-"])
        #expect(box.leadpool(now + ["assign"]).status == 0)
        // Totals persisted: the sequence goes on as one round over five leads would.
        #expect(box.owners() == ["wa", "wb", "wa", "wa", "wb"])
    }

    @Test func leastLoadedThenFewestHeldThenHandle() throws {
        let box = try assignSandbox(leads: Array(repeating: ("US", 10), count: 4))
        #expect(box.leadpool(now + ["transfer", "4", "--to", "n1"]).status == 0)
        #expect(box.leadpool(now + ["assign"]).status == 0)
        // n1 holds 1: n2 first; then 1/3 each with one held each: handle order (n1).
        #expect(box.owners() == ["n2", "n1", "n2", "n1"])
    }

    @Test func orderCapacityUnroutedAndNoCapacityAreReported() throws {
        let box = try assignSandbox(leads: [("US", 5), ("US", 500), ("JP", 500)] + Array(repeating: ("US", 5), count: 6))
        let run = box.leadpool(now + ["--json", "assign"])
        #expect(run.status == 0, "\(run)")
        let round = run.json as? [String: Any]
        #expect(round?["assigned"] as? Int == 6, "two reps of capacity 3")
        #expect(round?["unrouted"] as? Int == 1)
        #expect(round?["no_capacity"] as? Int == 2, "eight US leads, six places")
        let owners = box.owners()
        #expect(owners[1] == "n1", "the best score goes first")
        #expect(owners[2] == "-", "JP matches no rule")
        #expect(owners.last == "-", "the newest lead found nobody with room")
        let list = box.leadpool("rep", "list").stdout
        #expect(list.contains("n1") && !list.contains("  4  "), "nobody above capacity 3")
        #expect(box.leadpool("check").status == 0)
    }

    @Test func dryRunWritesNothingAndPlansWhatTheRoundDoes() throws {
        let box = try assignSandbox(leads: [("DE", 10), ("FR", 10), ("US", 10), ("DE", 500), ("FR", 500)])
        let dry = box.leadpool(now + ["--json", "assign", "--dry-run"])
        #expect(dry.status == 0)
        let planned = ((dry.json as? [String: Any])?["assignments"] as? [[String: Any]] ?? [])
            .map { "\($0["id"]!)=\($0["owner"]!)" }
        #expect(planned.count == 5)
        #expect(box.owners() == Array(repeating: "-", count: 5))
        #expect(box.leadpool("--json", "rounds", "list").json as? [Any] != nil)
        #expect((box.leadpool("--json", "rounds", "list").json as? [Any])?.isEmpty == true)
        let again = box.leadpool(now + ["--json", "assign", "--dry-run"])
        #expect(again.stdout == dry.stdout, "same database, ruleset and --now: same plan")
        let real = box.leadpool(now + ["--json", "assign"])
        #expect(real.status == 0)
        let owners = box.owners()
        let actual = owners.enumerated().map { "\($0.offset + 1)=\($0.element)" }
        #expect(Set(actual) == Set(planned))
        let dryDocument = try #require(dry.json as? [String: Any])
        let realDocument = try #require(real.json as? [String: Any])
        #expect(realDocument.keys.sorted() == dryDocument.keys.sorted(), "a round and its dry run print one shape")
        #expect(dryDocument["id"] is NSNull && realDocument["id"] as? Int == 1)
        #expect((realDocument["assignments"] as? [[String: Any]])?.map { "\($0["id"]!)=\($0["owner"]!)" } == planned)
        #expect((realDocument["summary"] as? [String: Any])?.keys.sorted() == ["fairness", "reps", "rules"])
    }

    @Test func cooldownAwayAndTerritoryLeaveRepsOut() throws {
        let box = try assignSandbox(leads: [("DE", 10), ("DE", 10)])
        #expect(box.leadpool(now + ["transfer", "1", "--to", "e1"]).status == 0)
        #expect(box.leadpool(now + ["--as", "e1", "release", "1", "--reason", "not mine"]).status == 0)
        #expect(box.leadpool(now + ["rep", "away", "e2", "--until", "2026-11-10"]).status == 0)
        let explain = box.leadpool(now + ["explain", "1"]).stdout
        #expect(explain.contains("rule de: yes"))
        #expect(explain.contains("e1: left out — cooldown"))
        #expect(explain.contains("e2: left out — away"))
        #expect(explain.contains("e3: candidate"))
        #expect(explain.contains("e4: left out — territory"))
        #expect(box.leadpool(now + ["assign"]).status == 0)
        #expect(box.owners() == ["e3", "e1"])
        let json = box.leadpool(now + ["--json", "explain", "2"]).json as? [String: Any]
        #expect((json?["routing"] as? [String: Any])?["rule"] as? String == "de")
    }

    @Test func everyAssignmentHasItsEventAndTheRoundIsRecorded() throws {
        let box = try assignSandbox(leads: [("DE", 10), ("US", 10)])
        #expect(box.leadpool(now + ["assign"]).status == 0)
        let history = box.leadpool("--json", "history", "1").json as? [[String: Any]] ?? []
        let assigned = history.filter { $0["kind"] as? String == "assigned" }
        #expect(assigned.count == 1)
        #expect(assigned.first?["rule"] as? String == "de")
        #expect(assigned.first?["round_id"] as? Int == 1)
        #expect((assigned.first?["reason"] as? String)?.contains("round-robin") == true)
        let round = box.leadpool("--json", "rounds", "show", "1").json as? [String: Any]
        #expect(round?["status"] as? String == "complete")
        #expect(round?["assigned"] as? Int == 2)
        #expect(round?["ruleset_version"] as? Int == 1)
        let summary = round?["summary"] as? [String: Any]
        #expect((summary?["reps"] as? [[String: Any]])?.contains { $0["handle"] as? String == "e1" && $0["given"] as? Int == 1 } == true)
        #expect(box.leadpool("rounds", "show", "1").stdout.contains("Fairness"))
        #expect(box.leadpool("rounds", "show", "9").status == 66)
        #expect(box.leadpool("check").status == 0)
    }

    @Test func transferMovesLeadsWithEventsAndDeactivateHandsThemOn() throws {
        let box = try assignSandbox(leads: [("DE", 10), ("DE", 10), ("DE", 10)])
        #expect(box.leadpool("transfer", "1", "2", "--to", "e1", "--reason", "key account").status == 0)
        let again = box.leadpool("transfer", "1", "--to", "e1")
        #expect(again.status == 1)
        #expect(again.stdout.contains("already owned by e1"))
        #expect(box.leadpool("--as", "e1", "transfer", "3", "--to", "e1").status == 77)
        #expect(box.leadpool("rep", "deactivate", "e1", "--transfer-to", "e2").status == 0)
        #expect(box.owners() == ["e2", "e2", "-"])
        let last = (box.leadpool("--json", "history", "1").json as? [[String: Any]])?.last
        #expect(last?["kind"] as? String == "transferred")
        #expect(last?["from_owner"] as? String == "e1")
        #expect(box.leadpool("rep", "deactivate", "e2", "--release").status == 0)
        #expect(box.owners() == ["-", "-", "-"])
        #expect(box.leadpool("rep", "deactivate", "e3", "--transfer-to", "e1").status == 1, "e1 is inactive")
        #expect(box.leadpool("--json", "rep", "show", "e3").json.flatMap { ($0 as? [String: Any])?["active"] as? Bool } == true)
        #expect(box.leadpool("check").status == 0)
    }

    @Test func assignNeedsARulesetAndNamesUnknownRules() throws {
        let box = Sandbox()
        box.initialized()
        let none = box.leadpool("assign")
        #expect(none.status == 66)
        #expect(none.stderr.contains("rules apply"))
        let withRules = try assignSandbox(leads: [("DE", 10)])
        #expect(withRules.leadpool("assign", "--rule", "nope").status == 66)
        #expect(withRules.leadpool("assign", "--where", "contry = \"DE\"").status == 65)
        #expect(withRules.leadpool(now + ["assign", "--rule", "us"]).status == 0)
        #expect(withRules.owners() == ["-"], "--rule us leaves the DE lead alone")
    }

    @Test func demoBuildsADatabaseAndRunsARound() throws {
        let box = Sandbox()
        let run = box.leadpool("demo", "--dir", box.path("demo"), "--leads", "400")
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("Round 1"))
        #expect(run.stdout.contains("Try next"))
        let db = box.path("demo/leadpool.db")
        #expect(box.leadpool("--db", db, "check").status == 0)
        let rounds = box.leadpool("--db", db, "--json", "rounds", "list").json as? [[String: Any]]
        #expect((rounds?.first?["assigned"] as? Int ?? 0) > 0)
        #expect(
            box.leadpool("demo", "--dir", box.path("demo")).status == 73,
            "never over an existing database (SPEC: demo --dir refuses a directory holding its files)"
        )
    }
}

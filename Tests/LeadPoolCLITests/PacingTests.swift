import Foundation
import Testing

/// `per-round`, `working-only`, fairness per rule and reps back from leave, end to end.
@Suite(.bothBackends) struct PacingTests {
    let now = ["--now", "2026-11-02T09:00:00Z"]

    /// Reps e1–e3 (team emea), wa, wb, wc (team fr); `leads` DE or FR leads, the first best.
    func sandbox(rules: String, leads: [String]) throws -> Sandbox {
        let box = Sandbox()
        box.initialized()
        for (handle, team) in [("e1", "emea"), ("e2", "emea"), ("e3", "emea"), ("wa", "fr"), ("wb", "fr"), ("wc", "fr")] {
            #expect(box.leadpool("rep", "add", handle, "--name", handle, "--team", team).status == 0)
        }
        var csv = "Company,Country,Number of Employees\n"
        for (i, country) in leads.enumerated() { csv += "Lead \(i + 1),\(country),\(1_000 - i)\n" }
        try csv.write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        try rules.write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("--now", "2026-11-01", "import", box.path("leads.csv")).status == 0)
        let apply = box.leadpool("--now", "2026-11-01", "rules", "apply", box.path("rules.yaml"))
        #expect(apply.status == 0, "\(apply)")
        return box
    }

    static let pacedRules = """
        defaults: { capacity: 50, daily-limit: 20 }
        icp:
          - { name: big, when: 'employees >= 1', points: 10 }
        rules:
          - name: de
            when: 'country = "DE"'
            to: team:emea
            strategy: round-robin
            per-round: 2
          - { name: fr, when: 'country = "FR"', to: team:fr, strategy: least-loaded }
        """

    @Test func perRoundCapsEachRepAndTheRoundSaysWhatStayed() throws {
        let box = try sandbox(rules: Self.pacedRules, leads: Array(repeating: "DE", count: 8) + ["FR", "FR"])
        let dry = box.leadpool(now + ["assign", "--dry-run"])
        #expect(dry.status == 0, "\(dry)")
        #expect(dry.stdout.contains("8 assigned, 0 unrouted, 0 no capacity, 2 per-round limit"), "\(dry.stdout)")
        #expect(dry.stdout.contains("PER-ROUND LIMIT"))
        #expect(dry.stdout.contains("2 lead(s) stay in the pool because their rule's reps had their per-round share"))

        let run = box.leadpool(now + ["--json", "assign"])
        #expect(run.status == 0, "\(run)")
        let round = try #require(run.json as? [String: Any])
        #expect(round["assigned"] as? Int == 8)
        #expect(round["no_capacity"] as? Int == 0)
        #expect(round["per_round_limited"] as? Int == 2)
        let rules = (round["summary"] as? [String: Any])?["rules"] as? [[String: Any]] ?? []
        #expect(rules.map { $0["per_round_limited"] as? Int } == [2, 0])
        #expect(rules.map { $0["assigned"] as? Int } == [6, 2])
        let de = try #require(rules.first?["fairness"] as? [String: Any])
        #expect(de["reps"] as? Int == 3 && de["spread"] as? Double == 0)
        #expect(box.owners() == ["e1", "e2", "e3", "e1", "e2", "e3", "-", "-", "wa", "wb"])

        // The leads kept back go in the next round; explain says what the cap is.
        let explain = box.leadpool(now + ["explain", "7"]).stdout
        #expect(explain.contains("per-round: at most 2 per rep in one round"), "\(explain)")
        #expect(box.leadpool(now + ["rounds", "show", "1"]).stdout.contains("per-round limit 2"))
        #expect(box.leadpool(now + ["assign"]).status == 0)
        #expect(box.owners() == ["e1", "e2", "e3", "e1", "e2", "e3", "e1", "e2", "wa", "wb"])
        #expect(box.leadpool("check").status == 0)

        // report rounds: the per-rule figures in every format.
        let table = box.leadpool(now + ["report", "rounds"]).stdout
        #expect(table.contains("Fairness per rule"), "\(table)")
        let csv = box.leadpool(now + ["report", "rounds", "--format", "csv"]).stdout
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first?.hasSuffix(",given,rule,matched,per_round_limited,reps,moved") == true, "\(csv)")
        #expect(lines.contains { $0.hasPrefix("1,") && $0.contains(",de,8,2,3") }, "\(csv)")
        #expect(lines.contains { $0.hasPrefix("1,") && $0.contains(",fr,2,0,3") }, "\(csv)")
        let json = box.leadpool(now + ["--json", "report", "rounds"]).json as? [String: Any]
        let recent = ((json?["rounds"] as? [String: Any])?["recent"] as? [[String: Any]]) ?? []
        let first = try #require(recent.last)
        #expect(first["per_round_limited"] as? Int == 2)
        let html = box.leadpool(now + ["report", "rounds", "--format", "html"]).stdout
        #expect(html.contains("Fairness per rule"))
    }

    @Test func perRoundAndWorkingOnlyAreValidatedWhereWritten() throws {
        let box = Sandbox()
        box.initialized()
        try """
        rules:
          - { name: a, when: 'true', to: team:x, per-round: 0 }
          - { name: b, when: 'true', to: team:x, per-round: two }
          - { name: c, when: 'true', to: team:x, working-only: maybe }
          - { name: d, when: 'true', to: team:x, per-rund: 3 }
        """.write(toFile: box.path("bad.yaml"), atomically: true, encoding: .utf8)
        let run = box.leadpool("rules", "check", box.path("bad.yaml"))
        #expect(run.status == 65, "\(run)")
        #expect(run.stderr.contains("bad.yaml:2:53: per-round of rule 'a' must be 1 or more, found 0"), "\(run.stderr)")
        #expect(run.stderr.contains("bad.yaml:3:53: per-round of rule 'b' must be a whole number"), "\(run.stderr)")
        #expect(run.stderr.contains("bad.yaml:4:56: working-only of rule 'c' must be true or false"), "\(run.stderr)")
        #expect(run.stderr.contains("per-rund") && run.stderr.contains("per-round"), "the nearest key is suggested: \(run.stderr)")
    }

    @Test func workingOnlyOffersLeadsOnlyToRepsInsideTheirHours() throws {
        let rules = """
            defaults: { capacity: 50 }
            working-hours: { days: mon-fri, from: "09:00", to: "18:00" }
            rules:
              - { name: hot, when: 'country = "DE"', to: team:emea, working-only: true, per-round: 5 }
              - { name: any, when: 'country = "FR"', to: team:emea }
            """
        let box = try sandbox(rules: rules, leads: ["DE", "DE", "DE", "FR", "FR", "FR"])
        // Monday 2026-11-02, 11:00 UTC: e1 works evenings, e2 the team's hours (UTC), e3 the
        // team's hours in Shanghai (19:00 there).
        #expect(box.leadpool("rep", "update", "e1", "--working-hours", "mon-fri 18:00-23:00").status == 0)
        #expect(box.leadpool("rep", "update", "e3", "--timezone", "Asia/Shanghai").status == 0)
        let clock = ["--now", "2026-11-02T11:00:00Z"]

        let check = box.leadpool("rules", "check", box.path("rules.yaml")).stdout
        #expect(check.contains("5/rep/round, working hours"), "\(check)")
        let json = box.leadpool("--json", "rules", "check", box.path("rules.yaml")).json as? [String: Any]
        let rule = (json?["rules"] as? [[String: Any]])?.first
        #expect(rule?["per_round"] as? Int == 5 && rule?["working_only"] as? Bool == true)

        let explain = box.leadpool(clock + ["explain", "1"])
        #expect(explain.stdout.contains("working hours only"), "\(explain)")
        #expect(explain.stdout.contains("e1: left out — outside working hours"), "\(explain)")
        #expect(explain.stdout.contains("e2: candidate"), "\(explain)")
        #expect(explain.stdout.contains("e3: left out — outside working hours"), "\(explain)")
        let routing = (box.leadpool(clock + ["--json", "explain", "1"]).json as? [String: Any])?["routing"] as? [String: Any]
        #expect(routing?["working_only"] as? Bool == true && routing?["per_round"] as? Int == 5)
        let reps = routing?["reps"] as? [[String: Any]] ?? []
        #expect(reps.map { $0["why_not"] as? String } == ["outside working hours", nil, "outside working hours"])

        // The working-only rule gives only to e2; the other rule to everyone, in turn.
        #expect(box.leadpool(clock + ["assign"]).status == 0)
        #expect(box.owners() == ["e2", "e2", "e2", "e1", "e2", "e3"])

        // At 03:00 UTC on Tuesday nobody but e3 (11:00 in Shanghai) is working.
        let early = try sandbox(rules: rules, leads: ["DE", "DE"])
        #expect(early.leadpool("rep", "update", "e3", "--timezone", "Asia/Shanghai").status == 0)
        #expect(early.leadpool(["--now", "2026-11-03T03:00:00Z", "assign"]).status == 0)
        #expect(early.owners() == ["e3", "e3"])
        // Saturday: nobody; the leads stay, for want of a rep.
        let weekend = try sandbox(rules: rules, leads: ["DE"])
        let saturday = weekend.leadpool(["--now", "2026-11-07T11:00:00Z", "--json", "assign"])
        #expect((saturday.json as? [String: Any])?["no_capacity"] as? Int == 1, "\(saturday)")
    }

    @Test func repBackFromAWeekAwayGetsTheNormalWeightedShare() throws {
        let rules = """
            defaults: { capacity: 1000, daily-limit: 1000 }
            rules:
              - { name: fr, when: 'country = "FR"', to: team:fr, strategy: weighted }
            """
        let box = try sandbox(rules: rules, leads: Array(repeating: "FR", count: 9 * 12))
        #expect(box.leadpool("rep", "update", "wc", "--weight", "2").status == 0)
        // wa is away 2026-11-04 through 2026-11-10: seven daily rounds without her.
        #expect(box.leadpool("--now", "2026-11-02T08:00:00Z", "rep", "away", "wa", "--from", "2026-11-04", "--until", "2026-11-10").status == 0)
        var perDay: [[String: Int]] = []
        for day in 2...13 {
            let clock = String(format: "2026-11-%02dT09:00:00Z", day)
            let run = box.leadpool(["--now", clock, "--json", "assign", "--limit", "9"])
            #expect(run.status == 0, "\(run)")
            let given = ((run.json as? [String: Any])?["assignments"] as? [[String: Any]] ?? []).compactMap { $0["owner"] as? String }
            perDay.append(Dictionary(grouping: given, by: { $0 }).mapValues(\.count))
        }
        for day in 2..<9 { #expect(perDay[day]["wa"] == nil, "away: \(perDay[day])") }
        // Back on 2026-11-11: weight 1 of 4 over 9 leads is 2.25; no catch-up for the week.
        for day in 9..<12 {
            let got = perDay[day]["wa"] ?? 0
            #expect(got >= 2 && got <= 3, "day \(day + 2): \(perDay[day])")
        }
    }
}

import Foundation
import LeadPoolCore
import LeadPoolStorage
import Testing

/// End-to-end: `rules`, `segment`, `explain` and `lead list --where/--segment` on the real binary.
@Suite(.bothBackends) struct RulesTests {
    static let example = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/rules.yaml").path
    static let now = "2026-03-01T12:00:00Z"

    static let rules = """
        tiers: { A: 60, B: 30 }
        segments:
          dach: 'country in ("DE", "AT", "CH")'
          big: 'employees >= 1000'
        icp:
          - { name: software, when: 'industry = "Software"', points: 40 }
          - { name: dach, when: 'segment("dach")', points: 25 }
          - { name: big, when: 'segment("big")', points: 10 }
        rules:
          - { name: dach-top, when: 'segment("dach") and tier = "A"', to: team:emea, strategy: least-loaded }
          - { name: rest, when: 'true', to: team:sdr }
        """

    /// A database with an admin, a rep and five leads (ids 1–5); returns the box.
    static func pool() throws -> Sandbox {
        let box = Sandbox()
        box.initialized()
        box.leadpool("rep", "add", "ed", "--name", "Ed", "--team", "emea")
        let leads = [
            ["Alpha GmbH", "country=DE", "industry=Software", "employees=5000"],  // 75 A
            ["Beta AG", "country=CH", "industry=Retail"],  // 25 D
            ["Gamma Inc", "country=US", "industry=software", "employees=50"],  // 40 B
            ["Delta SA", "country=FR"],  // 0 D
            ["Epsilon", "country=AT", "industry=Software"],  // 65 A
        ]
        for lead in leads {
            let add = box.leadpool(["--now", now, "lead", "add", "--company", lead[0]] + lead.dropFirst().flatMap { ["--field", $0] })
            precondition(add.status == 0, "lead add failed: \(add)")
        }
        try Self.rules.write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        return box
    }

    private func ids(_ run: Run) -> [Int] {
        ((run.json as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }
    }

    @Test func checkSummarizesTheExampleFile() {
        let box = Sandbox()
        box.initialized()
        box.leadpool("rep", "add", "olga", "--name", "Olga", "--team", "emea")
        let run = box.leadpool("rules", "check", Self.example)
        #expect(run.status == 0, "\(run)")
        for fragment in [
            "is valid", "capacity 50, daily limit 20", "D (floor)", "target-industry", "+30", "dach", "emea-top",
            "weighted", "least-loaded", "round-robin", "Reclaim: after 14 idle days", "override: tier = \"A\"",
        ] {
            #expect(run.stdout.contains(fragment), "missing \(fragment)")
        }
        #expect(run.stderr.contains("warning: ") && run.stderr.contains("no rep is in team 'sdr'"))
        let json = box.leadpool("--json", "rules", "check", Self.example).json as? [String: Any]
        #expect(json?["valid"] as? Bool == true)
        #expect((json?["segments"] as? [[String: Any]])?.count == 6)
        #expect(box.leadpool("rules", "show").status == 66, "check stores nothing")
    }

    @Test func brokenFileIsRefusedWithEveryErrorAndNothingStored() throws {
        let box = try Self.pool()
        try """
        tiers: { A: 60, B: 70 }
        icp:
          - { name: x, when: 'industy = "Software"', points: 10 }
        rules:
          - { name: r, when: 'true', to: team:emea, stratgy: weighted }
        """.write(toFile: box.path("bad.yaml"), atomically: true, encoding: .utf8)
        for command in ["check", "apply"] {
            let run = box.leadpool("rules", command, "bad.yaml")
            #expect(run.status == 65, "\(run)")
            #expect(run.stderr.contains("bad.yaml: 3 errors:"))
            #expect(run.stderr.contains("bad.yaml:1:20: tier 'B' starts at 70"))
            #expect(run.stderr.contains("bad.yaml:3:23: unknown field 'industy'"))
            #expect(run.stderr.contains("bad.yaml:5:45: unknown key 'stratgy'"))
            #expect(run.stderr.contains("did you mean 'strategy'?"))
        }
        #expect(box.leadpool("rules", "show").status == 66)
        let scores = (box.leadpool("--json", "lead", "list").json as? [[String: Any]])?.compactMap { $0["score"] as? Int }
        #expect(scores == [0, 0, 0, 0, 0])
        #expect(box.leadpool("rules", "check", "missing.yaml").status == 66)
    }

    @Test func applyScoresEveryLeadAndShowsTheSource() throws {
        let box = try Self.pool()
        #expect(box.leadpool("--as", "ed", "rules", "apply", "rules.yaml", env: ["LEADPOOL_USER": "ed"]).status == 77)
        let run = box.leadpool("--now", Self.now, "rules", "apply", "rules.yaml")
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("ruleset version 1; re-scored 5 lead(s)"))
        #expect(run.stdout.contains("A         2"))
        let list = box.leadpool("--json", "lead", "list").json as? [[String: Any]]
        #expect(list?.compactMap { $0["score"] as? Int } == [75, 25, 40, 0, 65])
        #expect(list?.compactMap { $0["tier"] as? String } == ["A", "D", "B", "D", "A"])

        let show = box.leadpool("rules", "show")
        #expect(show.status == 0)
        #expect(show.stdout == Self.rules + "\n")
        let json = box.leadpool("--json", "rules", "show", "--version", "1").json as? [String: Any]
        #expect(json?["version"] as? Int == 1)
        #expect(json?["file"] as? String == "rules.yaml")
        #expect(json?["actor"] as? String == CLI.login)
        #expect(json?["source"] as? String == Self.rules)
        #expect(box.leadpool("rules", "show", "--version", "2").status == 66)

        let second = box.leadpool("--json", "rules", "apply", "rules.yaml").json as? [String: Any]
        #expect(second?["version"] as? Int == 1, "an identical file makes no new version")
        #expect(second?["changed"] as? Bool == false)
        #expect((second?["tiers"] as? [[String: Any]])?.first?["leads"] as? Int == 2)
    }

    /// `rules check` counts tiers and segments with the scores the new file gives, not the ones
    /// stored by the version in force, and writes nothing.
    @Test func checkPreviewsTheNewFilesTiersAndSegmentsAsApplyWouldGiveThem() throws {
        let box = try Self.pool()
        #expect(box.leadpool("rules", "apply", "rules.yaml").status == 0)  // 75 A, 25 D, 40 B, 0 D, 65 A
        #expect(box.leadpool("--as", "ed", "claim", "1").status == 0)
        try """
        tiers: { hot: 80, A: 60, B: 30 }
        segments:
          dach: 'country in ("DE", "AT", "CH")'
          warm: 'score >= 70'
          hot: 'tier = "hot"'
          big: 'employees >= 1000'
        icp:
          - { name: software, when: 'industry = "Software"', points: 50 }
          - { name: dach, when: 'segment("dach")', points: 25 }
          - { name: big, when: 'segment("big")', points: 10 }
        """.write(toFile: box.path("next.yaml"), atomically: true, encoding: .utf8)  // 85 hot, 25 D, 50 B, 0 D, 75 A
        let before = Reliability.fingerprint(box.db)

        let check = box.leadpool("--json", "rules", "check", "next.yaml")
        #expect(check.status == 0, "\(check)")
        let json = check.json as? [String: Any]
        let previewTiers = (json?["tiers"] as? [[String: Any]])?.map { "\($0["tier"] as? String ?? "-")=\($0["leads"] as? Int ?? -1)" }
        #expect(previewTiers == ["hot=1", "A=1", "B=1", "D=2"])
        let previewSegments = (json?["segments"] as? [[String: Any]])?.map {
            "\($0["name"] as? String ?? "-")=\($0["leads"] as? Int ?? -1)/\($0["pooled"] as? Int ?? -1)"
        }
        #expect(previewSegments == ["dach=3/2", "warm=2/1", "hot=1/0", "big=1/0"])
        let text = box.leadpool("rules", "check", "next.yaml")
        #expect(text.stdout.contains("TIER       SCORES  LEADS  SHARE"), "\(text)")
        #expect(text.stdout.contains("hot        80–100      1  20.0%"))
        #expect(Reliability.fingerprint(box.db) == before, "check writes nothing")
        #expect(box.leadpool("check").status == 0)
        #expect(box.leadpool("--json", "rules", "show").json.flatMap { $0 as? [String: Any] }?["version"] as? Int == 1)

        let applied = box.leadpool("--json", "rules", "apply", "next.yaml").json as? [String: Any]
        #expect(applied?["version"] as? Int == 2)
        let appliedTiers = (applied?["tiers"] as? [[String: Any]])?.map { "\($0["tier"] as? String ?? "-")=\($0["leads"] as? Int ?? -1)" }
        #expect(appliedTiers == previewTiers, "the preview is what applying gives")
        let segments = (box.leadpool("--json", "segment", "list").json as? [[String: Any]])?.map {
            "\($0["name"] as? String ?? "-")=\($0["leads"] as? Int ?? -1)/\($0["pooled"] as? Int ?? -1)"
        }
        #expect(segments == previewSegments)
        let again = (box.leadpool("--json", "rules", "check", "next.yaml").json as? [String: Any])?["segments"] as? [[String: Any]]
        #expect(again?.map { $0["leads"] as? Int } == [3, 2, 1, 1], "and checking the file in force gives the same")
    }

    @Test func leadListFiltersByWhereAndSegment() throws {
        let box = try Self.pool()
        #expect(box.leadpool("--json", "lead", "list", "--segment", "dach").status == 66, "no ruleset yet")
        box.leadpool("rules", "apply", "rules.yaml")
        #expect(ids(box.leadpool("--json", "lead", "list", "--segment", "dach")) == [1, 2, 5])
        #expect(ids(box.leadpool("--json", "lead", "list", "--where", "tier = \"a\"", "--sort", "score")) == [1, 5])
        #expect(ids(box.leadpool("--json", "lead", "list", "--segment", "dach", "--where", "score >= 50")) == [1, 5])
        #expect(ids(box.leadpool("--json", "lead", "list", "--where", "segment(\"big\") or country = \"fr\"")) == [1, 4])
        let export = box.leadpool("export", "--where", "industry = \"software\"", "--format", "csv")
        #expect(export.status == 0)
        #expect(export.stdout.split(whereSeparator: \.isNewline).count == 4)

        let unknown = box.leadpool("lead", "list", "--segment", "dahc")
        #expect(unknown.status == 66)
        #expect(unknown.stderr.contains("did you mean 'dach'?"))
        let bad = box.leadpool("lead", "list", "--where", "score >= 50 and industy = \"x\"")
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("--where:1:17: unknown field 'industy'"))
        #expect(box.leadpool("lead", "list", "--where", "segment(\"nope\")").status == 65)
    }

    @Test func whereInjectionMatchesNothing() throws {
        let box = try Self.pool()
        for attempt in [
            #"company = "x\" OR 1=1 --""#, #"company = "x' OR '1'='1""#, #"company = "'); DROP TABLE leads; --""#,
            #"attr.plan = "a" or attr.x = "') OR 1=1 --""#,
        ] {
            let run = box.leadpool("--json", "lead", "list", "--where", attempt)
            #expect(run.status == 0, "\(run)")
            #expect(ids(run) == [], "\(attempt)")
        }
        #expect(ids(box.leadpool("--json", "lead", "list")) == [1, 2, 3, 4, 5])
    }

    @Test func segmentListAndShowCountLiveMembers() throws {
        let box = try Self.pool()
        let empty = box.leadpool("segment", "list")
        #expect(empty.status == 0 && empty.stderr.contains("No ruleset has been applied yet"))
        #expect(box.leadpool("segment", "show", "dach").status == 66)
        box.leadpool("rules", "apply", "rules.yaml")
        let list = box.leadpool("--json", "segment", "list").json as? [[String: Any]]
        #expect(list?.map { $0["name"] as? String } == ["dach", "big"])
        #expect(list?.map { $0["leads"] as? Int } == [3, 1])
        #expect(list?.first?["condition"] as? String == #"country in ("DE", "AT", "CH")"#)
        let table = box.leadpool("segment", "list")
        #expect(table.stdout.hasPrefix("SEGMENT  LEADS  IN POOL  CONDITION"))

        let show = box.leadpool("segment", "show", "dach")
        #expect(show.status == 0, "\(show)")
        #expect(show.stdout.contains("leads      3"))
        let json = box.leadpool("--json", "segment", "show", "dach").json as? [String: Any]
        let tiers = (json?["tiers"] as? [[String: Any]])?.map { "\($0["tier"] as? String ?? "-")=\($0["leads"] as? Int ?? -1)" }
        #expect(tiers == ["A=2", "B=0", "D=1"])
        let unknown = box.leadpool("segment", "show", "bigg")
        #expect(unknown.status == 66 && unknown.stderr.contains("did you mean 'big'?"))
    }

    @Test func explainBreaksTheScoreDown() throws {
        let box = try Self.pool()
        #expect(box.leadpool("explain", "1").status == 66, "no ruleset yet")
        box.leadpool("--now", Self.now, "rules", "apply", "rules.yaml")
        let run = box.leadpool("--now", Self.now, "explain", "1")
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("Lead 1 Alpha GmbH: score 75, tier A (ruleset version 1)"))
        let rows = run.stdout.split(separator: "\n").map(String.init)
        #expect(rows.contains { $0.hasPrefix("software ") && $0.contains("yes") && $0.contains("+40") && $0.contains("industry = \"Software\"") })
        #expect(rows.contains { $0.hasPrefix("big ") && $0.contains("yes") })
        #expect(rows.contains { $0.hasPrefix("total") && $0.contains("75") })
        #expect(run.stdout.contains("Segments: dach, big"))

        let json = box.leadpool("--json", "explain", "4").json as? [String: Any]
        #expect(json?["score"] as? Int == 0)
        #expect(json?["tier"] as? String == "D")
        #expect((json?["criteria"] as? [[String: Any]])?.map { $0["met"] as? Bool } == [false, false, false])
        #expect(json?["segments"] as? [String] == [])
        #expect(box.leadpool("explain", "99").status == 66)
    }
}

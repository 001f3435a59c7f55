import Foundation
import GRDB
import Testing

/// `check` covers every invariant SPEC states, names what breaks each, and tells notes (an
/// admin's transfer, a lowered capacity, a round to finish) from failures.
@Suite(.bothBackends) struct ReliabilityCheckTests {
    static let now = "2026-05-04T09:00:00Z"

    /// Reps `ana` (capacity 3) and `ben` in team field, the rules, 40 leads.
    static func box(icp extra: String = "") throws -> Sandbox {
        let box = Sandbox()
        box.initialized()
        #expect(box.leadpool("rep", "add", "ana", "--name", "Ana", "--team", "field", "--capacity", "3").status == 0)
        #expect(box.leadpool("rep", "add", "ben", "--name", "Ben", "--team", "field").status == 0)
        var rules = Reliability.rules(capacity: 10)
        if !extra.isEmpty { rules = rules.replacingOccurrences(of: "icp:\n", with: "icp:\n" + extra) }
        try rules.write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        try Reliability.leadsCSV(40).write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        let applied = box.leadpool("--now", "2026-05-01T09:00:00Z", "rules", "apply", box.path("rules.yaml"))
        #expect(applied.status == 0, "\(applied)")
        #expect(box.leadpool("--now", "2026-05-01T09:00:00Z", "import", box.path("leads.csv")).status == 0)
        return box
    }

    /// `check --json`: exit status, then each check's problems and notes by name.
    static func check(_ box: Sandbox) -> (status: Int32, problems: [String: [String]], notes: [String: [String]]) {
        let run = box.leadpool("--json", "check")
        let checks = (run.json as? [String: Any])?["checks"] as? [[String: Any]] ?? []
        var problems: [String: [String]] = [:]
        var notes: [String: [String]] = [:]
        for check in checks {
            let name = check["name"] as? String ?? "?"
            problems[name] = check["problems"] as? [String] ?? []
            notes[name] = check["notes"] as? [String] ?? []
        }
        return (run.status, problems, notes)
    }

    /// Writes to the database behind leadpool's back, with constraints and foreign keys off.
    static func tamper(_ box: Sandbox, _ sql: String) throws {
        try Reliability.execute(box.db, [sql], tampering: true)
    }

    static let capacity = "nobody is above capacity because of a round or a claim"
    static let scores = "scores and tiers match the current ruleset"

    @Test func aHealthyDatabaseListsEveryInvariantAndPasses() throws {
        let box = try Self.box()
        #expect(box.leadpool("--now", Self.now, "assign").status == 0)
        #expect(box.leadpool("rep", "add", "cy", "--name", "Cy").status == 0)
        #expect(box.leadpool("--now", Self.now, "--as", "cy", "claim", "--next", "-n", "2").status == 0)
        let result = Self.check(box)
        #expect(result.status == 0, "\(result)")
        let integrity = box.backend == .postgres ? ["PostgreSQL constraints validated"] : ["SQLite integrity", "foreign keys"]
        for name in integrity + [
            "migrations applied and unchanged", "each lead has one owner at most (one owner column)",
            "pool leads have no owner, owned leads a claim time", "each owner is a known rep",
            "each owner matches the lead's last ownership event", "events are append-only", Self.capacity, Self.scores, "rounds complete",
        ] {
            #expect(result.problems[name] == [], "\(name) is checked and holds: \(result)")
        }
    }

    @Test func eachBrokenInvariantIsNamedWithTheLead() throws {
        let box = try Self.box()
        #expect(box.leadpool("--now", Self.now, "--as", "ben", "claim", "1", "2").status == 0)
        try Self.tamper(box, "UPDATE leads SET owner = 'ana' WHERE id = 1")
        try Self.tamper(box, "UPDATE leads SET owner = 'ghost' WHERE id = 2")
        // An owner without a claim time: PostgreSQL's CHECK constraint refuses it, even behind
        // leadpool's back; on SQLite it takes `check` to find it.
        let ownerWithoutClaim = "UPDATE leads SET owner = 'ben', claimed_at = NULL WHERE id = 3"
        if box.backend == .postgres {
            #expect(throws: PostgresTestDatabase.Failure.self) { try Self.tamper(box, ownerWithoutClaim) }
        } else {
            try Self.tamper(box, ownerWithoutClaim)
        }
        try Self.tamper(box, "UPDATE leads SET score = score + 1 WHERE id = 4")
        try Self.tamper(box, "UPDATE leads SET tier = 'Z' WHERE id = 5")
        let result = Self.check(box)
        #expect(result.status == 1, "exit 1 when any invariant breaks")
        #expect(
            result.problems["each owner matches the lead's last ownership event"]?.contains {
                $0.hasPrefix("lead 1: owner ana, last ownership event gives ben")
            } == true,
            "\(result.problems)"
        )
        #expect(result.problems["each owner is a known rep"] == ["lead 2: owner 'ghost' is no rep"])
        #expect(result.problems["pool leads have no owner, owned leads a claim time"] == (box.backend == .postgres ? [] : ["lead 3"]))
        let scores = result.problems[Self.scores] ?? []
        #expect(scores.count == 2 && scores[0].hasPrefix("lead 4: score") && scores[1].hasPrefix("lead 5: score"), "\(scores)")
        #expect(scores[1].contains("tier Z"), "\(scores)")
    }

    @Test func aClaimOrRoundAboveCapacityFailsATransferOrALoweredCapacityIsANote() throws {
        let box = try Self.box()
        #expect(box.leadpool("--now", Self.now, "--as", "ana", "claim", "1", "2", "3").status == 0)
        #expect(Self.check(box).status == 0)

        // An admin's transfer above capacity: their choice, a note.
        #expect(box.leadpool("--now", Self.now, "transfer", "4", "--to", "ana").status == 0)
        var result = Self.check(box)
        #expect(result.status == 0, "\(result)")
        #expect(
            result.notes[Self.capacity]?.first?.contains("ana holds 4 open or qualified leads, capacity 3: the last lead came by an admin's transfer")
                == true
        )

        // A claim that lands above the capacity it was checked against: a failure.
        try Self.tamper(
            box,
            """
            UPDATE leads SET owner = 'ana', claimed_at = 1777900000 WHERE id = 5;
            INSERT INTO events (lead_id, at, actor, kind, to_owner, detail) VALUES (5, 1777900000, 'ana', 'claimed', 'ana', '{"capacity":3}')
            """
        )
        result = Self.check(box)
        #expect(result.status == 1)
        #expect(
            result.problems[Self.capacity]?.first?.contains("ana holds 5 open or qualified leads, capacity 3: a claim (event") == true,
            "\(result)"
        )

        // Ben, at the ruleset's default 10, fills up by a round, then his capacity is lowered.
        let other = try Self.box()
        #expect(other.leadpool("--now", Self.now, "assign").status == 0)
        #expect(other.leadpool("rep", "update", "ben", "--capacity", "4").status == 0)
        result = Self.check(other)
        #expect(result.status == 0, "\(result)")
        #expect(
            result.notes[Self.capacity]?.contains {
                $0.contains("ben holds 10 open or qualified leads, capacity 4: their capacity was lowered after round 1")
            } == true,
            "\(result)"
        )
        // The same after claims: each claim keeps the capacity it was checked against.
        #expect(other.leadpool("rep", "update", "ana", "--capacity", "6").status == 0)
        #expect(other.leadpool("--now", Self.now, "--as", "ana", "claim", "--next", "-n", "3").status == 0)
        #expect(other.leadpool("rep", "update", "ana", "--capacity", "1").status == 0)
        result = Self.check(other)
        #expect(result.status == 0, "\(result)")
        #expect(
            result.notes[Self.capacity]?.contains {
                $0.contains("ana holds 6 open or qualified leads, capacity 1: their capacity was lowered after a claim")
            } == true,
            "\(result)"
        )
    }

    @Test func aRoundLeftIncompleteIsANoteUntilTheNextRound() throws {
        let box = try Self.box()
        try Self.tamper(box, "INSERT INTO rounds (started_at, clock, actor, status) VALUES (1777900000, 1777900000, 'admin', 'incomplete')")
        var result = Self.check(box)
        #expect(result.status == 0)
        #expect(result.notes["rounds complete"]?.first?.hasSuffix("stopped before it finished: run assign again") == true, "\(result)")
        #expect(box.leadpool("--now", Self.now, "assign").status == 0)
        result = Self.check(box)
        #expect(result.notes["rounds complete"] == [], "\(result)")
    }

    @Test func taggingReScoresTheLeadWhenTheProfileReadsTags() throws {
        let box = try Self.box(icp: "  - { name: webinar, when: 'tag(\"webinar\")', points: 50 }\n")
        func score(_ id: Int) -> Int? { (box.leadpool("--json", "lead", "show", String(id)).json as? [String: Any])?["score"] as? Int }
        let before = score(1) ?? -1
        #expect(box.leadpool("--now", Self.now, "lead", "tag", "1", "webinar").status == 0)
        #expect(score(1) == min(100, before + 50), "the tag's points count at once")
        #expect(Self.check(box).status == 0)
        #expect(box.leadpool("--now", Self.now, "lead", "untag", "1", "webinar").status == 0)
        #expect(score(1) == before)
        #expect(Self.check(box).status == 0)
    }

    @Test func criteriaReadingTheClockOrTheWorkflowMayCountEitherWay() throws {
        let box = try Self.box(
            icp: """
                  - { name: fresh, when: 'age_days < 30', points: 20 }
                  - { name: unowned, when: 'owner is null', points: 5 }
                  - { name: qualified, when: 'status = "qualified"', points: -10 }

                """
        )
        #expect(box.leadpool("--now", Self.now, "--as", "ben", "claim", "1", "2").status == 0)
        #expect(box.leadpool("--now", Self.now, "--as", "ben", "qualify", "2").status == 0)
        let result = Self.check(box)
        #expect(result.status == 0, "claims and time passing make no mismatch: \(result)")
        #expect(result.notes[Self.scores]?.first?.contains("fresh, unowned, qualified") == true, "\(result)")
        try Self.tamper(box, "UPDATE leads SET score = 100, tier = 'A' WHERE id = 3")
        #expect(Self.check(box).problems[Self.scores]?.first?.hasPrefix("lead 3: score 100 tier A, ruleset v1 gives") == true)
    }
}

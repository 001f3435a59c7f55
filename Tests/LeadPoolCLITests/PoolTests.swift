import Foundation
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Several pools (公海) end to end on a real database: members, pool admins, claim limits,
/// waiting periods, moves, rounds between pools, reclaim into a pool's `reclaim.to`, reports,
/// `explain` and `check`.
@Suite(.bothBackends) struct PoolTests {
    static let rules = """
        defaults: { capacity: 50, daily-limit: 20 }
        icp:
          - { name: big, when: 'employees >= 100', points: 50 }
        pools:
          - name: east
            members: [team:east]
            admins: [wang]
            claim: { daily-limit: 2, capacity: 3 }
            claimable-after: 2h
            reclaim: { no-activity-days: 3, to: recycle }
            hidden: [title]
          - { name: west, members: [team:west] }
          - { name: recycle, members: [team:east, team:west], admins: [wang] }
        rules:
          - { name: stale, when: 'tag("stale")', to: pool:recycle }
          - { name: east-round, when: 'true', to: team:east, pool: east }
        reclaim: { no-activity-days: 14, max-hold-days: 60, cooldown-days: 0, warn-days: 0 }
        """

    /// Reps lily, lee (team east), bob (team west), wang (a rep who keeps east and recycle);
    /// leads 1–6 imported into east at 08:00, 7–8 into west.
    func sandbox() throws -> Sandbox {
        let box = Sandbox()
        box.initialized()
        for (handle, team) in [("lily", "east"), ("lee", "east"), ("bob", "west"), ("wang", "ops")] {
            #expect(box.leadpool("rep", "add", handle, "--name", handle, "--team", team).status == 0)
        }
        try Self.rules.write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("--now", "2026-11-02T07:00:00Z", "rules", "apply", box.path("rules.yaml")).status == 0)
        var east = "Company,Title,Number of Employees\n"
        for i in 1...6 { east += "East \(i),CEO,\(1_000 - i)\n" }
        try east.write(toFile: box.path("east.csv"), atomically: true, encoding: .utf8)
        try "Company,Number of Employees\nWest 1,500\nWest 2,400\n".write(toFile: box.path("west.csv"), atomically: true, encoding: .utf8)
        let imported = box.leadpool("--now", "2026-11-02T08:00:00Z", "import", box.path("east.csv"), "--pool", "east")
        #expect(imported.status == 0, "\(imported)")
        #expect(box.leadpool("--now", "2026-11-02T08:00:00Z", "import", box.path("west.csv"), "--pool", "west").status == 0)
        return box
    }

    func pools(_ box: Sandbox) -> [String] {
        (box.leadpool("--json", "lead", "list").json as? [[String: Any]] ?? []).map { $0["pool"] as? String ?? "?" }
    }

    func events(_ box: Sandbox, kind: String) throws -> [Row] {
        Reliability.rows(box.db, "SELECT * FROM events WHERE kind = '\(kind)' ORDER BY id")
    }

    @Test func importPutsLeadsInTheirPoolAndAnUnknownPoolIsNotFound() throws {
        let box = try sandbox()
        #expect(pools(box) == ["east", "east", "east", "east", "east", "east", "west", "west"])
        let fingerprint = Reliability.fingerprint(box.db)
        let unknown = box.leadpool("import", box.path("west.csv"), "--pool", "wets")
        #expect(unknown.status == 66)
        #expect(unknown.stderr.contains("no pool named 'wets'") && unknown.stderr.contains("did you mean 'west'?"), "\(unknown)")
        #expect(Reliability.fingerprint(box.db) == fingerprint)
        #expect(box.leadpool("check").status == 0)
    }

    @Test func repsSeeAndClaimOnlyFromTheirPools() throws {
        let box = try sandbox()
        let at = ["--now", "2026-11-02T11:00:00Z"]
        let bobsPool = box.leadpool(at + ["--as", "bob", "--json", "pool"]).json as? [[String: Any]] ?? []
        #expect(bobsPool.map { $0["company"] as? String } == ["West 1", "West 2"])
        let lilysPool = box.leadpool(at + ["--as", "lily", "--json", "pool"]).json as? [[String: Any]] ?? []
        #expect(lilysPool.count == 6)
        #expect(lilysPool.allSatisfy { ($0["hidden"] as? [String])?.contains("title") == true }, "east hides title")
        let list = box.leadpool(at + ["--as", "bob", "lead", "list", "--pool", "east"])
        #expect(list.status == 77 && list.stderr.contains("pool east"), "\(list)")
        #expect(box.leadpool(at + ["--as", "bob", "pool", "--pool", "nowhere"]).status == 66)

        let denied = box.leadpool(at + ["--as", "bob", "claim", "1"])
        #expect(denied.status == 77, "\(denied)")
        #expect(denied.stdout.contains("pool east"), "\(denied)")
        let next = box.leadpool(at + ["--as", "bob", "claim", "--next", "-n", "5"])
        #expect(next.status == 0)
        #expect(next.stdout.contains("West 1") && next.stdout.contains("West 2") && !next.stdout.contains("East"), "\(next)")
        #expect(box.leadpool(at + ["--as", "bob", "--json", "pool"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
    }

    @Test func aFreshLeadWaitsThenThePoolsLimitsApplyOnTopOfTheRepsOwn() throws {
        let box = try sandbox()
        let early = box.leadpool("--now", "2026-11-02T09:30:00Z", "--as", "lily", "claim", "1")
        #expect(early.status == 1, "\(early)")
        #expect(early.stdout.contains("opens at 2026-11-02T10:00:00Z"), "\(early)")
        let nothing = box.leadpool("--now", "2026-11-02T09:30:00Z", "--as", "lily", "claim", "--next")
        #expect(nothing.status == 1, "the waiting leads are passed over: \(nothing)")
        #expect(nothing.stderr.contains("the first opens at 2026-11-02T10:00:00Z"), "\(nothing)")

        let at = ["--now", "2026-11-02T10:00:00Z", "--as", "lily"]
        #expect(box.leadpool(at + ["claim", "1", "2"]).status == 0)
        let third = box.leadpool(at + ["claim", "3"])
        #expect(third.status == 1)
        #expect(third.stdout.contains("pool east's daily limit: you claimed 2 of 2 from east today"), "\(third)")
        let next = box.leadpool(at + ["claim", "--next", "-n", "2"])
        #expect(next.status == 1 && next.stderr.contains("pool east's daily limit"), "\(next)")

        // The next local day: the daily limit is fresh, the pool's capacity (3) stops the fourth.
        let tomorrow = ["--now", "2026-11-03T10:00:00Z", "--as", "lily"]
        let more = box.leadpool(tomorrow + ["claim", "--next", "-n", "2"])
        #expect(more.status == 0, "\(more)")
        #expect(more.stderr.contains("claimed 1 of 2: stopped by pool east's capacity: you hold 3 of 3 leads from east"), "\(more)")
        let claims = try events(box, kind: "claimed")
        #expect(claims.count == 3)
        #expect(claims.allSatisfy { ($0["detail"] as String).contains("\"pool\":\"east\"") })
        #expect(box.leadpool("check").status == 0)
    }

    @Test func movesNeedAnAdminOfBothPoolsAndWriteOneEventEach() throws {
        let box = try sandbox()
        let at = ["--now", "2026-11-02T10:00:00Z"]
        let lily = box.leadpool(at + ["--as", "lily", "lead", "move", "1", "--pool", "recycle"])
        #expect(lily.status == 77 && lily.stdout.contains("not an admin of pool east"), "\(lily)")
        let west = box.leadpool(at + ["--as", "wang", "lead", "move", "7", "--pool", "recycle"])
        #expect(west.status == 77 && west.stdout.contains("not an admin of pool west"), "\(west)")
        let wang = box.leadpool(at + ["--as", "wang", "--json", "lead", "move", "1", "2", "--pool", "recycle"])
        #expect(wang.status == 0, "\(wang)")
        let results = wang.json as? [[String: Any]] ?? []
        #expect(results.map { $0["result"] as? String } == ["moved", "moved"])
        #expect(results.map { $0["pool"] as? String } == ["recycle", "recycle"])
        let again = box.leadpool(at + ["lead", "move", "1", "--pool", "recycle"])
        #expect(again.status == 1 && again.stdout.contains("already in pool recycle"), "\(again)")
        #expect(box.leadpool(at + ["lead", "move", "1", "--pool", "nowhere"]).status == 66)
        #expect(box.leadpool(at + ["lead", "move", "99", "--pool", "west"]).status == 66)

        // An owned lead moves with its owner: only its pool changes.
        #expect(box.leadpool(at + ["--as", "lily", "claim", "3"]).status == 0)
        #expect(box.leadpool(at + ["lead", "move", "3", "--pool", "west"]).status == 0)
        let moved = try events(box, kind: "moved").prefix(3)
        #expect(moved.count == 3)
        #expect(
            moved.map { $0["detail"] as String } == [
                #"{"from":"east","to":"recycle"}"#, #"{"from":"east","to":"recycle"}"#, #"{"from":"east","to":"west"}"#,
            ]
        )
        let three = box.leadpool("--json", "lead", "show", "3").json as? [String: Any]
        #expect(three?["owner"] as? String == "lily" && three?["pool"] as? String == "west")
        let history = box.leadpool("history", "1").stdout
        #expect(history.contains("moved"), "\(history)")
        // A lead moved into a pool with a waiting period waits there too.
        #expect(box.leadpool(at + ["lead", "move", "7", "--pool", "east"]).status == 0)
        let wait = box.leadpool("--now", "2026-11-02T11:00:00Z", "--as", "lee", "claim", "7")
        #expect(wait.status == 1 && wait.stdout.contains("waiting"), "\(wait)")
        #expect(box.leadpool("check").status == 0)
    }

    @Test func roundsRouteByPoolMoveLeadsAndPoolAdminsAssignTheirPool() throws {
        let box = try sandbox()
        let at = ["--now", "2026-11-02T12:00:00Z"]
        #expect(box.leadpool(at + ["lead", "tag", "6", "stale"]).status == 0)
        let dry = box.leadpool(at + ["--json", "assign", "--dry-run"])
        #expect(dry.status == 0, "\(dry)")
        let plan = try #require(dry.json as? [String: Any])
        #expect((plan["moves"] as? [[String: Any]])?.map { $0["id"] as? Int } == [6])
        #expect((plan["assignments"] as? [[String: Any]])?.count == 5, "only east's leads: the rule has pool: east")

        let lily = box.leadpool(at + ["--as", "lily", "assign", "--pool", "east"])
        #expect(lily.status == 77, "\(lily)")
        let bob = box.leadpool(at + ["--as", "bob", "assign"])
        #expect(bob.status == 77)
        let wang = box.leadpool(at + ["--as", "wang", "assign", "--pool", "east"])
        #expect(wang.status == 0, "\(wang)")
        #expect(wang.stdout.contains("moved 1 lead(s) to pool recycle by rule 'stale'"), "\(wang)")
        #expect(pools(box) == ["east", "east", "east", "east", "east", "recycle", "west", "west"])
        let owners = (box.leadpool("--json", "lead", "list").json as? [[String: Any]] ?? []).map { $0["owner"] as? String ?? "-" }
        #expect(owners == ["lee", "lily", "lee", "lily", "lee", "-", "-", "-"])
        let moved = try events(box, kind: "moved")
        #expect(moved.count == 1 && moved.first?["rule"] as String? == "stale" && moved.first?["round_id"] as Int64? == 1)
        // The round keeps its moves: the rule matched the lead and moved it.
        func staleLine(_ round: [String: Any]?) -> [String: Any]? {
            ((round?["summary"] as? [String: Any])?["rules"] as? [[String: Any]])?.first { $0["rule"] as? String == "stale" }
        }
        // considered = assigned + unrouted + moved: 5 + 2 (west's) + 1 unscoped, 5 + 0 + 1 in east.
        let shownRound = box.leadpool("--json", "rounds", "show", "1").json as? [String: Any]
        for (plan, considered) in [(plan, 8), (shownRound, 6)] {
            #expect(plan?["moved"] as? Int == 1 && plan?["considered"] as? Int == considered, "\(String(describing: plan))")
            let stale = staleLine(plan)
            #expect(stale?["matched"] as? Int == 1 && stale?["moved"] as? Int == 1 && stale?["assigned"] as? Int == 0)
            let rules = (plan?["summary"] as? [String: Any])?["rules"] as? [[String: Any]]
            #expect(rules?.first { $0["rule"] as? String == "east-round" }?["moved"] as? Int == 0)
        }
        let shown = box.leadpool("rounds", "show", "1").stdout
        #expect(shown.contains("considered 6, assigned 5,") && shown.contains("moved 1, skipped 0"), "\(shown)")
        let staleRow = shown.split(separator: "\n").first { $0.hasPrefix("stale") }.map { $0.split(separator: " ").map(String.init) }
        #expect(staleRow?.prefix(6) == ["stale", "1", "0", "0", "0", "1"], "MATCHED ASSIGNED NO CAPACITY PER-ROUND MOVED: \(shown)")
        let recent = ((box.leadpool("--json", "report", "rounds").json as? [String: Any])?["rounds"] as? [String: Any])?["recent"] as? [[String: Any]]
        #expect(recent?.first?["moved"] as? Int == 1 && staleLine(recent?.first)?["moved"] as? Int == 1)
        let report = box.leadpool("report", "rounds").stdout
        #expect(report.contains("MOVED") && report.split(separator: "\n").contains { $0.contains("stale") }, "\(report)")
        let csv = box.leadpool("report", "rounds", "--format", "csv").stdout.components(separatedBy: "\r\n")
        #expect(csv.contains { $0.hasPrefix("1,") && $0.contains(",stale,1,0,") && $0.hasSuffix(",1") }, "\(csv)")
        // The next round leaves the moved lead where it is: the rule never routes its own target.
        let second = box.leadpool(at + ["--json", "assign"]).json as? [String: Any]
        #expect((second?["moves"] as? [Any])?.isEmpty == true)
        #expect(box.leadpool("check").status == 0)
    }

    @Test func reclaimReturnsLeadsToThePoolsReclaimToWithItsOwnThresholds() throws {
        let box = try sandbox()
        #expect(box.leadpool("--now", "2026-11-02T10:00:00Z", "--as", "lily", "claim", "1").status == 0)
        #expect(box.leadpool("--now", "2026-11-02T10:00:00Z", "--as", "bob", "claim", "7").status == 0)
        // Four days on: east's own 3 days are up, the file's 14 are not.
        let at = ["--now", "2026-11-06T11:00:00Z"]
        let run = box.leadpool(at + ["--json", "reclaim"])
        #expect(run.status == 0, "\(run)")
        #expect((run.json as? [String: Any])?["reclaimed"] as? Int == 1)
        let one = box.leadpool("--json", "lead", "show", "1").json as? [String: Any]
        #expect(one?["owner"] is NSNull && one?["pool"] as? String == "recycle")
        #expect((box.leadpool("--json", "lead", "show", "7").json as? [String: Any])?["owner"] as? String == "bob")
        let again = box.leadpool(at + ["--json", "reclaim"]).json as? [String: Any]
        #expect(again?["reclaimed"] as? Int == 0, "idempotent")

        let report = box.leadpool(at + ["--json", "report", "pool"]).json as? [String: Any]
        let byPool = ((report?["pool"] as? [String: Any])?["by_pool"] as? [[String: Any]]) ?? []
        #expect(byPool.map { $0["pool"] as? String } == ["main", "east", "west", "recycle"])
        let recycle = try #require(byPool.first { $0["pool"] as? String == "recycle" })
        #expect(recycle["leads"] as? Int == 1 && recycle["reclaims_30d"] as? Int == 1)
        let east = try #require(byPool.first { $0["pool"] as? String == "east" })
        #expect(east["leads"] as? Int == 5 && east["claims_30d"] as? Int == 1)
        #expect(box.leadpool(at + ["report", "pool"]).stdout.contains("RECLAIMS 30D"))
        #expect(box.leadpool(at + ["report", "pool", "--format", "csv"]).stdout.contains("pool,recycle,1"))
        #expect(box.leadpool("check").status == 0)
    }

    func reclaimed(_ run: Run) -> [Int] {
        ((run.json as? [String: Any])?["leads"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
    }

    @Test func aPoolsAdminsReclaimTheirPoolsOnlyUnderTheSameLock() throws {
        let box = try sandbox()
        let claimed = ["--now", "2026-11-02T10:00:00Z"]
        #expect(box.leadpool(claimed + ["--as", "lily", "claim", "1"]).status == 0)
        #expect(box.leadpool(claimed + ["--as", "lee", "claim", "2"]).status == 0)
        #expect(box.leadpool(claimed + ["--as", "bob", "claim", "7"]).status == 0)
        // West reclaims after 3 days too, and warnings look 2 days ahead.
        let rules = Self.rules.replacingOccurrences(of: "warn-days: 0", with: "warn-days: 2")
            .replacingOccurrences(
                of: "{ name: west, members: [team:west] }",
                with: "{ name: west, members: [team:west], reclaim: { no-activity-days: 3 } }"
            )
        try rules.write(toFile: box.path("warn.yaml"), atomically: true, encoding: .utf8)
        #expect(box.leadpool(claimed + ["rules", "apply", box.path("warn.yaml")]).status == 0)

        let early = ["--now", "2026-11-04T11:00:00Z"]
        let all = box.leadpool(early + ["--json", "reclaim", "--warn"]).json as? [[String: Any]] ?? []
        #expect(all.map { $0["handle"] as? String } == ["bob", "lee", "lily"])
        let east = box.leadpool(early + ["--as", "wang", "--json", "reclaim", "--warn", "--pool", "east"]).json as? [[String: Any]] ?? []
        #expect(east.map { $0["handle"] as? String } == ["lee", "lily"], "bob's lead is in west")
        let recycle = box.leadpool(early + ["--as", "wang", "reclaim", "--warn", "--pool", "recycle"])
        #expect(recycle.status == 0 && recycle.stdout.contains("No lead goes back"), "\(recycle)")

        // Refusals name the pool, and change nothing.
        let fingerprint = Reliability.fingerprint(box.db)
        let west = box.leadpool(early + ["--as", "wang", "reclaim", "--pool", "east", "--pool", "west"])
        #expect(west.status == 77 && west.stderr.contains("reclaim --pool west is for admins and the admins of pool west"), "\(west)")
        #expect(box.leadpool(early + ["--as", "wang", "reclaim", "--dry-run", "--pool", "west"]).status == 77)
        #expect(box.leadpool(early + ["--as", "wang", "reclaim", "--warn", "--pool", "west"]).status == 77)
        let lily = box.leadpool(early + ["--as", "lily", "reclaim", "--pool", "east"])
        #expect(lily.status == 77 && lily.stderr.contains("pool east"), "\(lily)")
        let wangAll = box.leadpool(early + ["--as", "wang", "reclaim"])
        #expect(wangAll.status == 77 && wangAll.stderr.contains("leadpool reclaim --pool POOL"), "\(wangAll)")
        let unknown = box.leadpool(early + ["--as", "wang", "reclaim", "--pool", "eats"])
        #expect(unknown.status == 66 && unknown.stderr.contains("did you mean 'east'?"), "\(unknown)")
        #expect(Reliability.fingerprint(box.db) == fingerprint)

        // A deactivated rep's leads are in pools too: a pool's run takes those of its pools.
        #expect(box.leadpool(early + ["rep", "deactivate", "lee"]).status == 0)
        #expect(box.leadpool(early + ["rep", "deactivate", "bob"]).status == 0)
        let dry = box.leadpool(early + ["--as", "wang", "--json", "reclaim", "--dry-run", "--pool", "east"])
        #expect(reclaimed(dry) == [2], "\(dry)")
        #expect(reclaimed(box.leadpool(early + ["--json", "reclaim", "--dry-run"])) == [2, 7])

        // One lock whatever the pools: a run holding it refuses a pool's run.
        let release = try box.holdRunLock("reclaim")
        let busy = box.leadpool(early + ["--as", "wang", "reclaim", "--pool", "east"])
        #expect(busy.status == 75 && busy.stderr.contains("another reclaim is running"), "\(busy)")
        release()

        let run = box.leadpool(early + ["--as", "wang", "reclaim", "--pool", "east"])
        #expect(run.status == 0 && run.stdout.contains("of pool east: 1 reclaimed (1 inactive rep)"), "\(run)")
        let two = box.leadpool("--json", "lead", "show", "2").json as? [String: Any]
        #expect(two?["owner"] is NSNull && two?["pool"] as? String == "recycle")
        #expect((box.leadpool("--json", "lead", "show", "7").json as? [String: Any])?["owner"] as? String == "bob")

        // Two days on, lily's lead is due: the pool's run takes it, and a second finds nothing.
        let due = ["--now", "2026-11-06T11:00:00Z"]
        #expect(reclaimed(box.leadpool(due + ["--as", "wang", "--json", "reclaim", "--pool", "east", "--pool", "recycle"])) == [1])
        #expect(reclaimed(box.leadpool(due + ["--as", "wang", "--json", "reclaim", "--pool", "east"])).isEmpty, "idempotent")
        #expect((box.leadpool("--json", "lead", "show", "7").json as? [String: Any])?["owner"] as? String == "bob")
        #expect(reclaimed(box.leadpool(due + ["--json", "reclaim"])) == [7], "a global admin's run takes the rest")
        #expect(try events(box, kind: "reclaimed").count == 3)
        #expect(box.leadpool("check").status == 0)
    }

    @Test func aPoolsAdminsTransferItsLeadsOnly() throws {
        let box = try sandbox()
        let at = ["--now", "2026-11-02T10:00:00Z"]
        let lily = box.leadpool(at + ["--as", "lily", "transfer", "1", "--to", "lee"])
        #expect(lily.status == 77 && lily.stderr.contains("this command is for admins"), "\(lily)")
        let wang = box.leadpool(at + ["--as", "wang", "transfer", "1", "7", "--to", "lee"])
        #expect(wang.status == 77, "only a permission refusal: \(wang)")
        #expect(wang.stdout.contains("transferred  1") && wang.stdout.contains("not yours to transfer: you are not an admin of pool west"), "\(wang)")
        let onlyWest = box.leadpool(at + ["--as", "wang", "transfer", "8", "--to", "lee"])
        #expect(onlyWest.status == 77, "\(onlyWest)")
        #expect(box.leadpool(at + ["transfer", "8", "--to", "bob"]).status == 0)
        #expect(box.leadpool("check").status == 0)
    }

    @Test func mineAndRepShowGiveEachLimitedPoolsClaimsTodayAndRoom() throws {
        let box = try sandbox()
        let at = ["--now", "2026-11-02T10:00:00Z"]
        #expect(box.leadpool(at + ["--as", "lily", "claim", "1"]).status == 0)
        let mine = box.leadpool(at + ["--as", "lily", "mine"])
        #expect(mine.stdout.contains("Pool east: holding 1 of 3; claimed 1 of 2 today, 1 more possible."), "\(mine)")
        #expect(!mine.stdout.contains("Pool west") && !mine.stdout.contains("Pool recycle"), "west is not lily's; recycle has no limits")
        #expect(!box.leadpool(at + ["--as", "bob", "mine"]).stdout.contains("Pool "), "bob's pool has no claim limits")

        let lily = box.leadpool(at + ["--json", "rep", "show", "lily"]).json as? [String: Any]
        let limits = lily?["pool_limits"] as? [[String: Any]]
        #expect(limits?.count == 1, "\(String(describing: lily))")
        let east = try #require(limits?.first)
        #expect(east["pool"] as? String == "east" && east["held"] as? Int == 1 && east["capacity"] as? Int == 3)
        #expect(east["claimed_today"] as? Int == 1 && east["daily_limit"] as? Int == 2 && east["can_claim"] as? Int == 1)
        #expect(((box.leadpool(at + ["--json", "rep", "show", "bob"]).json as? [String: Any])?["pool_limits"] as? [Any])?.isEmpty == true)
        let shown = box.leadpool(at + ["--as", "lily", "rep", "show", "lily"]).stdout
        #expect(shown.contains("pool east") && shown.contains("holding 1 of 3; claimed 1 of 2 today, 1 more possible."), "\(shown)")

        // The next local day: the claim no longer counts today, the lead still counts as held.
        #expect(box.leadpool(at + ["--as", "lily", "claim", "2"]).status == 0)
        let full = box.leadpool(at + ["--as", "lily", "mine"]).stdout
        #expect(full.contains("Pool east: holding 2 of 3; claimed 2 of 2 today, 0 more possible."), "\(full)")
        let tomorrow = box.leadpool("--now", "2026-11-03T10:00:00Z", "--as", "lily", "mine").stdout
        #expect(tomorrow.contains("Pool east: holding 2 of 3; claimed 0 of 2 today, 1 more possible."), "\(tomorrow)")
    }

    @Test func rulesWarnOfPoolMembersAndAdminsThatNameNobody() throws {
        let box = try sandbox()
        #expect(box.leadpool("rep", "deactivate", "bob").status == 0)
        let rules = Self.rules.replacingOccurrences(of: "members: [team:east]", with: "members: [team:eats, lyli]")
            .replacingOccurrences(of: "admins: [wang]\n", with: "admins: [wnag]\n")
        try rules.write(toFile: box.path("typos.yaml"), atomically: true, encoding: .utf8)
        let check = box.leadpool("rules", "check", box.path("typos.yaml"))
        #expect(check.status == 0, "warnings, not errors: \(check)")
        let eastLine = rules.components(separatedBy: "\n").firstIndex { $0.contains("name: east") }.map { $0 + 1 } ?? 0
        #expect(
            check.stderr.contains("typos.yaml:\(eastLine):")
                && check.stderr.contains("pool 'east': members name team 'eats', which no active rep is in"),
            "\(check)"
        )
        #expect(check.stderr.contains("did you mean 'team:east'?"), "\(check)")
        #expect(check.stderr.contains("pool 'east': members name 'lyli', who is no rep") && check.stderr.contains("did you mean 'lily'?"))
        #expect(check.stderr.contains("pool 'east': admins name 'wnag', who is no rep") && check.stderr.contains("did you mean 'wang'?"))
        #expect(check.stderr.contains("pool 'west': members name team 'west', which no active rep is in"), "bob is deactivated: \(check)")
        #expect(
            check.stderr.contains("pool 'recycle': members name team 'west'") && !check.stderr.contains("pool 'recycle': members name team 'east'")
        )

        let json = box.leadpool("--json", "rules", "check", box.path("typos.yaml")).json as? [String: Any]
        let messages = (json?["warnings"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(messages.filter { $0.hasPrefix("pool ") }.count == 5, "\(messages)")
        let apply = box.leadpool("rules", "apply", box.path("typos.yaml"))
        #expect(apply.status == 0 && apply.stderr.contains("warning: ") && apply.stderr.contains("admins name 'wnag'"), "\(apply)")
        #expect(!box.leadpool("rules", "check", box.path("rules.yaml")).stderr.contains("pool 'east'"))
    }

    @Test func explainNamesThePoolAndWhyARepIsNoMember() throws {
        let box = try sandbox()
        let bob = box.leadpool("--as", "bob", "explain", "1").stdout
        #expect(bob.contains("Pool: east; pool east is for its members (team:east); you are not one"), "\(bob)")
        let lily = box.leadpool("--as", "lily", "--json", "explain", "1").json as? [String: Any]
        let pool = lily?["pool"] as? [String: Any]
        #expect(pool?["name"] as? String == "east" && pool?["member"] as? Bool == true && pool?["why_not"] is NSNull)
    }

    @Test func checkFindsLeadsInAPoolTheRulesNoLongerList() throws {
        let box = try sandbox()
        #expect(box.leadpool("check").status == 0)
        try "defaults: { capacity: 50, daily-limit: 20 }\n".write(toFile: box.path("plain.yaml"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("rules", "apply", box.path("plain.yaml")).status == 0)
        let check = box.leadpool("check")
        #expect(check.status == 1)
        #expect(check.stdout.contains("6 lead(s) in pool 'east', which the rules file does not list"), "\(check)")
        // Its leads are for admins only now: reps neither see nor claim them.
        #expect(box.leadpool("--as", "lily", "--json", "pool").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        #expect((box.leadpool("--json", "pool").json as? [Any])?.count == 8, "an admin sees them")
        let claim = box.leadpool("--as", "lily", "claim", "1")
        #expect(claim.status == 77, "\(claim)")
        #expect(box.leadpool("lead", "move", "1", "2", "3", "4", "5", "6", "--pool", "main").status == 0)
        #expect(box.leadpool("lead", "move", "7", "8", "--pool", "main").status == 0)
        #expect(box.leadpool("check").status == 0)
    }
}

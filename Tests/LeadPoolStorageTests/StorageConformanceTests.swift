import Foundation
import LeadPoolCore
import LeadPoolStorage
import Testing

/// What every ``LeadStorage`` must do, use case by use case: the behaviour the CLI relies on,
/// checked through the protocol only. Runs on each of ``StorageBackend/all``.
@Suite struct StorageConformanceTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18
    static let day: TimeInterval = 86_400
    static let admin = Rep(handle: "root", name: "Root", role: .admin, createdAt: now)

    /// A storage with the admin, reps alice and bob (and `configure`d ones), a ruleset and leads.
    struct World {
        let storage: any LeadStorage
        var alice: Rep
        var bob: Rep
        var leads: [Int64]

        func lead(_ id: Int64) throws -> Lead { try storage.lead(id) }
    }

    static func world(
        _ backend: StorageBackend,
        rules: String = "",
        leads: [(company: String, country: String, employees: Int64)] = [],
        alice: (inout Rep) -> Void = { _ in }
    ) throws -> World {
        let storage = try backend.make(admin)
        var a = Rep(handle: "alice", name: "Alice", createdAt: now)
        alice(&a)
        let b = Rep(handle: "bob", name: "Bob", createdAt: now)
        try storage.addRep(a)
        try storage.addRep(b)
        if !rules.isEmpty {
            _ = try storage.applyRuleset(try Ruleset.parse(rules, fileName: "r.yaml"), source: rules, fileName: "r.yaml", actor: "root", at: now)
        }
        var ids: [Int64] = []
        for lead in leads {
            ids.append(
                try storage.addLead(
                    Lead(company: lead.company, country: lead.country, employees: lead.employees, createdAt: now),
                    actor: "root",
                    at: now
                )
            )
        }
        return World(storage: storage, alice: a, bob: b, leads: ids)
    }

    static func pool(_ count: Int) -> [(company: String, country: String, employees: Int64)] {
        (0..<count).map { index -> (company: String, country: String, employees: Int64) in
            let country = index % 2 == 0 ? "DE" : "US"
            return ("Co\(index)", country, Int64(10 * (index + 1)))
        }
    }

    // MARK: - Conditions

    /// Each backend compiles conditions to its own SQL; what they select must be what the core's
    /// in-memory evaluation matches, for every kind of operand and operator.
    @Test(arguments: StorageBackend.all) func conditionsSelectWhatTheCoreMatches(_ backend: StorageBackend) throws {
        let w = try Self.world(backend)
        let leads = [
            Lead(
                company: "Acme GmbH",
                email: "a@acme.de",
                country: "DE",
                industry: "Software",
                employees: 250,
                revenue: 1.5e6,
                tags: ["Webinar-2026"],
                createdAt: Self.now,
                attributes: ["plan": "Trial", "seats": "12"]
            ),
            Lead(
                company: "Beta Inc",
                country: "us",
                industry: "fintech",
                employees: 40,
                tags: ["webinar-2026", "vip"],
                createdAt: Self.now,
                attributes: ["plan": "pro", "seats": "x12"]
            ),
            Lead(company: "Gamma_100%", country: "ZZ", employees: nil, revenue: 20, createdAt: Self.now, attributes: ["seats": "-3.5"]),
            Lead(company: "Åland Ölwerk", country: "AX", industry: "Beverages", employees: 0, createdAt: Self.now),
        ]
        for lead in leads { _ = try w.storage.addLead(lead, actor: "root", at: Self.now.addingTimeInterval(-20 * Self.day)) }
        _ = try w.storage.claim([2], for: w.alice, at: Self.now.addingTimeInterval(-5 * Self.day))
        let conditions = [
            #"industry in ("Software", "FINTECH") and employees >= 200"#, #"country = "de" or country = "US""#,
            #"tag("WEBINAR-2026") and not tag("vip")"#, #"attr.plan = "trial""#, #"attr.seats > 10"#, #"attr.seats < 0"#,
            #"attr.seats in (12, "x12")"#, #"email is not null and company matches "*gmbh""#, #"company contains "_100%""#,
            #"company matches "?eta*""#, "employees is null", "revenue > 100", "employees not in (0, 40)", "country < \"e\"",
            "age_days >= 20", "held_days >= 5", "held_days is null", "idle_days > 4", #"company = "åland ölwerk""#,
            #"company contains "ÖL""#, "tags is null", "true", "not (employees > 10 or country = \"ZZ\")",
        ]
        let all = try w.storage.leads(LeadQuery(), now: Self.now)
        #expect(all.count == 4)
        for text in conditions {
            let condition = try Condition.parse(text)
            let expected = all.filter { condition.matches($0, in: ConditionContext(now: Self.now)) }.map(\.id)
            let selected = try w.storage.leads(LeadQuery(condition: condition), now: Self.now).map(\.id)
            #expect(selected == expected, "\(text)")
            #expect(try w.storage.countLeads(LeadQuery(condition: condition), now: Self.now) == expected.count, "\(text)")
        }
        let parsed = try conditions.map { try Condition.parse($0) }
        let counts = try w.storage.countMatching(parsed, segments: [:], now: Self.now)
        #expect(
            counts
                == parsed.map { condition in
                    let matching = all.filter { condition.matches($0, in: ConditionContext(now: Self.now)) }
                    return MatchCount(leads: matching.count, pooled: matching.filter(\.isPooled).count)
                }
        )
        #expect(try w.storage.tierCounts(LeadQuery(), expected: [], now: Self.now) == [TierCount(tier: nil, count: 4)])
    }

    // MARK: - Claims

    @Test(arguments: StorageBackend.all) func claimByIDTakesAPoolLead(_ backend: StorageBackend) throws {
        let w = try Self.world(backend, leads: Self.pool(2))
        let outcomes = try w.storage.claim([w.leads[0], 999], for: w.alice, at: Self.now)
        #expect(outcomes == [LeadOutcome(leadID: w.leads[0], result: .done), LeadOutcome(leadID: 999, result: .notFound)])
        #expect(try w.lead(w.leads[0]).owner == "alice")
        #expect(try w.storage.history(w.leads[0]).last?.kind == "claimed")
        #expect(
            try w.storage.claim([w.leads[0]], for: w.bob, at: Self.now) == [
                LeadOutcome(leadID: w.leads[0], result: .refused("already owned by alice"))
            ]
        )
        #expect(try w.storage.claim([w.leads[0]], for: w.alice, at: Self.now) == [LeadOutcome(leadID: w.leads[0], result: .refused("already yours"))])
    }

    @Test(arguments: StorageBackend.all) func claimRefusedAtCapacity(_ backend: StorageBackend) throws {
        let w = try Self.world(backend, leads: Self.pool(3)) { $0.capacity = 2 }
        let outcomes = try w.storage.claim(w.leads, for: w.alice, at: Self.now)
        #expect(outcomes.map(\.succeeded) == [true, true, false])
        #expect(outcomes[2].result == .refused("capacity: you hold 2 of 2 open or qualified leads"))
        let budget = try w.storage.claimBudget(for: w.alice, at: Self.now)
        #expect(budget == ClaimBudget(held: 2, claimedToday: 2, capacity: 2, dailyLimit: 20, day: LocalDate("2026-11-18")))
    }

    @Test(arguments: StorageBackend.all) func claimRefusedAtTheDailyLimitFromTheRuleset(_ backend: StorageBackend) throws {
        let w = try Self.world(backend, rules: "defaults: { capacity: 10, daily-limit: 2 }", leads: Self.pool(3))
        let outcomes = try w.storage.claim(w.leads, for: w.alice, at: Self.now)
        #expect(outcomes.last?.result == .refused("daily limit: you claimed 2 of 2 today"))
        let tomorrow = Self.now.addingTimeInterval(Self.day)
        #expect(try w.storage.claim([w.leads[2]], for: w.alice, at: tomorrow).first?.succeeded == true)
    }

    @Test(arguments: StorageBackend.all) func claimRefusedDuringTheCooldownAfterARelease(_ backend: StorageBackend) throws {
        let w = try Self.world(backend, rules: "reclaim: { cooldown-days: 3 }", leads: Self.pool(1))
        let id = w.leads[0]
        _ = try w.storage.claim([id], for: w.alice, at: Self.now)
        #expect(try w.storage.perform(.release(reason: "no budget"), on: [id], by: w.alice, at: Self.now).first?.succeeded == true)
        let refusal = try w.storage.claim([id], for: w.alice, at: Self.now.addingTimeInterval(Self.day)).first?.result
        guard case .refused(let reason) = refusal else {
            Issue.record("not refused: \(String(describing: refusal))")
            return
        }
        #expect(reason.hasPrefix("cooldown: you released it on "))
        #expect(try w.storage.claim([id], for: w.bob, at: Self.now.addingTimeInterval(Self.day)).first?.succeeded == true)
    }

    @Test(arguments: StorageBackend.all) func claimNextTakesTheBestAndSaysWhatStoppedIt(_ backend: StorageBackend) throws {
        let w = try Self.world(
            backend,
            rules: "icp: [{ name: big, when: 'employees >= 30', points: 50 }]",
            leads: Self.pool(4)
        ) { $0.capacity = 2 }
        let next = try w.storage.claimNext(5, matching: LeadQuery(), for: w.alice, at: Self.now)
        #expect(next.claimed.count == 2)
        #expect(Set(next.claimed).isSubset(of: Set(w.leads[2...])), "the scored leads first")
        #expect(next.stop == "capacity: you hold 2 of 2 open or qualified leads")
        let none = try w.storage.claimNext(1, matching: LeadQuery(), for: w.bob, at: Self.now)
        #expect(none.claimed.count == 1)
        #expect(none.stop == nil)
    }

    // MARK: - Work on a lead

    @Test(arguments: StorageBackend.all) func actionsAreRefusedOnAnotherRepsLead(_ backend: StorageBackend) throws {
        let w = try Self.world(backend, leads: Self.pool(1))
        let id = w.leads[0]
        _ = try w.storage.claim([id], for: w.alice, at: Self.now)
        #expect(try w.storage.perform(.qualify, on: [id], by: w.bob, at: Self.now).first?.result == .refused("not yours: alice owns it"))
        #expect(try w.storage.perform(.qualify, on: [id], by: w.alice, at: Self.now).first?.succeeded == true)
        #expect(try w.storage.perform(.qualify, on: [id], by: w.alice, at: Self.now).first?.result == .refused("already qualified"))
        #expect(try w.storage.perform(.convert, on: [id], by: w.alice, at: Self.now).first?.succeeded == true)
        #expect(try w.lead(id).status == .converted)
        #expect(
            try w.storage.perform(.touch(kind: "call", note: nil), on: [id], by: w.alice, at: Self.now).first?.result
                == .refused("closed: it is converted")
        )
    }

    // MARK: - An admin's moves

    @Test(arguments: StorageBackend.all) func transferAndReopen(_ backend: StorageBackend) throws {
        let w = try Self.world(backend, leads: Self.pool(2))
        _ = try w.storage.claim([w.leads[0]], for: w.alice, at: Self.now)
        let moved = try w.storage.transfer(w.leads, to: "bob", reason: "cover", actor: "root", at: Self.now)
        #expect(moved.allSatisfy { $0.succeeded })
        #expect(try w.lead(w.leads[0]).owner == "bob")
        #expect(try w.lead(w.leads[0]).previousOwner == "alice", "the previous owner's cooldown starts")
        #expect(
            try w.storage.transfer([w.leads[0]], to: "bob", reason: nil, actor: "root", at: Self.now).first?.result
                == .refused("already owned by bob")
        )
        #expect(throws: LeadPoolError.self) { try w.storage.transfer(w.leads, to: "nobody", reason: nil, actor: "root", at: Self.now) }

        #expect(
            try w.storage.reopen([w.leads[1]], to: nil, actor: "root", at: Self.now).first?.result
                == .refused("not closed: it is open; only converted or disqualified leads reopen")
        )
        _ = try w.storage.perform(.disqualify(reason: "spam"), on: [w.leads[1]], by: Self.admin, at: Self.now)
        #expect(try w.storage.reopen([w.leads[1]], to: "alice", actor: "root", at: Self.now).first?.succeeded == true)
        let reopened = try w.lead(w.leads[1])
        #expect(reopened.status == .open)
        #expect(reopened.owner == "alice")
    }

    @Test(arguments: StorageBackend.all) func deactivateReleasesOrTransfersInOneCall(_ backend: StorageBackend) throws {
        let w = try Self.world(backend, leads: Self.pool(3))
        _ = try w.storage.claim(w.leads, for: w.alice, at: Self.now)
        let release = try w.storage.deactivate("alice", leads: .release, by: Self.admin, at: Self.now)
        #expect(release.wasActive)
        #expect(release.held == w.leads)
        #expect(release.outcomes.allSatisfy { $0.succeeded })
        #expect(try w.storage.repStanding("alice").held == 0)
        #expect(try w.storage.rep("alice")?.active == false)

        _ = try w.storage.claim(w.leads, for: w.bob, at: Self.now)
        // A deactivated receiver: nothing changes.
        #expect(throws: LeadPoolError.self) { try w.storage.deactivate("bob", leads: .transfer(to: "alice"), by: Self.admin, at: Self.now) }
        #expect(try w.storage.rep("bob")?.active == true)
        _ = try w.storage.setActive("alice", true)
        let transfer = try w.storage.deactivate("bob", leads: .transfer(to: "alice"), by: Self.admin, at: Self.now)
        #expect(transfer.outcomes.count == 3)
        #expect(try w.storage.repStanding("alice").held == 3)
        let kept = try w.storage.deactivate("bob", leads: .keep, by: Self.admin, at: Self.now)
        #expect(!kept.wasActive)
        #expect(kept.outcomes.isEmpty)
    }

    @Test(arguments: StorageBackend.all) func theLastActiveAdminStays(_ backend: StorageBackend) throws {
        let w = try Self.world(backend)
        #expect(throws: LeadPoolError.self) { try w.storage.deactivate("root", leads: .keep, by: Self.admin, at: Self.now) }
        #expect(throws: LeadPoolError.self) { try w.storage.updateRep("root", RepChanges(role: .rep)) }
        #expect(try w.storage.rep("root")?.active == true)
    }

    // MARK: - Rounds

    static let roundRules = """
        defaults: { capacity: 2 }
        rules:
          - { name: de, when: 'country = "DE"', to: [alice], strategy: round-robin }
          - { name: rest, when: 'true', to: [alice, bob], strategy: round-robin }
        """

    @Test(arguments: StorageBackend.all) func aRoundPlansAndWritesInOneCall(_ backend: StorageBackend) throws {
        let w = try Self.world(backend, rules: Self.roundRules, leads: Self.pool(6))
        let dry = try w.storage.runRound(scope: RoundScope(), dryRun: true, actor: "root", at: Self.now)
        #expect(dry.written == nil)
        #expect(dry.input.pool.count == 6)
        #expect(try w.storage.repStandings().allSatisfy { $0.held == 0 }, "a dry run writes nothing")

        let run = try w.storage.runRound(scope: RoundScope(), dryRun: false, actor: "root", at: Self.now)
        let record = try #require(run.written?.record)
        #expect(record.considered == 6)
        #expect(record.assigned == 4, "two reps of capacity 2")
        #expect(record.noCapacity == 2)
        // Fairness as planned, kept with the round: both reps got 2, no spread.
        #expect(run.plan.fairness.spread == 0)
        #expect(record.summary?.fairness?.spread == run.plan.fairness.spread)
        #expect(record.summary?.reps.map(\.given) == [2, 2, 0], "alice, bob, and root whom no rule names")
        let held = Dictionary(uniqueKeysWithValues: try w.storage.repStandings().map { ($0.rep.handle, $0.held) })
        #expect(held == ["alice": 2, "bob": 2, "root": 0])
        // First match: a DE lead goes by rule `de`, to alice only.
        for assignment in run.plan.assignments where try w.lead(assignment.leadID).country == "DE" {
            #expect(assignment.rule == "de")
            #expect(assignment.rep == "alice")
        }
        #expect(try w.storage.rounds(limit: 5).map(\.id) == [record.id])
        #expect(try w.storage.round(record.id).assigned == 4)
    }

    @Test(arguments: StorageBackend.all) func aRoundScopedToARuleTakesOnlyLeadsItRoutesFirst(_ backend: StorageBackend) throws {
        let w = try Self.world(backend, rules: Self.roundRules, leads: Self.pool(6))
        let rest = try w.storage.runRound(scope: RoundScope(rule: "rest", limit: 2), dryRun: true, actor: "root", at: Self.now)
        #expect(rest.input.pool.count == 2)
        let countries = try rest.input.pool.map { try w.lead($0.id).country }
        #expect(countries == ["US", "US"], "DE leads go by the first rule")
        #expect(throws: LeadPoolError.self) { try w.storage.runRound(scope: RoundScope(rule: "nope"), dryRun: true, actor: "root", at: Self.now) }
    }

    // MARK: - First touch and digests

    static let firstTouchRules = """
        rules: [{ name: all, when: 'true', to: [alice, bob], strategy: round-robin }]
        first-touch: { within: 2h, warn-before: 30m, then: reassign }
        reclaim: { cooldown-days: 0 }
        """

    @Test(arguments: StorageBackend.all) func aMissedFirstTouchIsEscalatedOnceToTheNextCandidate(_ backend: StorageBackend) throws {
        let w = try Self.world(backend, rules: Self.firstTouchRules, leads: Self.pool(2))
        let ruleset = try #require(try w.storage.currentRuleset()).ruleset
        _ = try w.storage.runRound(scope: RoundScope(), dryRun: false, actor: "root", at: Self.now)
        let hour: TimeInterval = 3_600
        let (annLead, bobLead) = (try w.lead(w.leads[0]).owner == "alice") ? (w.leads[0], w.leads[1]) : (w.leads[1], w.leads[0])
        _ = try w.storage.perform(.touch(kind: "call", note: nil), on: [bobLead], by: w.bob, at: Self.now.addingTimeInterval(hour))

        let standings = try w.storage.firstTouchStandings(ruleset, at: Self.now.addingTimeInterval(1.75 * hour), pools: nil, owner: nil)
        #expect(standings.map(\.id) == [annLead], "bob's lead is touched")
        #expect(standings.first?.status == .close(deadline: Self.now.addingTimeInterval(2 * hour)))

        let due = Self.now.addingTimeInterval(2 * hour)
        let planned = try w.storage.firstTouchEscalations(ruleset, at: due, pools: nil)
        #expect(planned.map(\.escalation.newOwner) == ["bob"])
        #expect(try w.lead(annLead).owner == "alice", "planning writes nothing")
        // A pool's reclaim escalates only its own leads: these are all in main.
        #expect(try w.storage.firstTouchStandings(ruleset, at: due, pools: ["recycle"], owner: nil).isEmpty)
        #expect(try w.storage.firstTouchStandings(ruleset, at: due, pools: nil, owner: "alice").map(\.id) == [annLead])
        #expect(try w.storage.firstTouchStandings(ruleset, at: due, pools: nil, owner: "bob").isEmpty, "bob's lead is touched")
        #expect(try w.storage.firstTouchEscalations(ruleset, at: due, pools: ["recycle"]).isEmpty)
        #expect(try w.storage.reclaim(ruleset, at: due, pools: ["recycle"], runBy: "root", progress: { _, _ in }).escalated.isEmpty)
        #expect(try w.storage.firstTouchEscalations(ruleset, at: due, pools: ["main"]).map(\.id) == [annLead])

        let result = try w.storage.reclaim(ruleset, at: due, runBy: "root")
        #expect(result.escalated.map(\.id) == [annLead])
        #expect(result.escalated.first?.reason.hasPrefix("no first touch within 2h (working hours)") == true)
        #expect(try w.lead(annLead).owner == "bob")
        let last = try #require(try w.storage.history(annLead).last)
        #expect(last.kind == "escalated")
        #expect((last.fromOwner, last.toOwner, last.rule) == ("alice", "bob", "all"))
        #expect(try w.storage.reclaim(ruleset, at: due, runBy: "root").escalated.isEmpty, "once")

        // bob misses it too: alice missed it before, so nobody is left: the pool.
        let later = try w.storage.reclaim(ruleset, at: Self.now.addingTimeInterval(4 * hour), runBy: "root")
        #expect(later.escalated.map(\.escalation) == [.pool(because: "rule all has no other candidate")])
        #expect(try w.lead(annLead).owner == nil)
        #expect(try w.storage.check().allSatisfy { $0.problems.isEmpty })
    }

    @Test(arguments: StorageBackend.all) func keepRecordsTheMissOnceAndTheLeadStays(_ backend: StorageBackend) throws {
        let rules = Self.firstTouchRules.replacingOccurrences(of: "then: reassign", with: "then: keep")
        let w = try Self.world(backend, rules: rules, leads: Self.pool(1))
        let ruleset = try #require(try w.storage.currentRuleset()).ruleset
        _ = try w.storage.transfer([w.leads[0]], to: "alice", reason: nil, actor: "root", at: Self.now)
        let due = Self.now.addingTimeInterval(3 * 3_600)
        #expect(try w.storage.reclaim(ruleset, at: due, runBy: "root").escalated.map(\.escalation) == [.keep])
        #expect(try w.storage.reclaim(ruleset, at: due, runBy: "root").escalated.isEmpty)
        #expect(try w.lead(w.leads[0]).owner == "alice")
        #expect(try w.storage.history(w.leads[0]).last?.kind == "first_touch_missed")
    }

    @Test(arguments: StorageBackend.all) func aDigestLeavesOutWhatWasRecordedAsMailed(_ backend: StorageBackend) throws {
        let w = try Self.world(backend, rules: Self.firstTouchRules, leads: Self.pool(2)) { $0.email = "alice@example.com" }
        let ruleset = try #require(try w.storage.currentRuleset()).ruleset
        _ = try w.storage.transfer([w.leads[0]], to: "alice", reason: "knows them", actor: "root", at: Self.now)
        let first = try w.storage.digests(ruleset, at: Self.now)
        #expect(first.map(\.rep.handle) == ["alice"])
        #expect(first.first?.items.map(\.kind) == [.given])
        #expect(first.first?.items.first?.detail == "transferred by root: knows them")
        try w.storage.recordNotified("alice", keys: first[0].items.map(\.key), at: Self.now)
        #expect(try w.storage.digests(ruleset, at: Self.now).isEmpty, "nothing new")

        // 1h45m later the deadline is close: that is new; so is a second lead.
        _ = try w.storage.transfer([w.leads[1]], to: "alice", reason: nil, actor: "root", at: Self.now.addingTimeInterval(1_800))
        let later = try w.storage.digests(ruleset, at: Self.now.addingTimeInterval(1.75 * 3_600))
        #expect(later.first?.items.map(\.kind) == [.given, .firstTouchClose])
        #expect(later.first?.items.map(\.leadID) == [w.leads[1], w.leads[0]])
    }

    @Test(arguments: StorageBackend.all) func aSecondNotifyIsRefusedWhileOneRuns(_ backend: StorageBackend) throws {
        let w = try Self.world(backend)
        let other = try backend.reopen(w.storage)
        let (refusal, reclaimed) = try w.storage.whileNotifying { () throws -> (LeadPoolError?, ReclaimResult) in
            let refusal = #expect(throws: LeadPoolError.self) { try other.whileNotifying {} }
            // reclaim has a lock of its own.
            return (refusal, try other.reclaim(.standard, at: Self.now, runBy: "root"))
        }
        #expect(refusal?.exitCode == 75)
        #expect(refusal?.message.contains("another notify is running") == true)
        #expect(reclaimed.reclaimed.isEmpty)
        #expect(try other.whileNotifying { "ran" } == "ran", "the lock goes with the first run")
    }

    // MARK: - Reclaim

    @Test(arguments: StorageBackend.all) func reclaimTakesBackIdleLeadsWithTheirVerdicts(_ backend: StorageBackend) throws {
        let rules = "reclaim: { no-activity-days: 5, max-hold-days: 30, warn-days: 2 }"
        let w = try Self.world(backend, rules: rules, leads: Self.pool(3))
        _ = try w.storage.claim([w.leads[0], w.leads[1]], for: w.alice, at: Self.now)
        let later = Self.now.addingTimeInterval(3 * Self.day)
        _ = try w.storage.perform(.touch(kind: "call", note: nil), on: [w.leads[1]], by: w.alice, at: later)
        let ruleset = try #require(try w.storage.currentRuleset()).ruleset

        let due = Self.now.addingTimeInterval(6 * Self.day)
        #expect(try w.storage.reclaimWarnings(ruleset, at: later).map(\.id) == [w.leads[0]])
        let candidates = try w.storage.reclaimCandidates(ruleset, at: due)
        #expect(candidates.map(\.id) == [w.leads[0]], "a dry run: the touched lead is not idle yet")
        #expect(candidates.first?.verdict.cause == .noActivity)
        #expect(try w.lead(w.leads[0]).owner == "alice", "a dry run writes nothing")
        // --pool: every lead is in main here, none in east.
        #expect(try w.storage.reclaimCandidates(ruleset, at: due, pools: ["main"]).map(\.id) == [w.leads[0]])
        #expect(try w.storage.reclaimCandidates(ruleset, at: due, pools: ["east"]).isEmpty)
        #expect(try w.storage.reclaimCandidates(ruleset, at: due, pools: ["east", "main"]).map(\.id) == [w.leads[0]])
        #expect(try w.storage.reclaimWarnings(ruleset, at: later, pools: ["main"]).map(\.id) == [w.leads[0]])
        #expect(try w.storage.reclaimWarnings(ruleset, at: later, pools: ["east"]).isEmpty)
        #expect(try w.storage.reclaim(ruleset, at: due, pools: ["east"], runBy: "root", progress: { _, _ in }).reclaimed.isEmpty)

        let mine = try w.storage.heldLeads(of: w.alice, at: due)
        #expect(mine.leads.map(\.lead.id) == [w.leads[0], w.leads[1]], "soonest reclaim first")
        #expect(mine.budget.held == 2)

        let result = try w.storage.reclaim(ruleset, at: due, runBy: "root")
        #expect(result.reclaimed.map(\.id) == [w.leads[0]])
        let back = try w.lead(w.leads[0])
        #expect(back.owner == nil)
        #expect(back.previousOwner == "alice")
        #expect(try w.storage.history(w.leads[0]).last?.kind == "reclaimed")
        #expect(try w.storage.reclaim(ruleset, at: due, runBy: "root").reclaimed.isEmpty, "a second run finds nothing")

        _ = try w.storage.setActive("alice", false)
        #expect(try w.storage.reclaimCandidates(ruleset, at: due).first?.verdict == Ruleset.ReclaimPolicy.inactiveRepVerdict)
    }

    @Test(arguments: StorageBackend.all) func reclaimFollowsOverridesAndExemptions(_ backend: StorageBackend) throws {
        let rules = """
            reclaim:
              no-activity-days: 10
              exempt: 'status = "qualified"'
              overrides:
                - { when: 'country = "DE"', no-activity-days: 2 }
            """
        let w = try Self.world(backend, rules: rules, leads: Self.pool(4))
        _ = try w.storage.claim(w.leads, for: w.alice, at: Self.now)
        _ = try w.storage.perform(.qualify, on: [w.leads[3]], by: w.alice, at: Self.now)
        let ruleset = try #require(try w.storage.currentRuleset()).ruleset
        // The German leads (0 and 2) go after 2 idle days, the others after 10; 3 is qualified.
        #expect(try w.storage.reclaimCandidates(ruleset, at: Self.now.addingTimeInterval(Self.day)).isEmpty)
        #expect(try w.storage.reclaimCandidates(ruleset, at: Self.now.addingTimeInterval(3 * Self.day)).map(\.id) == [w.leads[0], w.leads[2]])
        #expect(
            try w.storage.reclaimCandidates(ruleset, at: Self.now.addingTimeInterval(20 * Self.day)).map(\.id) == [
                w.leads[0], w.leads[1], w.leads[2],
            ]
        )
        let result = try w.storage.reclaim(ruleset, at: Self.now.addingTimeInterval(3 * Self.day), runBy: "root")
        #expect(result.reclaimed.map(\.id) == [w.leads[0], w.leads[2]])
        #expect(try w.lead(w.leads[0]).owner == nil)
        #expect(try w.lead(w.leads[1]).owner == "alice")
        #expect(try w.storage.history(w.leads[0]).last?.kind == "reclaimed")
    }

    @Test(arguments: StorageBackend.all) func reclaimLeavesOutTheDaysTheOwnerIsAway(_ backend: StorageBackend) throws {
        let rules = "reclaim: { no-activity-days: 5, max-hold-days: 60, warn-days: 2 }"
        let w = try Self.world(backend, rules: rules, leads: Self.pool(2))
        _ = try w.storage.transfer([w.leads[0]], to: "alice", reason: nil, actor: "root", at: Self.now)
        _ = try w.storage.transfer([w.leads[1]], to: "bob", reason: nil, actor: "root", at: Self.now)
        // alice is away for the next 10 days.
        let alice = try w.storage.setAway("alice", from: Self.now, until: Self.now.addingTimeInterval(10 * Self.day))
        let ruleset = try #require(try w.storage.currentRuleset()).ruleset
        let during = Self.now.addingTimeInterval(9 * Self.day)
        #expect(try w.storage.reclaimCandidates(ruleset, at: during).map(\.id) == [w.leads[1]], "bob's lead only")
        #expect(try w.storage.reclaimWarnings(ruleset, at: Self.now.addingTimeInterval(13 * Self.day)).map(\.id) == [w.leads[0]])
        let mine = try w.storage.heldLeads(of: alice, at: during)
        #expect(mine.leads.first?.reclaimAt == Self.now.addingTimeInterval(15 * Self.day))
        let due = Self.now.addingTimeInterval(15 * Self.day)
        let candidates = try w.storage.reclaimCandidates(ruleset, at: due)
        #expect(candidates.map(\.id) == [w.leads[0], w.leads[1]])
        #expect(candidates.first?.verdict.reason == "no activity for 5 days not counting 10 days away (limit 5)")
        #expect(try w.storage.reclaim(ruleset, at: Self.now.addingTimeInterval(14 * Self.day), runBy: "root").reclaimed.map(\.id) == [w.leads[1]])
    }

    // MARK: - Time zones

    @Test(arguments: StorageBackend.all) func theDailyLimitCountsFromTheRepsLocalMidnight(_ backend: StorageBackend) throws {
        // The ruleset's zone for bob, alice's own for her.
        let rules = "timezone: Asia/Shanghai\ndefaults: { capacity: 10, daily-limit: 1 }"
        let w = try Self.world(backend, rules: rules, leads: Self.pool(6)) { $0.timeZone = "America/New_York" }
        let at = { (text: String) in Timestamp.parse(text)! }
        // bob: 2026-11-19 starts at 2026-11-18T16:00Z in Shanghai.
        #expect(try w.storage.claim([w.leads[0]], for: w.bob, at: at("2026-11-18T15:59:59Z")).first?.succeeded == true)
        #expect(try w.storage.claim([w.leads[1]], for: w.bob, at: at("2026-11-18T16:00:00Z")).first?.succeeded == true)
        #expect(try w.storage.claim([w.leads[2]], for: w.bob, at: at("2026-11-19T15:59:59Z")).first?.succeeded == false)
        // alice: 2026-11-19 starts at 2026-11-19T05:00Z in New York.
        #expect(try w.storage.claim([w.leads[3]], for: w.alice, at: at("2026-11-19T04:59:59Z")).first?.succeeded == true)
        #expect(try w.storage.claim([w.leads[4]], for: w.alice, at: at("2026-11-19T05:00:00Z")).first?.succeeded == true)
        let budget = try w.storage.claimBudget(for: w.alice, at: at("2026-11-19T12:00:00Z"))
        #expect(budget.claimedToday == 1)
        #expect(budget.day == LocalDate("2026-11-19"))
        #expect(try w.storage.check().first { $0.name == "nobody claimed more in a day than their daily limit" }?.passed == true)
    }

    @Test(arguments: StorageBackend.all) func aRepsZoneAndHoursAreKeptAndCleared(_ backend: StorageBackend) throws {
        let w = try Self.world(backend) {
            $0.timeZone = "Europe/Berlin"
            $0.workingHours = .office
        }
        #expect(try w.storage.rep("alice")?.timeZone == "Europe/Berlin")
        #expect(try w.storage.rep("alice")?.workingHours == .office)
        let hours = try WorkingHours.parse("mon,sat 08:00-12:00")
        var rep = try w.storage.updateRep("alice", RepChanges(timeZone: .some("Asia/Shanghai"), workingHours: .some(hours)))
        #expect(rep.timeZone == "Asia/Shanghai")
        #expect(rep.workingHours == hours)
        rep = try w.storage.updateRep("alice", RepChanges(timeZone: .some(nil), workingHours: .some(nil)))
        #expect(rep.timeZone == nil)
        #expect(rep.workingHours == nil)
        #expect(throws: LeadPoolError.self) { try w.storage.updateRep("alice", RepChanges(timeZone: .some("Asia/Shangai"))) }
    }

    // MARK: - Reports

    @Test(arguments: StorageBackend.all) func reportFiguresCountWhatHappened(_ backend: StorageBackend) throws {
        let w = try Self.world(backend, rules: "tiers: { A: 80, B: 60 }", leads: Self.pool(5))
        _ = try w.storage.claim([w.leads[0], w.leads[1], w.leads[2]], for: w.alice, at: Self.now)
        _ = try w.storage.perform(.convert, on: [w.leads[0]], by: w.alice, at: Self.now)
        _ = try w.storage.perform(.disqualify(reason: "spam"), on: [w.leads[1]], by: w.alice, at: Self.now)
        _ = try w.storage.perform(.release(reason: "wrong-region"), on: [w.leads[2]], by: w.alice, at: Self.now)
        let ruleset = try #require(try w.storage.currentRuleset()).ruleset
        let report = try w.storage.report(ReportSection.allCases, ruleset: ruleset, now: Self.now)

        #expect(report.pool?.leads == 3, "two open leads and the released one")
        let alice = try #require(report.reps?.reps.first { $0.handle == "alice" })
        #expect(alice.held == 0)
        #expect(alice.converted == 1)
        #expect(alice.disqualified == 1)
        #expect(alice.released == 1)
        #expect(report.conversion?.overall.converted == 1)
        #expect(report.conversion?.overall.closed == 2)
        #expect(report.conversion?.byDisqualifyReason.map(\.group) == ["spam"])
        #expect(report.conversion?.byReleaseReason.map(\.group) == ["wrong-region"])
        #expect(report.rounds?.total == 0)
        #expect(try w.storage.tierCounts(LeadQuery(), expected: ["A", "B", "D"], now: Self.now).map(\.count).reduce(0, +) == 5)
    }

    @Test(arguments: StorageBackend.all) func slaReportCountsLeadsGivenAndTheirFirstTouches(_ backend: StorageBackend) throws {
        let w = try Self.world(backend, leads: Self.pool(3))
        _ = try w.storage.transfer([w.leads[0], w.leads[1]], to: "bob", reason: nil, actor: "root", at: Self.now)
        let hour: TimeInterval = 3_600
        _ = try w.storage.perform(.touch(kind: "call", note: nil), on: [w.leads[0]], by: w.bob, at: Self.now.addingTimeInterval(hour))
        let later = Self.now.addingTimeInterval(2 * hour)
        _ = try w.storage.perform(.touch(kind: "call", note: nil), on: [w.leads[0]], by: w.bob, at: later)
        let report = try w.storage.report([.sla], ruleset: .standard, now: later)
        let bob = try #require(report.sla?.reps.first { $0.handle == "bob" })
        #expect(bob.received == 2)
        #expect(bob.touched == 1, "the first touch counts, the second does not")
        #expect(bob.escalated == 0)
        #expect(report.sla?.reps.first { $0.handle == "alice" }.map(\.received) ?? 0 == 0)
    }

    // MARK: - Import

    @Test(arguments: StorageBackend.all) func importIsWholeOrNothing(_ backend: StorageBackend) throws {
        let w = try Self.world(backend)
        func draft(_ company: String, _ email: String) -> LeadDraft {
            LeadDraft(line: 2, company: company, email: email)
        }
        let summary = try w.storage.importLeads(file: "a.csv", source: nil, policy: .skip, dryRun: false, actor: "root", at: Self.now) {
            batch in
            try batch.add(draft("Acme", "a@acme.com"))
            try batch.add(draft("Acme again", "a@acme.com"))
        }
        #expect(summary.new == 1)
        #expect(summary.skippedTotal == 1)
        let dry = try w.storage.importLeads(file: "b.csv", source: nil, policy: .skip, dryRun: true, actor: "root", at: Self.now) {
            batch in try batch.add(draft("Beta", "b@beta.com"))
        }
        #expect(dry.new == 1)
        #expect(try w.storage.countLeads(LeadQuery(), now: Self.now) == 1, "a dry run writes nothing")
    }
}

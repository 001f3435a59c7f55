import Foundation
import Testing

/// A database with reps alice (capacity 3, daily limit 4) and bob, and ten pool leads.
func workflowSandbox() throws -> Sandbox {
    let box = Sandbox()
    box.initialized()
    box.leadpool("rep", "add", "alice", "--name", "Alice", "--capacity", "3", "--daily-limit", "4")
    box.leadpool("rep", "add", "bob", "--name", "Bob")
    var csv = "Company,Email,Country,Number of Employees\n"
    for i in 1...10 { csv += "Company \(i),c\(i)@company\(i).com,DE,\(i * 10)\n" }
    try csv.write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
    let run = box.leadpool("--now", "2026-11-01T09:00:00Z", "import", box.path("leads.csv"))
    precondition(run.status == 0, "\(run)")
    return box
}

@Suite(.bothBackends) struct WorkflowTests {
    @Test func claimTakesEachLeadOrRefusesItWithTheReason() throws {
        let box = try workflowSandbox()
        let first = box.leadpool("--as", "alice", "claim", "1", "2")
        #expect(first.status == 0)
        #expect(first.stdout == "claimed  1  Company 1  score 0\nclaimed  2  Company 2  score 0\n", "what was claimed: company and score")
        let race = box.leadpool("--as", "bob", "--json", "claim", "2", "3", "99")
        #expect(race.status == 1, "exit 0 only if all were claimed")
        let outcomes = race.json as? [[String: Any]]
        #expect(outcomes?.map { $0["result"] as? String } == ["refused", "claimed", "not_found"])
        #expect(outcomes?.first?["refusal"] as? String == "already owned by alice")
        #expect(box.leadpool("--as", "bob", "claim", "404").status == 66)
    }

    @Test func claimRespectsCapacityAndTheDailyLimit() throws {
        let box = try workflowSandbox()
        let now = ["--now", "2026-11-02T10:00:00Z"]
        #expect(box.leadpool(now + ["--as", "alice", "claim", "1", "2", "3"]).status == 0)
        let full = box.leadpool(now + ["--as", "alice", "claim", "4"])
        #expect(full.status == 1)
        #expect(full.stdout.contains("capacity: you hold 3 of 3"))
        // Converting frees capacity, but the day's claims still count.
        #expect(box.leadpool(now + ["--as", "alice", "convert", "1", "2"]).status == 0)
        #expect(box.leadpool(now + ["--as", "alice", "claim", "4"]).status == 0)
        let limit = box.leadpool(now + ["--as", "alice", "claim", "5"])
        #expect(limit.status == 1)
        #expect(limit.stdout.contains("daily limit: you claimed 4 of 4 today"))
        // A new UTC day resets the daily count.
        #expect(box.leadpool(["--now", "2026-11-03T00:00:01Z", "--as", "alice", "claim", "5"]).status == 0)
    }

    @Test func claimNextTakesTheBestLeadsMatchingFilters() throws {
        let box = try workflowSandbox()
        box.leadpool("lead", "tag", "7", "hot")
        box.leadpool("lead", "tag", "9", "hot")
        let run = box.leadpool("--as", "bob", "--json", "claim", "--next", "-n", "5", "--tag", "hot")
        #expect(run.status == 0, "\(run)")
        #expect((run.json as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [7, 9])
        #expect(run.stderr.contains("claimed 2 of 5"))
        #expect(box.leadpool("--as", "bob", "claim", "--next", "--tag", "hot").status == 1, "nothing left to claim")
        let capped = box.leadpool("--as", "alice", "--json", "claim", "--next", "-n", "9")
        #expect((capped.json as? [Any])?.count == 3, "no more than capacity")
        #expect(box.leadpool("--as", "alice", "claim", "--next").status == 1)
        #expect(box.leadpool("--as", "alice", "claim", "1", "--next").status == 64)
    }

    @Test func releaseNeedsAReasonAndOnlyOwnLeads() throws {
        let box = try workflowSandbox()
        box.leadpool("--as", "alice", "claim", "1")
        #expect(box.leadpool("--as", "alice", "release", "1").status == 64)
        let notYours = box.leadpool("--as", "bob", "release", "1", "--reason", "mine now")
        #expect(notYours.status == 1)
        #expect(notYours.stdout.contains("not yours: alice owns it"))
        #expect(box.leadpool("--as", "alice", "release", "1", "--reason", "too small").status == 0)
        let history = box.leadpool("--json", "history", "1").json as? [[String: Any]]
        let release = history?.last
        #expect(release?["kind"] as? String == "released")
        #expect(release?["from_owner"] as? String == "alice")
        #expect(release?["to_owner"] is NSNull)
        #expect(release?["reason"] as? String == "too small")
        #expect(box.leadpool("--json", "lead", "show", "1").json.flatMap { ($0 as? [String: Any])?["owner"] } is NSNull)
    }

    @Test func touchQualifyConvertDisqualifyWriteTheirEvents() throws {
        let box = try workflowSandbox()
        box.leadpool("--now", "2026-11-02T09:00:00Z", "--as", "bob", "claim", "1", "2")
        #expect(box.leadpool("--now", "2026-11-05T09:00:00Z", "--as", "bob", "touch", "1", "--kind", "call", "--note", "voicemail").status == 0)
        let lead = box.leadpool("--now", "2026-11-07T09:00:00Z", "--json", "lead", "show", "1").json as? [String: Any]
        #expect(lead?["last_activity_at"] as? String == "2026-11-05T09:00:00Z")
        #expect(lead?["idle_days"] as? Int == 2)
        #expect(box.leadpool("--as", "bob", "qualify", "1").status == 0)
        #expect(box.leadpool("--as", "bob", "qualify", "1").status == 1, "already qualified")
        #expect(box.leadpool("--as", "bob", "convert", "1").status == 0)
        #expect(box.leadpool("--as", "bob", "disqualify", "2", "--reason", "no budget").status == 0)
        #expect(box.leadpool("--as", "bob", "touch", "2").status == 1, "closed leads take no activity")
        let kinds = (box.leadpool("--json", "history", "1").json as? [[String: Any]])?.compactMap { $0["kind"] as? String }
        #expect(kinds == ["imported", "claimed", "touched", "qualified", "converted"])
        #expect(box.leadpool("check").status == 0)
    }

    @Test func poolHidesContactsFromRepsUntilTheyOwnTheLead() throws {
        let box = try workflowSandbox()
        let pool = box.leadpool("--as", "bob", "--json", "pool", "--limit", "3").json as? [[String: Any]]
        #expect(pool?.count == 3)
        #expect(pool?.allSatisfy { $0["email"] == nil && ($0["hidden"] as? [String])?.contains("email") == true } == true)
        box.leadpool("--as", "bob", "claim", "1")
        let mine = box.leadpool("--as", "bob", "--json", "lead", "show", "1").json as? [String: Any]
        #expect(mine?["email"] as? String == "c1@company1.com")
        let admin = box.leadpool("--json", "pool", "--limit", "1").json as? [[String: Any]]
        #expect(admin?.first?["email"] as? String != nil, "admins see contacts")
        #expect(!box.leadpool("--as", "bob", "pool").stdout.contains("c2@company2.com"))
    }
}

@Suite(.bothBackends) struct ContactPrivacyTests {
    @Test func repsMayNotFilterOnHiddenContactFields() throws {
        let box = try workflowSandbox()
        let probe = box.leadpool("--as", "bob", "pool", "--where", "email matches \"c1@*\"")
        #expect(probe.status == 77)
        #expect(probe.stderr.contains("contact details are hidden"))
        #expect(box.leadpool("--as", "bob", "lead", "list", "--where", "first_name is not null").status == 77)
        #expect(box.leadpool("--as", "bob", "pool", "--where", "country = \"DE\"").status == 0)
        #expect(box.leadpool("pool", "--where", "email matches \"c1@*\"").status == 0, "admins may")
    }
}

import Foundation
import Testing

/// A team in three zones on a real database: li in Shanghai (the ruleset's zone, no daylight
/// saving), anna in Berlin and joe in New York (their own zones, across their autumn switches).
/// Daily limits count from each rep's local midnight, away dates are their local dates, people
/// read times in their own zone.
@Suite(.bothBackends) struct TimeZoneTests {
    static let rules = """
        timezone: Asia/Shanghai
        working-hours: { days: mon-fri, from: "09:00", to: "18:00" }
        defaults: { capacity: 50, daily-limit: 2 }
        reclaim: { no-activity-days: 14, warn-days: 3 }
        rules:
          - { name: li-only, when: 'true', to: [li] }
        """

    /// Three reps, 40 pool leads imported on 2026-10-01.
    func team() throws -> Sandbox {
        let box = Sandbox()
        box.initialized()
        try Self.rules.write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        let csv = "company,country\n" + (1...40).map { "Co\($0),DE\n" }.joined()
        try csv.write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        for arguments in [
            ["--now", "2026-10-01T00:00:00Z", "rules", "apply", "rules.yaml"],
            ["rep", "add", "li", "--name", "Li Wei"],
            ["rep", "add", "anna", "--name", "Anna Berg", "--timezone", "Europe/Berlin"],
            ["rep", "add", "joe", "--name", "Joe Hart", "--timezone", "America/New_York", "--working-hours", "mon-fri 08:00-16:00"],
            ["--now", "2026-10-01T00:00:00Z", "import", "leads.csv"],
        ] {
            let run = box.leadpool(arguments)
            precondition(run.status == 0, "\(arguments): \(run)")
        }
        return box
    }

    /// Claims one lead as `rep` at `now`; the exit status.
    func claim(_ box: Sandbox, _ rep: String, _ lead: Int, at now: String) -> Int32 {
        box.leadpool("--now", now, "--as", rep, "claim", String(lead)).status
    }

    @Test func theDailyLimitCountsFromEachRepsLocalMidnight() throws {
        let box = try team()
        // li, Shanghai (UTC+8, no DST): 2026-11-30 starts at 2026-11-29T16:00Z.
        #expect(claim(box, "li", 1, at: "2026-11-29T15:58:00Z") == 0)
        #expect(claim(box, "li", 2, at: "2026-11-29T15:59:00Z") == 0)
        #expect(claim(box, "li", 3, at: "2026-11-29T15:59:59Z") == 1, "23:59:59 local: still the 29th, 2 of 2")
        #expect(claim(box, "li", 3, at: "2026-11-29T16:00:00Z") == 0, "00:00 local: a new day though the UTC date is the same")
        #expect(claim(box, "li", 4, at: "2026-11-30T09:00:00Z") == 0)
        let refused = box.leadpool("--now", "2026-11-30T15:59:59Z", "--as", "li", "claim", "5")
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("daily limit: you claimed 2 of 2 today"), "\(refused)")

        // anna, Berlin: 2026-10-25 runs from 22:00Z the day before to 23:00Z (25 hours).
        #expect(claim(box, "anna", 10, at: "2026-10-24T22:00:00Z") == 0, "00:00 CEST")
        #expect(claim(box, "anna", 11, at: "2026-10-25T00:30:00Z") == 0, "02:30 CEST")
        #expect(claim(box, "anna", 12, at: "2026-10-25T01:30:00Z") == 1, "02:30 CET, the same day")
        #expect(claim(box, "anna", 12, at: "2026-10-25T22:59:59Z") == 1, "23:59:59 CET, 25 hours after midnight")
        #expect(claim(box, "anna", 12, at: "2026-10-25T23:00:00Z") == 0, "00:00 CET on the 26th")

        // joe, New York: 2026-11-01 runs from 04:00Z to 05:00Z the next day (25 hours).
        #expect(claim(box, "joe", 20, at: "2026-11-01T04:00:00Z") == 0, "00:00 EDT")
        #expect(claim(box, "joe", 21, at: "2026-11-01T05:30:00Z") == 0, "01:30 EDT")
        #expect(claim(box, "joe", 22, at: "2026-11-01T06:30:00Z") == 1, "01:30 EST, the same day")
        #expect(claim(box, "joe", 22, at: "2026-11-02T04:59:59Z") == 1, "23:59:59 EST")
        #expect(claim(box, "joe", 22, at: "2026-11-02T05:00:00Z") == 0, "00:00 EST on the 2nd")

        // What each rep is told, and check agrees that no day went over its limit.
        let show = box.leadpool("--now", "2026-11-30T15:00:00Z", "rep", "show", "li").stdout
        #expect(show.contains("claimed today  2 (Asia/Shanghai day of 2026-11-30)"), "\(show)")
        #expect(show.contains("can claim      0 more (daily limit: you claimed 2 of 2 today)"), "\(show)")
        let mine = box.leadpool("--now", "2026-11-30T16:00:00Z", "--as", "li", "mine").stdout
        #expect(mine.contains("claimed 0 of 2 today, 2 more possible."), "a new local day: \(mine)")
        let joe = box.leadpool("--now", "2026-11-02T04:59:59Z", "--json", "rep", "show", "joe").json as? [String: Any]
        #expect(joe?["claimed_today"] as? Int == 2)
        #expect(joe?["effective_timezone"] as? String == "America/New_York")
        let report = box.leadpool("--now", "2026-11-29T16:30:00Z", "--json", "report", "reps").json as? [String: Any]
        let reps = ((report?["reps"] as? [String: Any])?["by_rep"] as? [[String: Any]]) ?? []
        // li's 2026-11-30 (Shanghai) holds the claims of 16:00Z and, later that day, of 09:00Z.
        #expect(reps.first { $0["handle"] as? String == "li" }?["claimed_today"] as? Int == 2, "\(reps)")
        #expect(reps.first { $0["handle"] as? String == "joe" }?["claimed_today"] as? Int == 0, "\(reps)")
        let check = box.leadpool("check")
        #expect(check.status == 0, "\(check)")
        #expect(check.stdout.contains("ok    nobody claimed more in a day than their daily limit"), "\(check)")
    }

    @Test func awayDatesAreTheRepsLocalDatesInclusive() throws {
        let box = try team()
        let set = box.leadpool("--now", "2026-12-01T00:00:00Z", "rep", "away", "li", "--from", "2026-12-10", "--until", "2026-12-20")
        #expect(set.status == 0)
        #expect(set.stdout.contains("'li' is away from 2026-12-10 through 2026-12-20 (Asia/Shanghai)."), "\(set)")
        let json = box.leadpool("--now", "2026-12-01T00:00:00Z", "--json", "rep", "show", "li").json as? [String: Any]
        #expect(json?["away_from"] as? String == "2026-12-10", "as typed")
        #expect(json?["away_until"] as? String == "2026-12-20")
        func state(_ now: String) -> String {
            box.leadpool("--now", now, "rep", "list").stdout.split(separator: "\n").first { $0.hasPrefix("li ") }.map(String.init) ?? ""
        }
        #expect(state("2026-12-09T15:59:59Z").hasSuffix("away from 2026-12-10"), "23:59:59 on the 9th, local")
        #expect(state("2026-12-09T16:00:00Z").hasSuffix("away through 2026-12-20"), "00:00 on the 10th, local")
        #expect(state("2026-12-20T15:59:59Z").hasSuffix("away through 2026-12-20"), "23:59:59 on the last day, local")
        #expect(state("2026-12-20T16:00:00Z").hasSuffix("active"), "00:00 on the 21st, local")
        // Rounds see the same edges: nothing for li at 23:59 on her last day, leads at 00:00.
        func planned(_ now: String) -> Int {
            let run = box.leadpool("--now", now, "--json", "assign", "--dry-run")
            return ((run.json as? [String: Any])?["assignments"] as? [Any])?.count ?? -1
        }
        #expect(planned("2026-12-20T15:59:00Z") == 0)
        #expect(planned("2026-12-20T16:00:00Z") > 0)

        // Berlin across its switch: away through 2026-10-25 ends at 23:00Z (midnight CET).
        box.leadpool("--now", "2026-10-01T00:00:00Z", "rep", "away", "anna", "--from", "2026-10-24", "--until", "2026-10-25")
        let anna = { (now: String) in
            box.leadpool("--now", now, "rep", "list").stdout.split(separator: "\n").first { $0.hasPrefix("anna ") }.map(String.init) ?? ""
        }
        #expect(anna("2026-10-23T21:59:59Z").hasSuffix("away from 2026-10-24"))
        #expect(anna("2026-10-23T22:00:00Z").hasSuffix("away through 2026-10-25"), "00:00 CEST on the 24th")
        #expect(anna("2026-10-25T22:59:59Z").hasSuffix("away through 2026-10-25"))
        #expect(anna("2026-10-25T23:00:00Z").hasSuffix("active"), "00:00 CET on the 26th")
        // A time with an offset stays that instant; one without is local to the rep.
        box.leadpool("--now", "2026-10-01T00:00:00Z", "rep", "away", "joe", "--from", "2026-11-01T09:00", "--until", "2026-11-01T17:00:00Z")
        let joe = box.leadpool("--now", "2026-10-01T00:00:00Z", "--json", "rep", "show", "joe").json as? [String: Any]
        #expect(joe?["away_from"] as? String == "2026-11-01T14:00:00Z", "09:00 EST")
        #expect(joe?["away_until"] as? String == "2026-11-01T17:00:00Z")
    }

    @Test func leadsOfARepOnLeaveAreNotReclaimedWhileSheIsAway() throws {
        let box = try team()
        box.leadpool("--now", "2026-12-01T00:00:00Z", "rep", "away", "li", "--from", "2026-12-01", "--until", "2026-12-20")
        let transfer = box.leadpool("--now", "2026-12-01T00:00:00Z", "transfer", "1", "2", "--to", "li")
        #expect(transfer.status == 0)
        #expect(transfer.stderr.contains("note: li is away through 2026-12-20 (Asia/Shanghai), back on 2026-12-21"), "\(transfer)")
        let jsonTransfer = box.leadpool("--now", "2026-12-01T00:00:00Z", "--json", "transfer", "3", "--to", "li")
        #expect(jsonTransfer.json != nil, "the note stays off stdout")
        #expect(jsonTransfer.stderr.contains("li is away"))
        // 19 days later she is still away: 14 idle days have not passed for her.
        let during = box.leadpool("--now", "2026-12-20T00:00:00Z", "reclaim", "--dry-run")
        #expect(during.stdout.contains("0 would be reclaimed"), "\(during)")
        // Back at 00:00 local on the 21st (16:00Z on the 20th); due 14 days later, at 00:00 on 2027-01-04 local.
        let mine = box.leadpool("--now", "2026-12-25T00:00:00Z", "--as", "li", "--json", "mine").json as? [[String: Any]]
        #expect(mine?.first?["reclaim_at"] as? String == "2027-01-03T16:00:00Z", "\(String(describing: mine))")
        #expect(box.leadpool("--now", "2027-01-03T15:59:59Z", "reclaim", "--dry-run").stdout.contains("0 would be reclaimed"))
        let warn = box.leadpool("--now", "2027-01-02T00:00:00Z", "reclaim", "--warn")
        #expect(warn.stdout.contains("2027-01-04T00:00:00+08:00"), "\(warn)")
        let due = box.leadpool("--now", "2027-01-03T16:00:00Z", "reclaim")
        #expect(due.stdout.contains("3 reclaimed"), "\(due)")
        let history = box.leadpool("--now", "2027-01-03T16:00:00Z", "history", "1").stdout
        #expect(history.contains("no activity for 14 days not counting 19 days away (limit 14)"), "\(history)")
        #expect(box.leadpool("check").status == 0)
        // Back at work: no note.
        #expect(!box.leadpool("--now", "2027-01-04T00:00:00Z", "transfer", "4", "--to", "li").stderr.contains("away"))
    }

    @Test func repShowGivesTheEffectiveZoneAndHours() throws {
        let box = try team()
        let now = "2026-11-30T01:15:00Z"  // Monday 09:15 in Shanghai, Sunday 20:15 in New York
        let li = box.leadpool("--now", now, "rep", "show", "li").stdout
        #expect(li.contains("time zone      Asia/Shanghai (+08:00) (the ruleset's)"), "\(li)")
        #expect(li.contains("working hours  mon-fri 09:00-18:00 (the ruleset's), working now"), "\(li)")
        let joe = box.leadpool("--now", now, "rep", "show", "joe").stdout
        #expect(joe.contains("time zone      America/New_York (-05:00)\n"), "\(joe)")
        #expect(joe.contains("working hours  mon-fri 08:00-16:00, outside them now"), "\(joe)")
        let json = box.leadpool("--now", now, "--json", "rep", "show", "joe").json as? [String: Any]
        #expect(json?["timezone"] as? String == "America/New_York")
        #expect(json?["working_hours"] as? String == "mon-fri 08:00-16:00")
        #expect(json?["effective_working_hours"] as? String == "mon-fri 08:00-16:00")
        #expect(json?["working_now"] as? Bool == false)
        // 'default' puts joe back on the ruleset's zone and hours.
        #expect(box.leadpool("rep", "update", "joe", "--timezone", "default", "--working-hours", "default").status == 0)
        let back = box.leadpool("--now", now, "--json", "rep", "show", "joe").json as? [String: Any]
        #expect(back?["timezone"] is NSNull)
        #expect(back?["effective_timezone"] as? String == "Asia/Shanghai")
        #expect(back?["effective_working_hours"] as? String == "mon-fri 09:00-18:00")
        #expect(box.leadpool("rep", "update", "joe", "--timezone", "").status == 0, "'' clears too")
        // Bad values are usage errors that say what is wrong.
        let zone = box.leadpool("rep", "update", "joe", "--timezone", "America/New_Yrok")
        #expect(zone.status == 64)
        #expect(zone.stderr.contains("unknown time zone 'America/New_Yrok'; did you mean 'America/New_York'?"), "\(zone)")
        let hours = box.leadpool("rep", "update", "joe", "--working-hours", "mon-fri 17:00-09:00")
        #expect(hours.status == 64)
        #expect(hours.stderr.contains("working hours end at 09:00, not after they start at 17:00"), "\(hours)")
        #expect(box.leadpool("rep", "add", "zed", "--name", "Zed", "--working-hours", "mon-frx 09:00-17:00").status == 64)
    }

    @Test func aBadZoneInTheRulesFileIsBadInputWithWhere() throws {
        let box = Sandbox()
        box.initialized()
        try "timezone: Asia/Shangai\nworking-hours: { days: [mon, tue, sunday, fun], from: \"09:00\", to: \"18:00\" }\n"
            .write(toFile: box.path("bad.yaml"), atomically: true, encoding: .utf8)
        let run = box.leadpool("rules", "check", "bad.yaml")
        #expect(run.status == 65)
        #expect(run.stderr.contains("bad.yaml:1:11: timezone: unknown time zone 'Asia/Shangai'"), "\(run)")
        #expect(run.stderr.contains("did you mean 'Asia/Shanghai'?"), "\(run)")
        #expect(run.stderr.contains("bad.yaml:2:43: working-hours: unknown day 'fun'"), "\(run)")
    }

    @Test func peopleReadTimesInTheirOwnZoneAndJSONStaysUTC() throws {
        let box = try team()
        #expect(claim(box, "li", 1, at: "2026-11-30T01:15:00Z") == 0)
        let li = box.leadpool("--as", "li", "history", "1").stdout
        #expect(li.contains("2026-11-30T09:15:00+08:00  claimed"), "\(li)")
        let joe = box.leadpool("--as", "joe", "history", "1").stdout
        #expect(joe.contains("2026-11-29T20:15:00-05:00  claimed"), "\(joe)")
        // An admin without a zone of their own reads the ruleset's.
        let admin = box.leadpool("history", "1").stdout
        #expect(admin.contains("2026-10-01T08:00:00+08:00  imported"), "\(admin)")
        let json = box.leadpool("--as", "li", "--json", "history", "1").json as? [[String: Any]]
        #expect(json?.last?["at"] as? String == "2026-11-30T01:15:00Z")
        let lead = box.leadpool("--as", "li", "lead", "show", "1").stdout
        #expect(lead.contains("2026-11-30T09:15:00+08:00"), "\(lead)")
    }
}

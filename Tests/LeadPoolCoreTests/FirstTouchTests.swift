import Foundation
import LeadPoolCore
import Testing

/// First-touch deadlines count in the owner's working hours: across nights, weekends and
/// daylight-saving switches, on the owner's own wall clock.
@Suite struct FirstTouchTests {
    static func at(_ text: String) -> Date { Timestamp.parse(text)! }
    static let berlin = TeamClock(named: "Europe/Berlin")!
    static let shanghai = TeamClock(named: "Asia/Shanghai")!
    static let office = WorkingHours.office

    static func policy(_ within: String, warn: String = "0m", then: FirstTouchAction = .reassign) -> Ruleset.FirstTouchPolicy {
        Ruleset.FirstTouchPolicy(within: WorkingSpan(within)!, warnBefore: WorkingSpan(warn)!, then: then)
    }

    @Test func anEscalationsDeadlineReadsInTheReadersZone() throws {
        let event = LeadEvent(
            leadID: 1,
            at: Date(timeIntervalSince1970: 0),
            actor: "system",
            kind: .escalated,
            detail: #"{"deadline":"2026-11-30T12:00:00Z","run_by":"root"}"#
        )
        let berlin = try #require(TeamClock(named: "Europe/Berlin"))
        #expect(event.detailWords(clock: berlin) == "deadline 2026-11-30T13:00:00+01:00")
        #expect(event.detailWords(clock: .utc) == "deadline 2026-11-30T12:00:00Z")
    }

    @Test func spansReadHoursAndMinutes() {
        #expect(WorkingSpan("4h")?.seconds == 14_400)
        #expect(WorkingSpan("30m")?.seconds == 1_800)
        #expect(WorkingSpan("1h30m")?.seconds == 5_400)
        #expect(WorkingSpan("1h30m")?.description == "1h30m")
        #expect(WorkingSpan("90m")?.description == "1h30m")
        for bad in ["", "4", "h", "4x", "30m1h", "1.5h", "-1h", "4 h 3", "4hh"] { #expect(WorkingSpan(bad) == nil, "\(bad)") }
    }

    @Test func aDeadlineWithinTheDayIsPlainTime() {
        // Monday 09:00 Berlin (08:00Z in winter) + 4h = 13:00 Berlin.
        let given = Self.at("2026-11-30T08:00:00Z")
        #expect(Self.policy("4h").deadline(givenAt: given, hours: Self.office, clock: Self.berlin) == Self.at("2026-11-30T12:00:00Z"))
    }

    @Test func aDeadlineSkipsTheNightAndTheWeekend() {
        // Friday 16:00 Berlin: two hours left that day, the other two on Monday from 09:00.
        let given = Self.at("2026-11-27T15:00:00Z")
        let deadline = Self.policy("4h").deadline(givenAt: given, hours: Self.office, clock: Self.berlin)
        #expect(deadline == Self.at("2026-11-30T10:00:00Z"), "Monday 11:00 Berlin")
        #expect(Self.office.seconds(from: given, to: deadline, on: Self.berlin) == 14_400)
        // Given on Saturday: the count starts Monday 09:00.
        let saturday = Self.at("2026-11-28T10:00:00Z")
        #expect(Self.policy("30m").deadline(givenAt: saturday, hours: Self.office, clock: Self.berlin) == Self.at("2026-11-30T08:30:00Z"))
        // After hours on Thursday: Friday morning.
        let evening = Self.at("2026-11-26T20:00:00Z")
        #expect(Self.policy("1h").deadline(givenAt: evening, hours: Self.office, clock: Self.berlin) == Self.at("2026-11-27T09:00:00Z"))
    }

    @Test func aDeadlineAcrossADaylightSavingSwitchKeepsTheWallClockHours() {
        // Friday 2026-10-23 17:00 CEST (15:00Z); the clocks go back on Sunday the 25th. One hour
        // left on Friday, three more on Monday from 09:00 CET (08:00Z): 12:00 CET = 11:00Z.
        let given = Self.at("2026-10-23T15:00:00Z")
        #expect(Self.policy("4h").deadline(givenAt: given, hours: Self.office, clock: Self.berlin) == Self.at("2026-10-26T11:00:00Z"))
    }

    @Test func eachOwnerCountsInTheirOwnZone() {
        // The same instant, Monday 01:00Z, is 09:00 in Shanghai and 02:00 in Berlin.
        let given = Self.at("2026-11-30T01:00:00Z")
        #expect(Self.policy("4h").deadline(givenAt: given, hours: Self.office, clock: Self.shanghai) == Self.at("2026-11-30T05:00:00Z"))
        #expect(Self.policy("4h").deadline(givenAt: given, hours: Self.office, clock: Self.berlin) == Self.at("2026-11-30T12:00:00Z"))
        #expect(Self.policy("4h").deadline(givenAt: given, hours: .always, clock: Self.berlin) == Self.at("2026-11-30T05:00:00Z"))
    }

    @Test func statusIsWaitingThenCloseThenMissedUnlessTouched() {
        let policy = Self.policy("4h", warn: "1h")
        let given = Self.at("2026-11-30T08:00:00Z")  // Monday 09:00 Berlin
        func status(_ now: String, touched: String? = nil) -> FirstTouchStatus {
            policy.status(givenAt: given, touchedAt: touched.map(Self.at), now: Self.at(now), hours: Self.office, clock: Self.berlin)
        }
        let deadline = Self.at("2026-11-30T12:00:00Z")
        #expect(status("2026-11-30T10:00:00Z") == .waiting(deadline: deadline))
        #expect(status("2026-11-30T11:00:00Z") == .close(deadline: deadline), "12:00 Berlin: one working hour left")
        #expect(status("2026-11-30T12:00:00Z") == .missed(deadline: deadline), "13:00 Berlin")
        #expect(status("2026-11-30T12:00:00Z", touched: "2026-11-30T09:30:00Z") == .touched(workingSeconds: 5_400, inTime: true))
        #expect(status("2026-12-01T12:00:00Z", touched: "2026-12-01T08:30:00Z") == .touched(workingSeconds: 9 * 3_600 + 1_800, inTime: false))
        #expect(policy.missedReason == "no first touch within 4h (working hours)")
    }

    @Test func workingTimeBetweenInstantsLeavesOutNightsAndWeekends() {
        // Friday 17:00 Berlin to Monday 10:00 Berlin: one hour on Friday, one on Monday.
        #expect(Self.office.seconds(from: Self.at("2026-11-27T16:00:00Z"), to: Self.at("2026-11-30T09:00:00Z"), on: Self.berlin) == 7_200)
        #expect(Self.office.seconds(from: Self.at("2026-11-28T16:00:00Z"), to: Self.at("2026-11-29T09:00:00Z"), on: Self.berlin) == 0)
    }

    @Test func theRulesFileReadsFirstTouchAndNotify() throws {
        let yaml = """
            first-touch:
              within: 4h
              warn-before: 1h
              when: 'tier in ("A", "B")'
              then: pool
            notify: { from: leadpool@sales.example, sendmail: /usr/sbin/sendmail }
            """
        let ruleset = try Ruleset.parse(yaml, fileName: "rules.yaml")
        #expect(ruleset.firstTouch?.within == WorkingSpan("4h"))
        #expect(ruleset.firstTouch?.warnBefore == WorkingSpan("1h"))
        #expect(ruleset.firstTouch?.then == .pool)
        #expect(ruleset.firstTouch?.whenText == "tier in (\"A\", \"B\")")
        #expect(ruleset.notify == Ruleset.NotifySettings(from: "leadpool@sales.example", sendmail: "/usr/sbin/sendmail"))
        #expect(try Ruleset.parse("{}", fileName: "r.yaml").firstTouch == nil)
        #expect(try Ruleset.parse("{}", fileName: "r.yaml").notify.sendmail == "/usr/sbin/sendmail")
    }

    @Test func badFirstTouchAndNotifyEntriesSayWhere() {
        let yaml = """
            first-touch:
              within: 4 hours
              warn-before: 1h
              then: reasign
              when: 'tier in ("A"'
            notify:
              from: not an address
              sendmail: sendmail
            """
        let errors = Ruleset.check(yaml, fileName: "r.yaml").errors
        let lines = errors.map { "\($0.location.line):\($0.location.column) \($0.message)" }
        #expect(lines.contains { $0.hasPrefix("2:11 first-touch: within '4 hours' is not a span of working time") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("4:9 first-touch: unknown action 'reasign'") }, "\(lines)")
        #expect(errors.contains { $0.location.line == 5 }, "the condition's error: \(lines)")
        #expect(lines.contains { $0.hasPrefix("7:9 notify: from 'not an address' is not a mail address") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("8:13 notify: sendmail 'sendmail' is not an absolute path") }, "\(lines)")
        #expect(errors.first { $0.message.contains("reasign") }?.hint == "did you mean 'reassign'?")
        let missing = Ruleset.check("first-touch: { warn-before: 1h }", fileName: "r.yaml").errors
        #expect(missing.map(\.message) == ["first-touch needs 'within'"])
        let backwards = Ruleset.check("first-touch: { within: 1h, warn-before: 2h }", fileName: "r.yaml").errors
        #expect(backwards.map(\.message) == ["first-touch: warn-before 2h is not shorter than within 1h"])
    }

    @Test func reassignPicksTheRulesNextCandidateButNeverTheRepWhoMissed() throws {
        var ruleset = try Ruleset.parse(
            """
            rules: [{ name: sdr, when: 'true', to: team:sdr, strategy: round-robin }]
            first-touch: { within: 4h }
            """,
            fileName: "r.yaml"
        )
        let reps = ["ann", "bob", "cy"].map { Rep(handle: $0, name: $0, team: "sdr", createdAt: Self.at("2026-11-01T00:00:00Z")) }
        var lead = Lead(id: 7, company: "Acme", createdAt: Self.at("2026-11-30T08:00:00Z"))
        lead.owner = "ann"
        var state = StrategyState(lastAssigned: ["sdr": "ann"])
        let now = Self.at("2026-11-30T12:00:00Z")
        let first = ruleset.escalation(of: lead, missedBy: "ann", routedBy: "sdr", reps: reps, held: [:], state: &state, at: now)
        #expect(first.newOwner == "bob")
        #expect(state.lastAssigned["sdr"] == "bob", "the rule's position moves on as in a round")
        var state2 = StrategyState(lastAssigned: ["sdr": "cy"])
        let wrapped = ruleset.escalation(of: lead, missedBy: "ann", routedBy: "sdr", reps: reps, held: [:], state: &state2, at: now)
        #expect(wrapped.newOwner == "bob", "after cy comes ann, who missed it: bob")
        // Nobody else can take it: back to the pool, saying why.
        let alone = [Rep(handle: "ann", name: "ann", team: "sdr", createdAt: Self.at("2026-11-01T00:00:00Z"))]
        let none = ruleset.escalation(of: lead, missedBy: "ann", routedBy: "sdr", reps: alone, held: [:], state: &state, at: now)
        #expect(none == .pool(because: "rule sdr has no other candidate"))
        #expect(none.reason(ruleset.firstTouch!) == "no first touch within 4h (working hours); back to the pool: rule sdr has no other candidate")
        // A lead transferred by hand has no rule of its own: the first rule whose `when` holds now.
        var state3 = StrategyState()
        #expect(ruleset.escalation(of: lead, missedBy: "ann", routedBy: nil, reps: reps, held: [:], state: &state3, at: now).newOwner == "bob")
        #expect(ruleset.escalation(of: lead, missedBy: "ann", routedBy: "gone", reps: reps, held: [:], state: &state3, at: now).newOwner == "cy")
        // A full rep is no candidate, as in a round.
        var state4 = StrategyState(lastAssigned: ["sdr": "ann"])
        let full = ruleset.escalation(of: lead, missedBy: "ann", routedBy: "sdr", reps: reps, held: ["bob": 50], state: &state4, at: now)
        #expect(full.newOwner == "cy")
        ruleset.firstTouch?.then = .keep
        #expect(ruleset.escalation(of: lead, missedBy: "ann", routedBy: "sdr", reps: reps, held: [:], state: &state, at: now) == .keep)
    }
}

/// `report sla`'s figures from receipts, in each rep's own working hours.
@Suite struct SLAReportTests {
    static func at(_ text: String) -> Date { Timestamp.parse(text)! }

    @Test func figuresCountInTheRepsWorkingHoursAcrossTheWeekend() throws {
        let ruleset = try Ruleset.parse(
            """
            timezone: Europe/Berlin
            working-hours: { days: mon-fri, from: "09:00", to: "18:00" }
            first-touch: { within: 4h }
            """,
            fileName: "r.yaml"
        )
        let reps = ["ann", "bob"].map { Rep(handle: $0, name: $0, createdAt: Self.at("2026-11-01T00:00:00Z")) }
        let receipts = [
            // Friday 17:00 Berlin, touched Monday 10:00: two working hours, in time.
            FirstTouchReceipt(rep: "ann", givenAt: Self.at("2026-11-27T16:00:00Z"), firstTouchAt: Self.at("2026-11-30T09:00:00Z")),
            // Monday 09:00, touched 15:00: six working hours, late.
            FirstTouchReceipt(rep: "ann", givenAt: Self.at("2026-11-30T08:00:00Z"), firstTouchAt: Self.at("2026-11-30T14:00:00Z")),
            // Monday 09:00, never touched: missed by 13:00.
            FirstTouchReceipt(rep: "bob", givenAt: Self.at("2026-11-30T08:00:00Z"), firstTouchAt: nil),
            // Monday 16:00: still waiting at 17:00.
            FirstTouchReceipt(rep: "bob", givenAt: Self.at("2026-11-30T15:00:00Z"), firstTouchAt: nil),
            // The deadline does not apply to this one.
            FirstTouchReceipt(rep: "bob", givenAt: Self.at("2026-11-30T08:00:00Z"), firstTouchAt: nil, applies: false),
        ]
        let report = SLAReport.compute(receipts: receipts, escalated: ["bob": 1], reps: reps, ruleset: ruleset, now: Self.at("2026-11-30T16:00:00Z"))
        #expect(report.within == WorkingSpan("4h"))
        #expect(
            report.reps == [
                SLAReport.Row(handle: "ann", received: 2, inTime: 1, missed: 1, touched: 2, medianHours: 4, escalated: 0),
                SLAReport.Row(handle: "bob", received: 2, inTime: 0, missed: 1, touched: 0, medianHours: nil, escalated: 1),
            ]
        )
        #expect(report.reps[0].inTimeShare == 0.5)
    }
}

/// The digest as a message: RFC 5322 headers, non-ASCII words encoded, the rep's zone.
@Suite struct DigestMailTests {
    static func at(_ text: String) -> Date { Timestamp.parse(text)! }

    @Test func headersAreEncodedAndTheDateIsTheRepsOwn() {
        let rep = Rep(handle: "li", name: "李雷", email: "li@example.com", createdAt: Self.at("2026-11-01T00:00:00Z"))
        let items = [
            DigestItem(kind: .given, key: "given:7", leadID: 3, company: "Café Zürich", at: Self.at("2026-11-30T01:00:00Z"), detail: "assigned"),
            DigestItem(
                kind: .firstTouchClose,
                key: "first-touch-close:3:1",
                leadID: 3,
                company: "Café Zürich",
                at: Self.at("2026-11-30T05:00:00Z"),
                detail: "touch it"
            ),
        ]
        let mail = DigestMail(
            rep: rep,
            items: items,
            from: "leadpool@example.com",
            clock: TeamClock(named: "Asia/Shanghai")!,
            now: Self.at("2026-11-30T02:00:00Z"),
            host: "example.com"
        )
        let text = mail.text
        #expect(text.hasPrefix("From: leadpool@example.com\nTo: =?UTF-8?B?5p2O6Zu3?= <li@example.com>\n"))
        #expect(text.contains("\nSubject: leadpool: 1 new lead, 1 first touch due soon\n"))
        #expect(text.contains("\nDate: Mon, 30 Nov 2026 10:00:00 +0800\n"))
        #expect(text.contains("\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n"))
        #expect(mail.messageID.hasPrefix("<leadpool.") && mail.messageID.hasSuffix("@example.com>"))
        #expect(text.contains("\n\nHello 李雷,\n"), "one blank line ends the headers")
        #expect(text.contains("#3 Café Zürich — due 2026-11-30T13:00:00+08:00"))
        #expect(DigestMail.date(Self.at("2026-07-01T12:00:05Z"), on: TeamClock(named: "America/New_York")!) == "Wed, 1 Jul 2026 08:00:05 -0400")
    }

    @Test func displayNamesAreQuotedOrEncodedAsNeeded() {
        #expect(DigestMail.encodedPhrase("Ann Smith") == "Ann Smith")
        #expect(DigestMail.encodedPhrase("Smith, Ann") == "\"Smith, Ann\"")
        #expect(DigestMail.encodedPhrase("Ann \"A\" Smith") == "\"Ann \\\"A\\\" Smith\"")
        #expect(DigestMail.encodedPhrase("Zoë") == "=?UTF-8?B?Wm/Dqw==?=")
        let long = DigestMail.encodedText(String(repeating: "é", count: 60))
        #expect(long.components(separatedBy: "\n ").count == 3, "folded into words of at most 75 characters: \(long)")
        #expect(long.components(separatedBy: "\n ").allSatisfy { $0.count <= 75 })
    }
}

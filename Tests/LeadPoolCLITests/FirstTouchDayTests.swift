import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Speed to lead over one working day, driven by `--now`: leads assigned at 09:00, warned of
/// at 12:00, escalated at 13:00 in the owners' working hours (Europe/Berlin, Mon–Fri
/// 09:00–18:00), a lead given on Friday afternoon whose deadline runs over the weekend, and
/// the digests the reps get in their real mailboxes through this host's mail system.
@Suite(.serialized, .bothBackends) struct FirstTouchDayTests {
    static let rules = """
        timezone: Europe/Berlin
        working-hours: { days: mon-fri, from: "09:00", to: "18:00" }
        rules:
          - { name: dach, when: 'country = "DE"', to: team:sdr, strategy: round-robin }
          - { name: us, when: 'country = "US"', to: [lpftdora], strategy: round-robin }
        first-touch: { within: 4h, warn-before: 1h, then: reassign }
        reclaim: { cooldown-days: 7, warn-days: 3 }
        notify: { from: leadpool@localhost, sendmail: SENDMAIL }
        """

    func day(_ box: Sandbox, sendmail: String = "/usr/sbin/sendmail") throws {
        box.initialized()
        for (handle, team, email) in [
            ("lpftann", "sdr", true), ("lpftbob", "sdr", true), ("lpftcy", "sdr", false), ("lpftdora", "us", true),
        ] {
            var arguments = ["rep", "add", handle, "--name", handle == "lpftann" ? "Ann Müller" : handle, "--team", team]
            if email { arguments += ["--email", "\(handle)@localhost"] }
            #expect(box.leadpool(arguments).status == 0)
        }
        try Self.rules.replacingOccurrences(of: "SENDMAIL", with: sendmail)
            .write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("rules", "apply", box.path("rules.yaml")).status == 0)
    }

    @discardableResult func run(_ box: Sandbox, _ now: String, _ arguments: String...) -> Run {
        let run = box.leadpool(["--now", now] + arguments)
        #expect(run.status == 0, "\(arguments) at \(now): \(run)")
        return run
    }

    @Test func aDayOfFirstTouchesWarnsEscalatesOnceAndMailsTheReps() throws {
        guard OSAccount.available, OSAccount.mailSystem else {
            print(OSAccount.available ? "skipped: no /usr/sbin/sendmail (.ci/run installs exim4)" : OSAccount.skipReason)
            return
        }
        let ann = OSAccount.mailbox("lpftann")
        let bob = OSAccount.mailbox("lpftbob")
        let dora = OSAccount.mailbox("lpftdora")
        let box = Sandbox()
        try day(box)

        // Friday 16:00 Berlin: a US lead for dora. Two working hours left today, two on Monday.
        run(box, "2026-11-27T15:00:00Z", "lead", "add", "--company", "Weekend Inc", "--field", "country=US")
        run(box, "2026-11-27T15:00:00Z", "assign")
        let friday = run(box, "2026-11-27T15:05:00Z", "--json", "notify")
        #expect(((friday.json as? [String: Any])?["mails"] as? [[String: Any]])?.map { $0["handle"] as? String } == ["lpftdora"])
        let weekend = run(box, "2026-11-28T12:00:00Z", "--json", "reclaim", "--warn")
        #expect((weekend.json as? [[String: Any]])?.isEmpty == true, "on Saturday nothing is close: \(weekend.stdout)")

        // Monday 09:00 Berlin: two German leads, round-robin from the first handle.
        run(box, "2026-11-30T08:00:00Z", "lead", "add", "--company", "Acme Café GmbH", "--field", "country=DE")
        run(box, "2026-11-30T08:00:00Z", "lead", "add", "--company", "Touched AG", "--field", "country=DE")
        run(box, "2026-11-30T08:00:00Z", "assign")
        #expect(owner(box, 2) == "lpftann")
        #expect(owner(box, 3) == "lpftbob")
        run(box, "2026-11-30T08:05:00Z", "notify")
        // bob acts at 10:00: his lead is done with.
        run(box, "2026-11-30T09:00:00Z", "--as", "lpftbob", "touch", "3", "--kind", "call")

        // 10:00: dora's weekend lead is one working hour from its deadline (Monday 11:00).
        let ten = run(box, "2026-11-30T09:00:00Z", "--json", "reclaim", "--warn")
        #expect(firstTouch(ten) == ["lpftdora": [1: false]], "\(ten.stdout)")
        run(box, "2026-11-30T09:00:00Z", "notify")

        // 12:00: ann's lead is due at 13:00; dora's is past its deadline.
        let noon = run(box, "2026-11-30T11:00:00Z", "--json", "reclaim", "--warn")
        #expect(firstTouch(noon) == ["lpftann": [2: false], "lpftdora": [1: true]], "\(noon.stdout)")
        run(box, "2026-11-30T11:00:00Z", "notify")
        // ann sees it in `mine`, in her (the team's) zone.
        let mine = run(box, "2026-11-30T11:00:00Z", "--as", "lpftann", "mine")
        #expect(mine.stdout.contains("First touch: 2 Acme Café GmbH by 2026-11-30T13:00:00+01:00 (soon)"), "\(mine.stdout)")
        let mineJSON = run(box, "2026-11-30T11:00:00Z", "--as", "lpftann", "--json", "mine").json as? [[String: Any]]
        #expect(mineJSON?.first?["first_touch_by"] as? String == "2026-11-30T12:00:00Z")
        #expect(run(box, "2026-11-30T11:00:00Z", "--json", "reclaim").json.flatMap(escalations)?.map(\.id) == [1])

        // 13:00: ann missed hers; dry run first, then the run, then a second run does nothing.
        let dry = run(box, "2026-11-30T12:00:00Z", "--json", "reclaim", "--dry-run")
        #expect(dry.json.flatMap(escalations)?.map(\.to) == ["lpftcy"])
        #expect(owner(box, 2) == "lpftann", "a dry run writes nothing")
        let one = run(box, "2026-11-30T12:00:00Z", "--json", "reclaim")
        let escalated = try #require(one.json.flatMap(escalations))
        // The rule's candidates were ann (who missed it), bob (given the last lead) and cy: cy.
        #expect(escalated.map(\.id) == [2])
        #expect(escalated.map(\.to) == ["lpftcy"])
        #expect(escalated.first?.reason == "no first touch within 4h (working hours); rule dach gave it to lpftcy (round-robin: next after lpftbob)")
        #expect(owner(box, 2) == "lpftcy")
        #expect(owner(box, 1) == nil, "dora's rule has no one else: back to the pool")
        #expect(owner(box, 3) == "lpftbob", "touched in time: stays")
        #expect(run(box, "2026-11-30T12:00:00Z", "--json", "reclaim").json.flatMap(escalations)?.isEmpty == true, "once")

        // The events: one per escalation, with the reason in words.
        let history = run(box, "2026-11-30T12:00:00Z", "--json", "history", "2").json as? [[String: Any]] ?? []
        let last = try #require(history.last)
        #expect(last["kind"] as? String == "escalated")
        #expect(last["from_owner"] as? String == "lpftann")
        #expect(last["to_owner"] as? String == "lpftcy")
        #expect((last["reason"] as? String)?.hasPrefix("no first touch within 4h (working hours)") == true)
        #expect(history.filter { $0["kind"] as? String == "escalated" }.count == 1)
        let check = box.leadpool("check")
        #expect(check.status == 0, "\(check)")

        // 13:05: the digests of what is new: cy has no email and is named on stderr.
        let afternoon = run(box, "2026-11-30T12:05:00Z", "--json", "notify")
        #expect(afternoon.stderr.contains("lpftcy has no email"), "\(afternoon)")
        #expect((afternoon.json as? [String: Any])?["without_email"] as? [String] == ["lpftcy"])
        // Nothing new since: nothing mailed again.
        let again = run(box, "2026-11-30T12:10:00Z", "--json", "notify")
        #expect(((again.json as? [String: Any])?["mails"] as? [Any])?.count == 0, "\(again.stdout)")

        // The escalation moved the rule on as a round would: the next German lead goes to ann
        // again (after cy).
        run(box, "2026-11-30T12:30:00Z", "lead", "add", "--company", "Next GmbH", "--field", "country=DE")
        run(box, "2026-11-30T12:30:00Z", "assign")
        #expect(owner(box, 4) == "lpftann")

        // The report: per rep, in their working hours.
        let report = run(box, "2026-11-30T12:35:00Z", "--json", "report", "sla").json as? [String: Any]
        let sla = report?["sla"] as? [String: Any]
        #expect(sla?["within"] as? String == "4h")
        var rows: [String: [String: Any]] = [:]
        for row in sla?["by_rep"] as? [[String: Any]] ?? [] { rows[row["handle"] as! String] = row }
        func figures(_ handle: String) -> [Int?] {
            ["received", "in_time", "missed", "escalated"].map { rows[handle]?[$0] as? Int }
        }
        #expect(figures("lpftann") == [2, 0, 1, 1], "Acme missed and escalated; Next GmbH still waiting")
        #expect(figures("lpftbob") == [1, 1, 0, 0])
        #expect(rows["lpftbob"]?["median_hours"] as? Double == 1, "given 09:00, touched 10:00")
        #expect(figures("lpftcy") == [1, 0, 0, 0], "given by the escalation at 13:00, due 17:00")
        #expect(figures("lpftdora") == [1, 0, 1, 1], "Friday's lead, due Monday 11:00")
        let html = run(box, "2026-11-30T12:35:00Z", "report", "sla", "--format", "html").stdout
        #expect(html.contains("<section id=\"sla\">") && html.contains("Touched within the deadline") && html.contains("<svg"))

        let annMail = OSAccount.messages(in: ann, atLeast: 3)
        #expect(annMail.count == 3, "\(annMail)")
        #expect(annMail.map(subject) == ["leadpool: 1 new lead", "leadpool: 1 first touch due soon", "leadpool: 1 lead taken back"])
        for message in annMail {
            #expect(message.contains("\nTo: =?UTF-8?B?QW5uIE3DvGxsZXI=?= <lpftann@localhost>\n"), "the name encoded: \(message)")
            #expect(message.contains("\nFrom: leadpool@localhost\n"))
            #expect(message.contains("\nContent-Type: text/plain; charset=utf-8\n"))
            #expect(message.contains("\nMessage-ID: <leadpool."))
        }
        if annMail.count == 3 {
            #expect(annMail[0].contains("\nDate: Mon, 30 Nov 2026 09:05:00 +0100\n"), "in ann's zone: \(annMail[0])")
            #expect(annMail[0].contains("#2 Acme Café GmbH — 2026-11-30T09:00:00+01:00"))
            #expect(annMail[1].contains("#2 Acme Café GmbH — due 2026-11-30T13:00:00+01:00"))
            #expect(annMail[2].contains("no first touch within 4h (working hours)"))
        }

        let doraMail = OSAccount.messages(in: dora, atLeast: 4)
        #expect(
            doraMail.map(subject) == [
                "leadpool: 1 new lead", "leadpool: 1 first touch due soon", "leadpool: 1 first touch missed", "leadpool: 1 lead taken back",
            ]
        )
        #expect(doraMail.first?.contains("\nDate: Fri, 27 Nov 2026 16:05:00 +0100\n") == true)
        #expect(doraMail.dropFirst().first?.contains("due 2026-11-30T11:00:00+01:00") == true, "the deadline ran over the weekend")

        let bobMail = OSAccount.messages(in: bob, atLeast: 1)
        #expect(bobMail.map(subject) == ["leadpool: 1 new lead"], "touched in time: nothing more for bob")
    }

    @Test func aRefusedSendIsRecordedAsNothingAndSentByTheNextRun() throws {
        guard OSAccount.available, OSAccount.mailSystem else {
            print(OSAccount.available ? "skipped: no /usr/sbin/sendmail (.ci/run installs exim4)" : OSAccount.skipReason)
            return
        }
        let bob = OSAccount.mailbox("lpftbob")
        let box = Sandbox()
        // A mail program that refuses every message (exits 1): nothing may count as sent.
        try day(box, sendmail: "/bin/false")
        run(box, "2026-11-30T08:00:00Z", "lead", "add", "--company", "Acme", "--field", "country=DE")
        run(box, "2026-11-30T08:00:00Z", "--as", CLI.login, "transfer", "1", "--to", "lpftbob", "--reason", "knows them")
        let refused = box.leadpool("--now", "2026-11-30T08:05:00Z", "--json", "notify")
        #expect(refused.status == 75, "\(refused)")
        #expect(refused.stderr.contains("/bin/false refused the mail to lpftbob@localhost"), "\(refused)")
        let dry = run(box, "2026-11-30T08:06:00Z", "notify", "--dry-run")
        #expect(dry.stdout.contains("transferred by \(CLI.login): knows them"), "still to send: \(dry)")

        try Self.rules.replacingOccurrences(of: "SENDMAIL", with: "/usr/sbin/sendmail")
            .write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        run(box, "2026-11-30T08:10:00Z", "rules", "apply", box.path("rules.yaml"))
        run(box, "2026-11-30T08:10:00Z", "notify")
        let messages = OSAccount.messages(in: bob, atLeast: 1)
        #expect(messages.map(subject) == ["leadpool: 1 new lead"])
        #expect(messages.first?.contains("transferred by \(CLI.login): knows them") == true)
    }

    @Test func aSecondNotifyWhileOneRunsRefusesWithBusy() throws {
        let box = Sandbox()
        try day(box)
        // Hold the lock a running notify holds, as another process would.
        let release = try box.holdRunLock("notify")
        defer { release() }
        let refused = box.leadpool("notify")
        #expect(refused.status == 75, "\(refused)")
        #expect(refused.stderr.contains("another notify is running"), "\(refused)")
        #expect(box.leadpool("notify", "--dry-run").status == 0, "a dry run sends nothing and does not wait")
    }

    // MARK: - Reading

    func owner(_ box: Sandbox, _ id: Int) -> String? {
        (box.leadpool("--json", "lead", "show", String(id)).json as? [String: Any])?["owner"] as? String
    }

    /// `reclaim --warn --json`'s first-touch entries: owner → lead id → missed.
    func firstTouch(_ run: Run) -> [String: [Int: Bool]] {
        var out: [String: [Int: Bool]] = [:]
        for group in run.json as? [[String: Any]] ?? [] {
            for lead in group["first_touch"] as? [[String: Any]] ?? [] {
                out[group["handle"] as! String, default: [:]][lead["id"] as! Int] = lead["missed"] as? Bool
            }
        }
        return out
    }

    func escalations(_ json: Any) -> [(id: Int, to: String?, reason: String)]? {
        ((json as? [String: Any])?["escalations"] as? [[String: Any]])?.map {
            ($0["id"] as! Int, $0["to"] as? String, $0["reason"] as! String)
        }
    }

    func subject(_ message: String) -> String {
        message.components(separatedBy: "\n").first { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst(9)) } ?? ""
    }
}

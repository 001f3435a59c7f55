import Foundation
import Testing

/// End-to-end: contact fields (SPEC "Visibility") never reach a rep on a lead they do not own,
/// through any command, format or condition.
@Suite(.bothBackends) struct TrustVisibilityTests {
    static let now = ["--now", "2026-11-02T09:00:00Z"]

    static let rules = """
        hidden: [attr.referrer]
        segments:
          dach: 'country = "DE"'
          reachable: 'attr.wechat is not null'
          wide: 'segment("reachable") or segment("dach")'
        icp:
          - { name: german, when: 'segment("dach")', points: 20 }
          - { name: has-mobile, when: 'attr.mobilephone matches "+49*"', points: 10 }
        rules:
          - { name: board-picks, when: 'attr.referrer = "board"', to: [alice] }
          - { name: rest, when: 'true', to: [bob] }
        """

    /// What each of leads 1 and 2 holds in a contact field; a rep who owns neither sees none of it.
    static let secrets: [Int: [String: String]] = [
        1: [
            "Name": "Zelda Quist", "Email": "zq.one@acme-one.com", "Phone": "+49 30 111111",
            "MobilePhone": "+49 170 222222", "Mobile": "+49 171 333333", "WeChat": "wx_zelda_one",
            "LinkedIn URL": "https://linkedin.com/in/zelda-one", "Referrer": "board",
        ],
        2: [
            "Name": "Yuri Pox", "Email": "yp.two@beta-two.com", "Phone": "+49 30 444444",
            "MobilePhone": "+49 170 555555", "Mobile": "+49 171 666666", "WeChat": "wx_yuri_two",
            "LinkedIn URL": "https://linkedin.com/in/yuri-two", "Referrer": "trade fair",
        ],
        3: [
            "Name": "Xena Wu", "Email": "xw.three@gamma-three.com", "Phone": "+49 30 777777",
            "MobilePhone": "+49 170 888888", "Mobile": "+49 171 999999", "WeChat": "wx_xena_three",
            "LinkedIn URL": "https://linkedin.com/in/xena-three", "Referrer": "website",
        ],
    ]
    static let columns = ["Name", "Email", "Phone", "MobilePhone", "Mobile", "WeChat", "LinkedIn URL", "Referrer"]
    /// Free text written on leads 1 and 2 by bob.
    static let notes = ["called-zelda-at-home", "gave-up-zelda-moved", "yuri-prefers-evenings"]

    /// Leads 1–3 imported with contact columns; bob worked lead 1 and gave it back, holds lead 2
    /// with a note; alice holds lead 3.
    static func sandbox() throws -> Sandbox {
        let box = Sandbox()
        box.initialized()
        box.leadpool("rep", "add", "alice", "--name", "Alice")
        box.leadpool("rep", "add", "bob", "--name", "Bob")
        try rules.write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        var csv = "Company,Country," + columns.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: ",") + "\n"
        for (id, company) in [(1, "Acme One"), (2, "Beta Two"), (3, "Gamma Three")] {
            csv += "\(company),DE," + columns.map { secrets[id]![$0]! }.joined(separator: ",") + "\n"
        }
        try csv.write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        for command in [
            ["rules", "apply", box.path("rules.yaml")], ["import", box.path("leads.csv")],
            ["--as", "bob", "claim", "1", "2"], ["--as", "bob", "touch", "1", "--note", notes[0]],
            ["--as", "bob", "release", "1", "--reason", notes[1]], ["--as", "bob", "touch", "2", "--note", notes[2]],
            ["--as", "alice", "claim", "3"],
        ] {
            let run = box.leadpool(now + command)
            precondition(run.status == 0, "\(command): \(run)")
        }
        return box
    }

    /// Every value of leads 1 and 2's contact fields, and bob's notes.
    static var hiddenFromAlice: [String] {
        // `Name` beside a company column is a person's whole name: imported as first and last name.
        [1, 2].flatMap { id in columns.map { secrets[id]![$0]! } + secrets[id]!["Name"]!.split(separator: " ").map(String.init) }
            .filter { $0 != "board" } + notes
            + ["Zelda", "Yuri", "zq.one", "yp.two", "111111", "222222", "333333", "444444", "555555", "666666"]
    }

    private func expectNothingHidden(_ run: Run, _ command: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for value in Self.hiddenFromAlice {
            #expect(
                !run.stdout.contains(value) && !run.stderr.contains(value),
                "\(command) shows '\(value)':\n\(run)",
                sourceLocation: sourceLocation
            )
        }
    }

    @Test func noCommandShowsARepContactFieldsOfLeadsTheyDoNotOwn() throws {
        let box = try Self.sandbox()
        try Self.rules.replacingOccurrences(of: "  dach:", with: "  probe: 'id = 1 and email matches \"zq*\"'\n  dach:")
            .write(toFile: box.path("probe.yaml"), atomically: true, encoding: .utf8)
        var commands: [[String]] = [
            ["pool"], ["lead", "list"], ["lead", "list", "--segment", "dach"], ["segment", "list"],
            ["segment", "show", "dach"], ["segment", "show", "reachable"], ["segment", "show", "wide"],
            ["rules", "check", box.path("probe.yaml")], ["rules", "show"], ["mine"],
        ]
        for id in ["1", "2"] { commands += [["lead", "show", id], ["explain", id], ["history", id]] }
        for command in commands {
            for json in [false, true] {
                let full = Self.now + ["--as", "alice"] + (json ? ["--json"] : []) + command
                let run = box.leadpool(full)
                #expect(run.status == 0, "\(full): \(run)")
                expectNothingHidden(run, full)
            }
        }
        for command in [["export"], ["export", "--format", "json"], ["report"], ["report", "--format", "html"]] {
            let run = box.leadpool(["--as", "alice"] + command)
            #expect(run.status == 77, "\(command) stays with admins: \(run)")
            expectNothingHidden(run, command)
        }
    }

    @Test func jsonLeavesHiddenFieldsOutAndNamesThem() throws {
        let box = try Self.sandbox()
        let expected = [
            "first_name", "last_name", "email", "phone", "attr.linkedin_url", "attr.mobile", "attr.mobilephone", "attr.referrer", "attr.wechat",
        ]
        for id in ["1", "2"] {
            let lead = box.leadpool(Self.now + ["--as", "alice", "--json", "lead", "show", id]).json as? [String: Any]
            #expect(lead?["hidden"] as? [String] == expected)
            for name in expected { #expect(lead?[name] == nil, "\(name) is left out of lead \(id)") }
            #expect(lead?["company"] as? String != nil && lead?["country"] as? String == "DE", "the rest shows")
        }
        let listed = box.leadpool(Self.now + ["--as", "alice", "--json", "lead", "list"]).json as? [[String: Any]]
        #expect(listed?.map { $0["hidden"] as? [String] } == [expected, expected, []])
        let pool = box.leadpool(Self.now + ["--as", "alice", "--json", "pool"]).json as? [[String: Any]]
        #expect(pool?.map { $0["id"] as? Int } == [1])
        #expect(pool?.first?["hidden"] as? [String] == expected)
        let shown = box.leadpool(Self.now + ["--as", "alice", "lead", "show", "1"]).stdout.split(separator: "\n")
        #expect(shown.contains { $0.hasPrefix("attr.wechat ") && $0.hasSuffix("  (hidden)") })
        #expect(shown.contains { $0.hasPrefix("email ") && $0.hasSuffix("  (hidden)") })
    }

    @Test func aRepSeesEveryFieldOfTheirOwnLeadAndAdminsSeeAll() throws {
        let box = try Self.sandbox()
        let own = box.leadpool(Self.now + ["--as", "alice", "--json", "lead", "show", "3"]).json as? [String: Any]
        #expect(own?["email"] as? String == "xw.three@gamma-three.com")
        #expect(own?["attr.mobilephone"] as? String == "+49 170 888888")
        #expect(own?["attr.referrer"] as? String == "website")
        #expect(own?["attr.linkedin_url"] as? String == "https://linkedin.com/in/xena-three")
        #expect(own?["hidden"] as? [String] == [])
        let text = box.leadpool(Self.now + ["--as", "alice", "lead", "show", "3"]).stdout
        for value in Self.secrets[3]!.values.flatMap({ $0.split(separator: " ").map(String.init) }) {
            #expect(text.contains(value), "alice sees \(value) on her lead")
        }
        let bobs = box.leadpool(Self.now + ["--as", "bob", "--json", "lead", "show", "2"]).json as? [String: Any]
        #expect(bobs?["attr.wechat"] as? String == "wx_yuri_two")
        #expect(box.leadpool(Self.now + ["--as", "bob", "history", "2"]).stdout.contains(Self.notes[2]), "the owner reads the notes")
        let admin = box.leadpool(Self.now + ["--json", "lead", "show", "1"]).json as? [String: Any]
        #expect(admin?["attr.wechat"] as? String == "wx_zelda_one" && admin?["hidden"] as? [String] == [])
        let history = box.leadpool(Self.now + ["history", "1"]).stdout
        #expect(history.contains(Self.notes[0]) && history.contains(Self.notes[1]), "admins read every note:\n\(history)")
    }

    @Test func repsMayNotFilterOnAnyHiddenField() throws {
        let box = try Self.sandbox()
        let probes = [
            "email matches \"zq*\"", "phone contains \"111\"", "last_name = \"Quist\"",
            "attr.mobilephone matches \"+49 170*\"", "attr.mobile is not null", "attr.wechat contains \"zelda\"",
            "attr.linkedin_url contains \"zelda\"", "attr.referrer = \"board\"", "segment(\"reachable\")",
            "country = \"DE\" and segment(\"wide\")",
        ]
        for probe in probes {
            for command in [["pool"], ["lead", "list"], ["claim", "--next"]] {
                let full = Self.now + ["--as", "alice"] + command + ["--where", probe]
                let run = box.leadpool(full)
                #expect(run.status == 77, "\(full): \(run)")
                #expect(run.stderr.contains("contact details are hidden"), "\(run)")
                expectNothingHidden(run, full)
            }
        }
        for segment in ["reachable", "wide"] {
            #expect(box.leadpool(Self.now + ["--as", "alice", "pool", "--segment", segment]).status == 77)
        }
        #expect(box.leadpool(Self.now + ["--as", "alice", "pool", "--where", "country = \"DE\"", "--segment", "dach"]).status == 0)
        #expect(box.leadpool(Self.now + ["pool", "--where", "attr.referrer = \"board\""]).status == 0, "admins may")
    }

    @Test func segmentAndRulesCountsGiveRepsNoOracle() throws {
        let box = try Self.sandbox()
        let segments = box.leadpool(Self.now + ["--as", "alice", "--json", "segment", "list"]).json as? [[String: Any]]
        let byName = Dictionary(uniqueKeysWithValues: (segments ?? []).map { ($0["name"] as! String, $0) })
        #expect(byName["dach"]?["leads"] as? Int == 3)
        for hidden in ["reachable", "wide"] {
            #expect(byName[hidden]?["leads"] == nil && byName[hidden]?["pooled"] == nil)
            #expect(byName[hidden]?["hidden"] as? [String] == ["leads", "pooled"])
        }
        let admin = box.leadpool(Self.now + ["--json", "segment", "show", "reachable"]).json as? [String: Any]
        #expect(admin?["leads"] as? Int == 3)
        let show = box.leadpool(Self.now + ["--as", "alice", "--json", "segment", "show", "wide"]).json as? [String: Any]
        #expect(show?["leads"] == nil && show?["tiers"] == nil)

        let probe = "segments:\n  probe: 'id = 1 and email matches \"zq*\"'\n"
        try probe.write(toFile: box.path("probe.yaml"), atomically: true, encoding: .utf8)
        let check = box.leadpool(Self.now + ["--as", "alice", "--json", "rules", "check", box.path("probe.yaml")])
        #expect(check.status == 0)
        let counted = ((check.json as? [String: Any])?["segments"] as? [[String: Any]])?.first
        #expect(counted?["name"] as? String == "probe" && counted?["leads"] == nil)
        #expect(counted?["hidden"] as? [String] == ["leads", "pooled"])
        let tiers = (check.json as? [String: Any])?["tiers"] as? [[String: Any]] ?? []
        #expect(!tiers.isEmpty && tiers.allSatisfy { $0["leads"] == nil && $0["hidden"] as? [String] == ["leads"] }, "an ICP is an oracle too")
        let text = box.leadpool(Self.now + ["--as", "alice", "rules", "check", box.path("probe.yaml")])
        #expect(!text.stdout.contains("IN POOL") && !text.stdout.contains("SHARE"))
        #expect(text.stderr.contains("Live tier and segment counts are for admins"))
        let summary = box.leadpool(Self.now + ["--as", "alice", "--json", "rules", "check", box.path("rules.yaml")]).json as? [String: Any]
        #expect(summary?["hidden_fields"] as? [String] == ["attr.referrer"])
        let forAdmin = box.leadpool(Self.now + ["--json", "rules", "check", box.path("probe.yaml")]).json as? [String: Any]
        #expect((forAdmin?["segments"] as? [[String: Any]])?.first?["leads"] as? Int == 1)
    }

    @Test func explainHidesOutcomesOfConditionsOnContactFields() throws {
        let box = try Self.sandbox()
        let rep = box.leadpool(Self.now + ["--as", "alice", "--json", "explain", "1"]).json as? [String: Any]
        let criteria = (rep?["criteria"] as? [[String: Any]]) ?? []
        #expect(criteria.map { $0["name"] as? String } == ["german", "has-mobile"])
        #expect(criteria[0]["met"] as? Bool == true)
        #expect(criteria[1]["met"] == nil && criteria[1]["earned"] == nil)
        #expect(criteria[1]["hidden"] as? [String] == ["met", "earned"])
        #expect(rep?["segments"] as? [String] == ["dach"])
        #expect(rep?["hidden"] as? [String] == ["points_sum", "segments.reachable", "segments.wide"])
        let routing = rep?["routing"] as? [String: Any]
        #expect(routing?["rule"] == nil && routing?["hidden_from_rule"] as? String == "board-picks")
        let text = box.leadpool(Self.now + ["--as", "alice", "explain", "1"]).stdout
        #expect(text.contains("rule board-picks and after: not shown"))
        #expect(!text.contains("rule rest"))

        let admin = box.leadpool(Self.now + ["--json", "explain", "1"]).json as? [String: Any]
        #expect(((admin?["criteria"] as? [[String: Any]])?[1])?["met"] as? Bool == true)
        #expect((admin?["routing"] as? [String: Any])?["rule"] as? String == "board-picks")
        let own = box.leadpool(Self.now + ["--as", "alice", "--json", "explain", "3"]).json as? [String: Any]
        #expect(own?["hidden"] as? [String] == [])
        #expect((own?["routing"] as? [String: Any])?["rule"] as? String == "rest")
    }

    @Test func historyOfAnotherRepsLeadComesWithoutNotesAndReasons() throws {
        let box = try Self.sandbox()
        let events = box.leadpool(Self.now + ["--as", "alice", "--json", "history", "1"]).json as? [[String: Any]]
        #expect(events?.map { $0["kind"] as? String } == ["imported", "claimed", "touched", "released"])
        let touched = events?[2]
        let released = events?[3]
        #expect(touched?["hidden"] as? [String] == ["detail.note"])
        #expect((touched?["detail"] as? [String: Any])?["kind"] as? String == "note")
        #expect(released?["reason"] == nil && released?["hidden"] as? [String] == ["reason"])
        #expect(released?["from_owner"] as? String == "bob")
        #expect(box.leadpool(Self.now + ["--as", "alice", "history", "2"]).stdout.contains("(note hidden)"))

        // A round routes lead 1 by board-picks, whose condition reads the hidden attr.referrer:
        // naming the rule on bob's lead would tell alice what the referrer is.
        #expect(box.leadpool(Self.now + ["assign"]).status == 0)
        #expect(box.leadpool(Self.now + ["transfer", "1", "--to", "bob", "--reason", "zelda-asked-for-bob"]).status == 0)
        let later = box.leadpool(Self.now + ["--as", "alice", "--json", "history", "1"]).json as? [[String: Any]]
        let assigned = later?.first { $0["kind"] as? String == "assigned" }
        #expect(assigned?["to_owner"] as? String == "alice")
        #expect(assigned?["rule"] == nil && assigned?["reason"] == nil)
        #expect(assigned?["hidden"] as? [String] == ["rule", "reason"])
        let text = box.leadpool(Self.now + ["--as", "alice", "history", "1"])
        #expect(!text.stdout.contains("board-picks") && !text.stdout.contains("zelda-asked-for-bob"), "\(text)")
        let admin = box.leadpool(Self.now + ["history", "1"]).stdout
        #expect(admin.contains("rule board-picks") && admin.contains("zelda-asked-for-bob"))
    }
}

import Foundation
import Testing

/// Messages and outputs as a rep, an admin or a script reads them in their first week.
@Suite(.bothBackends) struct FirstWeekTests {
    @Test func withJSONAnErrorIsOneJSONObjectOnStderr() throws {
        let box = Sandbox()
        box.initialized()
        let missing = box.leadpool("--json", "lead", "show", "99999")
        #expect(missing.status == 66)
        #expect(missing.stdout.isEmpty)
        let error = (try JSONSerialization.jsonObject(with: Data(missing.stderr.utf8)) as? [String: Any])?["error"] as? [String: Any]
        #expect(error?["exit"] as? Int == 66, "\(missing)")
        #expect(error?["kind"] as? String == "not_found")
        #expect((error?["message"] as? String)?.contains("99999") == true)

        let usage = box.leadpool("rep", "add", "x", "--json", "--weight", "0")
        #expect(usage.status == 64)
        let usageError = (try JSONSerialization.jsonObject(with: Data(usage.stderr.utf8)) as? [String: Any])?["error"] as? [String: Any]
        #expect(usageError?["kind"] as? String == "usage", "\(usage)")
        #expect((usageError?["message"] as? String)?.contains("--weight must be 1 or more") == true)

        let plain = box.leadpool("lead", "show", "99999")
        #expect(plain.stderr.hasPrefix("leadpool: "), "without --json errors stay text")
    }

    @Test func aNegativeLimitIsRefusedWithTheReason() {
        let box = Sandbox()
        box.initialized()
        for (option, message) in [
            ("--capacity", "--capacity must be 0 or more"), ("--daily-limit", "--daily-limit must be 0 or more"),
            ("--weight", "--weight must be 1 or more"),
        ] {
            let run = box.leadpool("rep", "add", "amy", "--name", "Amy", option, "-5")
            #expect(run.status == 64)
            #expect(run.stderr.contains(message), "\(run)")
        }
        #expect(box.leadpool("rep", "add", "amy", "--name", "Amy", "--capacity", "0").status == 0)
    }

    @Test func deactivatingTwiceSaysSo() {
        let box = Sandbox()
        box.initialized()
        box.leadpool("rep", "add", "amy", "--name", "Amy")
        #expect(box.leadpool("rep", "deactivate", "amy").stdout.contains("Deactivated 'amy'."))
        let again = box.leadpool("rep", "deactivate", "amy")
        #expect(again.status == 0)
        #expect(again.stdout.contains("'amy' was already deactivated."), "\(again)")
        #expect(box.leadpool("rep", "activate", "amy").stdout.contains("Activated 'amy'."))
        #expect(box.leadpool("rep", "activate", "amy").stdout.contains("'amy' was already active."))
    }

    @Test func anAwayWindowEndingAtMidnightShowsItsLastDay() {
        let box = Sandbox()
        box.initialized()
        box.leadpool("rep", "add", "amy", "--name", "Amy")
        let set = box.leadpool("--now", "2026-12-01", "rep", "away", "amy", "--from", "2026-12-05", "--until", "2026-12-10")
        #expect(set.stdout.contains("through 2026-12-10"), "\(set)")
        #expect(box.leadpool("--now", "2026-12-07", "rep", "list").stdout.contains("away through 2026-12-10"))
        box.leadpool("--now", "2026-12-01", "rep", "away", "amy", "--until", "2026-12-10T14:00:00Z")
        #expect(box.leadpool("--now", "2026-12-07", "rep", "list").stdout.contains("away until 2026-12-10T14:00:00Z"))
    }

    @Test func aTransferThatMovesNothingPrintsNoCapacityNote() {
        let box = Sandbox()
        box.initialized()
        box.leadpool("rep", "add", "amy", "--name", "Amy", "--capacity", "0")
        let run = box.leadpool("transfer", "99999", "--to", "amy")
        #expect(run.status == 66)
        #expect(!run.stderr.contains("capacity"), "\(run)")
        box.leadpool("lead", "add", "--company", "Acme")
        let moved = box.leadpool("transfer", "1", "--to", "amy")
        #expect(moved.status == 0)
        #expect(moved.stderr.contains("above capacity 0"), "\(moved)")
    }

    @Test func mineShowsTimeLeftRoundedDownLikeIdleDays() throws {
        let box = try reclaimSandbox()
        // Lead 5 goes at 2026-11-08T10:00Z: 2 days 2 hours after this clock.
        let run = box.leadpool("--now", "2026-11-06T08:00:00Z", "--as", "alice", "mine")
        let line = run.stdout.split(separator: "\n").first { $0.contains("Company 5 ") }
        #expect(line?.contains("2d 2h") == true, "\(run)")
        let json = box.leadpool("--now", "2026-11-06T08:00:00Z", "--as", "alice", "--json", "mine").json as? [[String: Any]] ?? []
        #expect(json.first { $0["id"] as? Int == 5 }?["days_left"] as? Int == 2)
    }

    @Test func roundsListNamesTheRulesetColumn() {
        let box = Sandbox()
        box.initialized()
        box.leadpool("assign")
        #expect(box.leadpool("rounds", "list").stdout.contains("RULESET"))
    }

    @Test func anEmptyNoColorKeepsColourOnATerminal() throws {
        let box = Sandbox()
        box.initialized()
        func listOnTerminal(_ noColor: String) -> String {
            let command = "\(CLI.binary.path) rep list"
            return CLI.run(
                ["-qec", command, "/dev/null"],
                environment: ["PATH": "/usr/bin:/bin", "LEADPOOL_DB": box.db, "NO_COLOR": noColor, "TERM": "xterm"],
                cwd: box.directory,
                executable: URL(fileURLWithPath: "/usr/bin/script")
            ).stdout
        }
        #expect(listOnTerminal("").contains("\u{1B}[1m"))
        #expect(!listOnTerminal("1").contains("\u{1B}["))
    }
}

/// Tables and progress bars on a real pseudo-terminal (`script`) of a given width.
@Suite(.bothBackends) struct TerminalWidthTests {
    /// Runs `leadpool ARGS` on a pseudo-terminal `columns` wide; the screen's lines, colours dropped.
    static func onTerminal(_ box: Sandbox, columns: Int, _ arguments: String) -> [String] {
        let command = "stty cols \(columns) rows 50; \(CLI.binary.path) \(arguments)"
        let run = CLI.run(
            ["-qec", command, "/dev/null"],
            environment: ["PATH": "/usr/bin:/bin", "LEADPOOL_DB": box.db, "TERM": "xterm"],
            cwd: box.directory,
            executable: URL(fileURLWithPath: "/usr/bin/script")
        )
        let plain = run.stdout.replacingOccurrences(of: "\u{1B}\\[[0-9;]*[A-Za-z]", with: "", options: .regularExpression)
        return plain.components(separatedBy: CharacterSet(charactersIn: "\r\n")).filter { !$0.isEmpty }
    }

    @Test func everyTableFitsEightyColumns() throws {
        let box = try reclaimSandbox()
        box.leadpool(
            "rep",
            "add",
            "a-rep-with-a-very-long-handle",
            "--name",
            String(repeating: "Long Name ", count: 8),
            "--territories",
            "DE,AT,CH,FR,GB,NL,BE,LU,IT,ES"
        )
        box.leadpool(
            "lead",
            "add",
            "--company",
            String(repeating: "Very Long Company Name ", count: 6),
            "--field",
            "industry=" + String(repeating: "x", count: 60)
        )
        box.leadpool("--now", "2026-11-01T10:00:00Z", "assign")
        for command in [
            "rep list", "lead list", "pool", "--as alice mine", "report reps", "report pool", "rounds list", "history 1", "segment list",
            "--now 2026-11-06T10:00:00Z reclaim --warn",
        ] {
            let lines = Self.onTerminal(box, columns: 80, command)
            #expect(!lines.isEmpty, "\(command) printed nothing")
            // Table rows have columns two spaces apart; sentences (notes) wrap like any text.
            let table = lines.filter { $0.contains("  ") }
            for line in table { #expect(line.count <= 80, "\(command): \(line.count) columns: \(line)") }
        }
        // Piped, nothing is cut.
        #expect(box.leadpool("lead", "list").stdout.contains(String(repeating: "x", count: 60)) == false, "the table clips industry itself")
        #expect(box.leadpool("rep", "list").stdout.contains("AT,BE,CH,DE,ES,FR,GB,IT,LU,NL"))
    }

    @Test func theImportProgressBarFitsANarrowTerminalAndIsCleared() throws {
        let box = Sandbox()
        box.initialized()
        try Reliability.leadsCSV(30_000).write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        let lines = Self.onTerminal(box, columns: 40, "import leads.csv")
        #expect(lines.contains { $0.contains("%") }, "a progress bar was drawn: \(lines)")
        for line in lines where line.contains("%") { #expect(line.count < 40, "\(line)") }
    }
}

extension FirstWeekTests {
    @Test func theBinaryPrintsTheCommentedExampleRulesFile() throws {
        let box = Sandbox()
        box.initialized()
        let run = box.leadpool("rules", "example")
        #expect(run.status == 0)
        #expect(run.stdout == (try String(contentsOfFile: RulesTests.example, encoding: .utf8)))
        try run.stdout.write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("rules", "check", box.path("rules.yaml")).status == 0)
        // It needs no database.
        #expect(CLI.run(["rules", "example"], environment: ["PATH": "/usr/bin:/bin"], cwd: box.directory).status == 0)
    }
}

extension FirstWeekTests {
    @Test func reportsGroupSourcesIgnoringCaseAsConditionsDo() throws {
        let box = Sandbox()
        box.initialized()
        try "Company,Lead Source\nA,webinar\nB,Webinar\nC,WEBINAR\nD,Fair\n".write(toFile: box.path("l.csv"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("import", box.path("l.csv")).status == 0)
        let where_ = box.leadpool("--json", "lead", "list", "--where", "source = \"webinar\"").json as? [[String: Any]]
        #expect(where_?.count == 3)
        let pool = (box.leadpool("--json", "report", "pool").json as? [String: Any])?["pool"] as? [String: Any]
        let sources = pool?["by_source"] as? [[String: Any]] ?? []
        #expect(sources.count == 2, "\(sources)")
        #expect(sources.first?["leads"] as? Int == 3)
        #expect(sources.first?["source"] as? String == "WEBINAR")
        box.leadpool("lead", "add", "--company", "E", "--field", "source=webinar")
        for id in ["1", "2", "5"] {
            box.leadpool("transfer", id, "--to", CLI.login)
            box.leadpool("convert", id)
        }
        let conversion = (box.leadpool("--json", "report", "conversion").json as? [String: Any])?["conversion"] as? [String: Any]
        let bySource = conversion?["by_source"] as? [[String: Any]] ?? []
        #expect(bySource.count == 1, "\(bySource)")
        #expect(bySource.first?["closed"] as? Int == 3)
    }
}

extension FirstWeekTests {
    @Test func applyingAnIdenticalRulesFileMakesNoNewVersion() throws {
        let box = Sandbox()
        box.initialized()
        try RulesTests.rules.write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("rules", "apply", box.path("rules.yaml")).stdout.contains("as ruleset version 1"))
        let again = box.leadpool("rules", "apply", box.path("rules.yaml"))
        #expect(again.status == 0)
        #expect(again.stdout.contains("identical to ruleset version 1"), "\(again)")
        #expect(box.leadpool("rules", "show", "--version", "2").status == 66)
        let json = box.leadpool("--json", "rules", "apply", box.path("rules.yaml")).json as? [String: Any]
        #expect(json?["version"] as? Int == 1)
        #expect(json?["changed"] as? Bool == false)
        try (RulesTests.rules + "\n# a comment\n").write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("rules", "apply", box.path("rules.yaml")).stdout.contains("as ruleset version 2"))
    }
}

extension FirstWeekTests {
    @Test func claimNextSaysWhatStoppedItShort() throws {
        let box = try workflowSandbox()  // alice: capacity 3, daily limit 4; ten pool leads
        let capacity = box.leadpool("--as", "alice", "claim", "--next", "-n", "5")
        #expect(capacity.status == 0)
        #expect(capacity.stderr.contains("claimed 3 of 5: stopped by capacity: you hold 3 of 3"), "\(capacity)")
        #expect(capacity.stdout.contains("claimed  1  Company 1  score 0"), "claims show company and score: \(capacity)")
        box.leadpool("rep", "update", "alice", "--capacity", "20")
        let daily = box.leadpool("--as", "alice", "claim", "--next", "-n", "5")
        #expect(daily.stderr.contains("claimed 1 of 5: stopped by daily limit: you claimed 4 of 4 today"), "\(daily)")
        let json = box.leadpool("--json", "--as", "bob", "claim", "--next", "-n", "20").json as? [[String: Any]] ?? []
        #expect(json.count == 6)
        #expect(json.first?["company"] as? String != nil)
        #expect(json.first?["score"] as? Int == 0)
        let empty = box.leadpool("--as", "bob", "claim", "--next")
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("nothing claimed: no more pool leads"), "\(empty)")
    }
}

extension FirstWeekTests {
    /// Qualified leads count as held (capacity, load, rounds), and hoarding means holding leads
    /// without working them, not having had leads reclaimed.
    @Test func heldCountsQualifiedLeadsAndHoardingMeansIdleLeadsHeld() throws {
        let box = try workflowSandbox()  // alice: capacity 3; ten pool leads created 2026-11-01T09:00Z
        let day1 = "2026-11-01T10:00:00Z"
        #expect(box.leadpool("--now", day1, "--as", "alice", "claim", "1", "2", "3").status == 0)
        for id in ["1", "2"] { #expect(box.leadpool("--now", day1, "--as", "alice", "qualify", id).status == 0) }
        let full = box.leadpool("--now", day1, "--as", "alice", "claim", "4")
        #expect(full.status == 1)
        #expect(full.stdout.contains("capacity: you hold 3 of 3 open or qualified leads"), "\(full)")
        let show = box.leadpool("--json", "rep", "show", "alice").json as? [String: Any]
        #expect(show?["held"] as? Int == 3)

        box.leadpool("--now", day1, "--as", "bob", "claim", "5", "6", "7", "8")
        box.leadpool("--now", "2026-11-12T10:00:00Z", "--as", "bob", "touch", "5")
        box.leadpool("--now", "2026-11-12T10:00:00Z", "--as", "bob", "touch", "6")
        // On 11-13 (standard policy: idle threshold 14 - 3 = 11 days) alice's three leads are all
        // idle; bob worked two of his four yesterday.
        let reps = (box.leadpool("--now", "2026-11-13T10:00:00Z", "--json", "report", "reps").json as? [String: Any])?["reps"] as? [String: Any]
        let rows = Dictionary(uniqueKeysWithValues: (reps?["by_rep"] as? [[String: Any]] ?? []).map { ($0["handle"] as! String, $0) })
        #expect(rows["alice"]?["held"] as? Int == 3)
        #expect(rows["alice"]?["idle"] as? Int == 3)
        #expect(rows["alice"]?["hoarding"] as? Bool == true)
        #expect(rows["bob"]?["idle"] as? Int == 2)
        #expect(rows["bob"]?["hoarding"] as? Bool == true, "half of what bob holds sits idle")
        // Once the pool takes them back, nobody holds anything and nobody is flagged.
        #expect(box.leadpool("--now", "2026-11-30T10:00:00Z", "reclaim").status == 0)
        let after = (box.leadpool("--now", "2026-11-30T10:00:00Z", "--json", "report", "reps").json as? [String: Any])?["reps"] as? [String: Any]
        for rep in after?["by_rep"] as? [[String: Any]] ?? [] {
            #expect(rep["held"] as? Int == 0)
            #expect(rep["hoarding"] as? Bool == false, "\(rep)")
        }
    }
}

extension FirstWeekTests {
    @Test func repShowAndMineSayWhatARepMayStillClaim() throws {
        let box = try workflowSandbox()  // alice: capacity 3, daily limit 4; bob: the standard defaults
        let now = "2026-11-01T10:00:00Z"
        box.leadpool("--now", now, "--as", "alice", "claim", "1", "2")
        let show = box.leadpool("--now", now, "rep", "show", "alice").stdout
        #expect(show.contains("capacity       3\n"), "\(show)")
        #expect(show.contains("claimed today  2 (UTC day of 2026-11-01)"), "\(show)")
        #expect(show.contains("can claim      1 more now"), "\(show)")
        let bob = box.leadpool("--now", now, "rep", "show", "bob").stdout
        #expect(bob.contains("capacity       50 (the ruleset's default)"), "\(bob)")
        #expect(bob.contains("daily limit    20 (the ruleset's default)"), "\(bob)")
        let json = box.leadpool("--now", now, "--json", "rep", "show", "alice").json as? [String: Any]
        #expect(json?["capacity"] as? Int == 3)
        #expect(json?["effective_daily_limit"] as? Int == 4)
        #expect(json?["claimed_today"] as? Int == 2)
        #expect(json?["can_claim"] as? Int == 1)

        box.leadpool("--now", now, "--as", "alice", "claim", "3")
        let mine = box.leadpool("--now", now, "--as", "alice", "mine").stdout
        #expect(mine.hasSuffix("Holding 3 of 3; claimed 3 of 4 today, 0 more possible.\n"), "\(mine)")
        let full = box.leadpool("--now", now, "rep", "show", "alice").stdout
        #expect(full.contains("can claim      0 more (capacity: you hold 3 of 3 open or qualified leads)"), "\(full)")
        #expect(box.leadpool("--now", now, "--as", "bob", "mine").stdout.contains("Holding 0 of 50; claimed 0 of 20 today, 20 more possible."))
    }
}

extension FirstWeekTests {
    @Test func theCooldownSaysWhetherTheRepReleasedTheLeadOrThePoolTookItBack() throws {
        let box = try reclaimSandbox()  // alice claimed 1–5 on 2026-11-01T10:00Z; cooldown 7 days
        #expect(box.leadpool("--now", "2026-11-02T10:00:00Z", "--as", "alice", "release", "1", "--reason", "no budget").status == 0)
        let released = box.leadpool("--now", "2026-11-03T10:00:00Z", "--as", "alice", "claim", "1")
        #expect(released.stdout.contains("cooldown: you released it on 2026-11-02"), "\(released)")
        // Lead 5 (tier A, 7 idle days) goes back on the 8th.
        #expect(box.leadpool("--now", "2026-11-08T10:00:00Z", "reclaim").status == 0)
        let reclaimed = box.leadpool("--now", "2026-11-09T10:00:00Z", "--as", "alice", "claim", "5")
        #expect(reclaimed.stdout.contains("cooldown: the pool took it back from you on 2026-11-08"), "\(reclaimed)")
    }
}

extension FirstWeekTests {
    @Test func helpListsOnlyTheOptionsACommandTakes() {
        let box = Sandbox()
        box.initialized()
        let pool = box.leadpool("pool", "--help").stdout
        #expect(pool.contains("--where") && pool.contains("--sort") && pool.contains("--limit"))
        #expect(!pool.contains("--owner") && !pool.contains("--pooled"), "\(pool)")
        let claim = box.leadpool("claim", "--help").stdout
        #expect(claim.contains("--where") && claim.contains("-n <n>"))
        #expect(!claim.contains("--limit") && !claim.contains("--sort") && !claim.contains("--owner"), "\(claim)")
        #expect(box.leadpool("claim", "--next", "--limit", "3").status == 64)
        #expect(box.leadpool("pool", "--owner", "x").status == 64)
        let list = box.leadpool("lead", "list", "--help").stdout
        #expect(list.contains("--owner") && list.contains("--pooled") && list.contains("--limit"))
    }
}

extension FirstWeekTests {
    @Test func historySaysWhyInWordsAndKeepsTheStructureForJSON() throws {
        let box = try workflowSandbox()
        box.leadpool("--as", "alice", "claim", "1")
        box.leadpool("--as", "alice", "touch", "1", "--kind", "call", "--note", "left a voicemail")
        box.leadpool("lead", "tag", "1", "fair")
        let text = box.leadpool("history", "1").stdout
        #expect(text.contains("from leads.csv line 2"), "\(text)")
        #expect(text.contains("call: left a voicemail"))
        #expect(text.contains("tags fair"))
        #expect(!text.contains("{"), "no raw JSON in the table: \(text)")
        let json = box.leadpool("--json", "history", "1").json as? [[String: Any]] ?? []
        #expect((json.first?["detail"] as? [String: Any])?["line"] as? Int == 2)
    }
}

extension FirstWeekTests {
    @Test func leadUpdateCorrectsFieldsWithOneEventAndAReScore() throws {
        let box = try workflowSandbox()  // leads 1–10 in DE; alice and bob are reps
        try "icp:\n  - { name: fr, when: 'country = \"FR\"', points: 50 }\n".write(toFile: box.path("r.yaml"), atomically: true, encoding: .utf8)
        box.leadpool("rules", "apply", box.path("r.yaml"))
        let run = box.leadpool(
            "lead",
            "update",
            "1",
            "--field",
            "country=France",
            "--field",
            "attr.plan=trial",
            "--field",
            "website=https://acme.example"
        )
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("country: DE → FR"))
        let lead = box.leadpool("--json", "lead", "show", "1").json as? [String: Any]
        #expect(lead?["country"] as? String == "FR")
        #expect(lead?["attr.plan"] as? String == "trial")
        #expect(lead?["domain"] as? String == "acme.example", "a new website gives a new domain")
        #expect(lead?["score"] as? Int == 50, "scored again")
        let events = (box.leadpool("--json", "history", "1").json as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "updated" }
        #expect(events.count == 1)
        #expect((events.first?["detail"] as? [String: Any])?["country"] as? [String] == ["DE", "FR"])
        #expect(box.leadpool("history", "1").stdout.contains("country: DE → FR"))

        let cleared = box.leadpool("--json", "lead", "update", "1", "--field", "attr.plan=").json as? [String: Any]
        #expect((cleared?["changes"] as? [[String: Any]])?.first?["new"] is NSNull)
        #expect(box.leadpool("lead", "update", "1", "--field", "country=FR").stdout.contains("nothing changed"))

        // Reps: their own leads' descriptive fields only; nothing written otherwise.
        box.leadpool("--as", "alice", "claim", "2")
        let before = Reliability.fingerprint(box.db)
        #expect(box.leadpool("--as", "bob", "lead", "update", "2", "--field", "title=CEO").status == 1)
        #expect(box.leadpool("--as", "alice", "lead", "update", "2", "--field", "source=fair").status == 77)
        #expect(box.leadpool("lead", "update", "2", "--field", "employees=many").status == 65)
        #expect(box.leadpool("lead", "update", "2", "--field", "nope=1").status == 64)
        #expect(box.leadpool("lead", "update", "99", "--field", "title=x").status == 66)
        #expect(Reliability.fingerprint(box.db) == before)
        #expect(box.leadpool("--as", "alice", "lead", "update", "2", "--field", "title=CEO").status == 0)
        #expect(box.leadpool("check").status == 0)
    }
}

extension FirstWeekTests {
    /// Each help text's paragraphs wrap at the terminal's width, not at the source's line ends
    /// (which left one-word lines in 80 columns).
    @Test func helpParagraphsWrapCleanly() {
        let commands = [
            [], ["init"], ["migrate"], ["demo"], ["rep", "add"], ["rep", "deactivate"], ["import"], ["lead", "add"],
            ["lead", "update"], ["lead", "list"], ["export"], ["history"], ["rules", "check"], ["rules", "apply"],
            ["rules", "example"], ["segment", "list"], ["explain"], ["assign"], ["transfer"], ["rounds", "show"],
            ["pool"], ["claim"], ["release"], ["touch"], ["mine"], ["reclaim"], ["report"], ["check"], ["backup"],
        ]
        for command in commands {
            let run = CLI.run(command + ["--help"], environment: ["PATH": "/usr/bin:/bin", "COLUMNS": "80"], cwd: URL(fileURLWithPath: "/tmp"))
            let text = run.stdout.components(separatedBy: "\nUSAGE:")[0]
            for paragraph in text.components(separatedBy: "\n\n") {
                let lines = paragraph.split(separator: "\n").map(String.init)
                for line in lines.dropLast() {
                    #expect(line.count >= 45 && line.count <= 80, "leadpool \(command.joined(separator: " ")) --help: '\(line)'")
                }
            }
        }
    }
}

extension FirstWeekTests {
    @Test func aMisspeltAttributeIsAWarningWithTheNearestName() throws {
        let box = Sandbox()
        box.initialized()
        try "Company,Product_Interest__c\nAcme,CRM\n".write(toFile: box.path("l.csv"), atomically: true, encoding: .utf8)
        box.leadpool("import", box.path("l.csv"))
        try """
        segments:
          crm: 'attr.product_intrest = "CRM"'
          known: 'attr.product_interest = "CRM"'
        """.write(toFile: box.path("r.yaml"), atomically: true, encoding: .utf8)
        let check = box.leadpool("rules", "check", box.path("r.yaml"))
        #expect(check.status == 0)
        #expect(check.stderr.contains("no lead has attr.product_intrest"), "\(check)")
        #expect(check.stderr.contains("did you mean 'attr.product_interest'?"))
        #expect(!check.stderr.contains("no lead has attr.product_interest:"))
        let json = box.leadpool("--json", "rules", "check", box.path("r.yaml")).json as? [String: Any]
        #expect((json?["warnings"] as? [Any])?.count == 1)

        let typo = box.leadpool("lead", "list", "--where", "attr.product_intrest = \"CRM\"")
        #expect(typo.status == 0)
        #expect(typo.stderr.contains("no lead has attr.product_intrest, so it matches nothing; did you mean attr.product_interest?"), "\(typo)")
        #expect(box.leadpool("lead", "list", "--where", "attr.product_interest = \"CRM\"").stderr.isEmpty)
    }
}

extension FirstWeekTests {
    @Test func releaseAndDisqualifyReasonsComeFromTheRulesFileAndAreReportedPerReason() throws {
        let box = try workflowSandbox()
        try """
        release-reasons: [no-budget, wrong-region]
        disqualify-reasons: [competitor, spam]
        """.write(toFile: box.path("r.yaml"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("rules", "apply", box.path("r.yaml")).status == 0)
        box.leadpool("--as", "alice", "claim", "1", "2", "3")
        let before = Reliability.fingerprint(box.db)
        let wrong = box.leadpool("--as", "alice", "release", "1", "--reason", "no budgte")
        #expect(wrong.status == 64)
        #expect(wrong.stderr.contains("did you mean 'no-budget'?") && wrong.stderr.contains("no-budget, wrong-region"), "\(wrong)")
        #expect(Reliability.fingerprint(box.db) == before, "nothing written")
        #expect(box.leadpool("--as", "alice", "release", "1", "--reason", "No-Budget").status == 0)
        #expect(box.leadpool("--as", "alice", "disqualify", "2", "--reason", "spam").status == 0)
        #expect(box.leadpool("--as", "alice", "disqualify", "3", "--reason", "too small").status == 64)
        let events = box.leadpool("--json", "history", "1").json as? [[String: Any]] ?? []
        #expect(events.last?["reason"] as? String == "no-budget", "stored as the rules file spells it")

        let conversion = (box.leadpool("--json", "report", "conversion").json as? [String: Any])?["conversion"] as? [String: Any]
        #expect((conversion?["by_release_reason"] as? [[String: Any]])?.first?["reason"] as? String == "no-budget")
        #expect((conversion?["by_disqualify_reason"] as? [[String: Any]])?.first?["leads"] as? Int == 1)
        #expect(box.leadpool("report", "conversion").stdout.contains("DISQUALIFY REASON"))

        try "release-reasons: [a, A]\n".write(toFile: box.path("bad.yaml"), atomically: true, encoding: .utf8)
        let bad = box.leadpool("rules", "check", box.path("bad.yaml"))
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("bad.yaml:1:"), "\(bad)")
    }
}

extension FirstWeekTests {
    @Test func reopenBringsAClosedLeadBackToThePoolOrToARepWithOneEvent() throws {
        let box = try workflowSandbox()  // alice: capacity 3; bob; ten pool leads
        let day1 = "2026-11-01T10:00:00Z"
        let day2 = "2026-11-02T10:00:00Z"
        #expect(box.leadpool("--now", day1, "--as", "alice", "claim", "1", "2", "3").status == 0)
        #expect(box.leadpool("--now", day1, "--as", "alice", "convert", "1").status == 0)
        #expect(box.leadpool("--now", day1, "--as", "alice", "disqualify", "2", "--reason", "spam").status == 0)

        // A rep may not; nothing is written.
        let before = Reliability.fingerprint(box.db)
        let rep = box.leadpool("--now", day2, "--as", "alice", "reopen", "1")
        #expect(rep.status == 77, "\(rep)")
        // An open or qualified lead is refused with the reason; an unknown id is 66.
        let open = box.leadpool("--now", day2, "reopen", "3")
        #expect(open.status == 1)
        #expect(open.stdout.contains("refused  3: not closed: it is open; only converted or disqualified leads reopen"), "\(open)")
        #expect(box.leadpool("--now", day2, "reopen", "99999").status == 66)
        #expect(box.leadpool("--now", day2, "reopen", "1", "--to", "nobody").status == 66)
        #expect(Reliability.fingerprint(box.db) == before, "nothing written")

        // Back to the pool: open, no owner, and no cooldown for the rep who closed it.
        let pool = box.leadpool("--now", day2, "reopen", "1")
        #expect(pool.status == 0, "\(pool)")
        #expect(pool.stdout == "reopened  1  to the pool\n")
        let one = box.leadpool("--json", "lead", "show", "1").json as? [String: Any]
        #expect(one?["status"] as? String == "open")
        #expect(one?["owner"] is NSNull, "\(String(describing: one))")
        #expect((box.leadpool("--json", "pool").json as? [[String: Any]])?.contains { $0["id"] as? Int == 1 } == true)

        // To a rep: open and theirs since now; above capacity is allowed and said.
        let json = box.leadpool("--now", day2, "--json", "reopen", "2", "--to", "alice")
        #expect(json.status == 0, "\(json)")
        let outcome = (json.json as? [[String: Any]])?.first
        #expect(outcome?["id"] as? Int == 2)
        #expect(outcome?["result"] as? String == "reopened")
        #expect(outcome?["owner"] as? String == "alice")
        #expect(outcome?["reason"] is NSNull)
        let two = box.leadpool("--json", "lead", "show", "2").json as? [String: Any]
        #expect(two?["status"] as? String == "open")
        #expect(two?["owner"] as? String == "alice")
        #expect(two?["claimed_at"] as? String == day2, "held since the reopen")
        #expect(box.leadpool("--now", day2, "--as", "alice", "claim", "1").status == 0, "no cooldown after a reopen")
        // alice holds 3 of 3; bob's converted lead goes to her all the same, with a note.
        #expect(box.leadpool("--now", day2, "--as", "bob", "claim", "4").status == 0)
        #expect(box.leadpool("--now", day2, "--as", "bob", "convert", "4").status == 0)
        let full = box.leadpool("--now", day2, "reopen", "4", "--to", "alice")
        #expect(full.status == 0)
        #expect(full.stdout == "reopened  4  to alice\n")
        #expect(full.stderr.contains("alice now holds 4 open or qualified leads, above capacity 3"), "\(full)")

        // Exactly one event per reopen, in words in history and structured in --json.
        let events = box.leadpool("--json", "history", "2").json as? [[String: Any]] ?? []
        let reopened = events.filter { $0["kind"] as? String == "reopened" }
        #expect(reopened.count == 1)
        #expect(reopened.first?["from_owner"] as? String == "alice")
        #expect(reopened.first?["to_owner"] as? String == "alice")
        #expect((reopened.first?["detail"] as? [String: Any])?["status"] as? [String] == ["disqualified", "open"])
        #expect(box.leadpool("history", "2").stdout.contains("status: disqualified → open"))
        let history = box.leadpool("--json", "history", "1").json as? [[String: Any]] ?? []
        #expect(history.filter { $0["kind"] as? String == "reopened" }.map { $0["to_owner"] is NSNull } == [true])
        let text = box.leadpool("history", "1").stdout
        #expect(text.contains("alice → pool"), "\(text)")
        #expect(!text.contains("{"))
        #expect(box.leadpool("history", "4").stdout.contains("bob → alice"))

        // check is clean: each owner matches its last ownership event; a reopen above capacity is an admin's note.
        let check = ReliabilityCheckTests.check(box)
        #expect(check.status == 0, "\(check.problems)")
        #expect(check.notes["nobody is above capacity because of a round or a claim"]?.first?.contains("an admin's reopen") == true, "\(check.notes)")
    }

    @Test func wideCompanyNamesAreCutByTheColumnsTheyTake() throws {
        let box = Sandbox()
        box.initialized()
        let name = String(repeating: "株式会社", count: 5)  // 20 characters, 40 columns
        try "Company,Email\n\(name),a@kabu.jp\n".write(toFile: box.path("wide.csv"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("import", box.path("wide.csv")).status == 0)
        let list = box.leadpool("lead", "list").stdout
        #expect(list.contains(String(name.prefix(13)) + "…"), "28 columns: 13 wide characters and the ellipsis\n\(list)")
        #expect(!list.contains(String(name.prefix(14))))
    }
}

import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The fixtures of real export shapes live with the intake unit tests.
func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LeadPoolCoreTests/Fixtures/\(name)").path
}

@Suite(.bothBackends) struct ImportTests {
    @Test(arguments: [
        ("salesforce-leads.csv", 4), ("hubspot-contacts.csv", 3), ("hubspot-companies.csv", 3),
        ("tradeshow-scanner.csv", 3), ("purchased-list.csv", 3), ("salesforce-accounts.csv", 3),
        ("salesforce-contacts.csv", 2), ("suitecrm-accounts.csv", 2), ("suitecrm-leads.csv", 2), ("odoo-crm-lead.csv", 2),
        ("zoho-leads.csv", 2), ("pipedrive-people.csv", 2), ("dynamics-leads.csv", 1), ("creatio-contacts.csv", 1),
        ("german-list.csv", 2), ("chinese-list.csv", 2), ("hubspot-contacts-repeated.csv", 2),
        ("marketing-list.csv", 4),
    ])
    func everyExportShapeImportsWithoutMap(file: String, rows: Int) throws {
        let box = Sandbox()
        box.initialized()
        let run = box.leadpool("--json", "import", fixture(file))
        #expect(run.status == 0, "\(run)")
        let summary = run.json as? [String: Any]
        #expect(summary?["new"] as? Int == rows, "\(run)")
        let leads = box.leadpool("--json", "lead", "list").json as? [[String: Any]]
        #expect(leads?.count == rows)
        #expect(leads?.allSatisfy { !(($0["company"] as? String) ?? "").isEmpty } == true)
        #expect(leads?.allSatisfy { ($0["country"] as? String)?.count == 2 } == true, "every row's country recognised: \(leads ?? [])")
    }

    @Test func unrecognisedCountriesAreKeptAndCountedInTheSummary() throws {
        let box = Sandbox()
        box.initialized()
        let path = box.path("countries.csv")
        try "Company,Country\nA,Atlantis\nB,Atlantis\nC,Ecuador\nD,Mordor\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = box.leadpool("import", path)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("3 values not recognised, kept as written: \"Atlantis\" (2), \"Mordor\" (1)"), "\(run)")
        let json = box.leadpool("--json", "import", path, "--dry-run", "--on-duplicate", "update").json as? [String: Any]
        #expect(json?["countries_unrecognised"] as? [String: Int] == ["Atlantis": 2, "Mordor": 1])
        let countries = (box.leadpool("--json", "lead", "list").json as? [[String: Any]])?.compactMap { $0["country"] as? String }
        #expect(Set(countries ?? []) == ["Atlantis", "EC", "Mordor"])
    }

    @Test func salesforceFieldsLandInCanonicalFieldsAndAttributes() throws {
        let box = Sandbox()
        box.initialized()
        #expect(box.leadpool("import", fixture("salesforce-leads.csv"), "--tag", "fair-2026", "--source", "fallback").status == 0)
        let lead = box.leadpool("--json", "lead", "show", "1").json as? [String: Any]
        #expect(lead?["company"] as? String == "Acme Analytics GmbH")
        #expect(lead?["country"] as? String == "DE")
        #expect(lead?["employees"] as? Int == 250)
        #expect(lead?["domain"] as? String != nil)
        #expect(lead?["attr.product_interest"] as? String != nil, "custom __c fields become attributes without __c")
        #expect((lead?["tags"] as? [String])?.contains("fair-2026") == true)
        let history = box.leadpool("--json", "history", "1").json as? [[String: Any]]
        #expect(history?.count == 1)
        #expect(history?.first?["kind"] as? String == "imported")
        #expect(history?.first?["actor"] as? String == CLI.login)
        #expect((history?.first?["detail"] as? [String: Any])?["file"] as? String == "salesforce-leads.csv")
    }

    @Test func aFileWithBadRowsImportsNothingAndListsEveryBadRow() throws {
        let box = Sandbox()
        box.initialized()
        let csv = """
            Company,Email,Number of Employees,Annual Revenue
            Good GmbH,a@good.de,10,1000
            ,b@gmail.com,10,1000
            Bad Employees,c@bad.de,many,1000
            Bad Email,not-an-email,10,1000
            "Multi
            line",d@multi.de,5,lots
            Also Good,e@fine.de,3,
            """
        let path = box.path("bad.csv")
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let run = box.leadpool("import", path)
        #expect(run.status == 65, "\(run)")
        #expect(run.stderr.contains("4 bad rows; nothing was imported"))
        for line in [":3:", ":4:", ":5:", ":6:"] { #expect(run.stderr.contains("bad.csv\(line)"), "\(line) in \(run.stderr)") }
        #expect(run.stderr.contains("employees"))
        #expect(!run.stderr.contains("bad.csv:2:") && !run.stderr.contains("bad.csv:8:"))
        #expect((box.leadpool("--json", "lead", "list").json as? [Any])?.count == 0)
    }

    @Test func duplicatesInsideTheFileAndAgainstTheDatabase() throws {
        let box = Sandbox()
        box.initialized()
        let csv = """
            External ID,Company,Email,Website,Tags
            X1,Alpha,one@alpha.com,alpha.com,a
            X1,Alpha again,other@alpha.com,alpha.com,b
            ,Beta,Sales@Beta.com,,
            ,Beta dup,sales@beta.com ,,
            ,Gamma,,https://www.gamma.io/about,
            ,Gamma dup,,gamma.io,
            """
        let path = box.path("dups.csv")
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let first = box.leadpool("--json", "import", path).json as? [String: Any]
        #expect(first?["new"] as? Int == 3)
        #expect(first?["skipped"] as? Int == 3)
        let reasons = first?["skipped_by_reason"] as? [String: Int]
        #expect(reasons == ["same external_id": 1, "same email": 1, "same domain": 1])

        let again = box.leadpool("--json", "import", path).json as? [String: Any]
        #expect(again?["new"] as? Int == 0)
        #expect(again?["skipped"] as? Int == 6)

        let update = box.leadpool("--json", "import", path, "--on-duplicate", "update").json as? [String: Any]
        #expect(update?["updated"] as? Int == 6)
        let alpha = box.leadpool("--json", "lead", "show", "1").json as? [String: Any]
        #expect(alpha?["company"] as? String == "Alpha again")
        #expect(Set(alpha?["tags"] as? [String] ?? []) == ["a", "b"])

        let error = box.leadpool("import", path, "--on-duplicate", "error")
        #expect(error.status == 65)
        #expect(error.stderr.contains("duplicate"))
    }

    @Test func duplicatesFileListsEachDuplicateRowTheLeadAndTheKey() throws {
        let box = Sandbox()
        box.initialized()
        let csv = """
            External ID,Company,Email,Website
            X1,Alpha,one@alpha.com,alpha.com
            ,Alpha contact,ONE@alpha.com,
            ,Alpha site,,https://alpha.com
            ,Beta,,beta.io

            """
        let path = box.path("dups.csv")
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let report = box.path("dups-found.csv")
        let run = box.leadpool("--json", "import", path, "--duplicates", report)
        #expect(run.status == 0, "\(run)")
        #expect((run.json as? [String: Any])?["new"] as? Int == 2)
        let written = try String(contentsOfFile: report, encoding: .utf8)
        #expect(
            written == """
                External ID,Company,Email,Website,_line,_lead,_matched_by\r
                ,Alpha contact,ONE@alpha.com,,3,1,email\r
                ,Alpha site,,https://alpha.com,4,1,domain\r

                """,
            "\(written)"
        )
    }

    @Test func aChainOfDuplicatesIsOneLeadInEitherOrder() throws {
        let box = Sandbox()
        box.initialized()
        // C and A share an id, A and B an email: one lead, whichever row comes first.
        let rows = ["X,Alpha C,e2@alpha.com", "Y,Alpha B,e1@alpha.com", "X,Alpha A,E1@alpha.com"]
        for (n, order) in [rows, rows.reversed()].enumerated() {
            let path = box.path("chain-\(n).csv")
            try (["External ID,Company,Email"] + order).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let report = box.path("chain-\(n)-dups.csv")
            let run = box.leadpool("--json", "import", path, "--dry-run", "--duplicates", report)
            #expect(run.status == 0, "\(run)")
            #expect((run.json as? [String: Any])?["new"] as? Int == 1)
            let written = try String(contentsOfFile: report, encoding: .utf8)
            #expect(written.split(separator: "\r\n").count == 3, "\(written)")
        }
    }

    @Test func dryRunCountsButWritesNothing() throws {
        let box = Sandbox()
        box.initialized()
        let run = box.leadpool("--json", "import", fixture("salesforce-leads.csv"), "--dry-run")
        #expect(run.status == 0)
        #expect((run.json as? [String: Any])?["new"] as? Int == 4)
        #expect((box.leadpool("--json", "lead", "list").json as? [Any])?.count == 0)
    }

    @Test func mapOverridesAndMistakes() throws {
        let box = Sandbox()
        box.initialized()
        let path = box.path("odd.csv")
        try "Firm,Mail,Seats\nOdd Co,x@odd.co,12\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(box.leadpool("import", path).status == 65, "no company column without --map")
        let typo = box.leadpool("import", path, "--map", "Firm=compnay")
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("company"))
        let run = box.leadpool("import", path, "--map", "Firm=company", "--map", "Mail=email", "--map", "Seats=attr.seats")
        #expect(run.status == 0, "\(run)")
        let lead = box.leadpool("--json", "lead", "show", "1").json as? [String: Any]
        #expect(lead?["email"] as? String == "x@odd.co")
        #expect(lead?["attr.seats"] as? String == "12")
        #expect(box.leadpool("import", box.path("missing.csv")).status == 66)
    }

    @Test func exportReadsBackWhole() throws {
        let box = Sandbox()
        box.initialized()
        let now = "2026-11-20T10:00:00Z"
        // Cells a spreadsheet would run as formulas, and cells starting with ' (which a CSV that is
        // not leadpool's export keeps).
        let formulas = box.path("formulas.csv")
        try """
        Company,Email,Title,Phone,City,Plan
        "=HYPERLINK(""http://x"",""click"")",a@formula.example,+cmd,+49 89 123,@SUM(A1),-5
        'quoted,b@formula.example,'boss,'123,\t=tab start,''two
        """.write(toFile: formulas, atomically: true, encoding: .utf8)
        for file in [fixture("salesforce-leads.csv"), fixture("hubspot-contacts.csv"), fixture("tradeshow-scanner.csv"), formulas] {
            #expect(box.leadpool("--now", now, "import", file, "--tag", "t1").status == 0)
        }
        let first = box.path("first.csv")
        #expect(box.leadpool("export", "-o", first).status == 0)
        let exported = try String(contentsOfFile: first, encoding: .utf8)
        let marked = [
            #""'=HYPERLINK(""http://x"",""click"")""#, "'+cmd", "'+49 89 123", "'@SUM(A1)", "'-5", "''quoted", "''boss", "''123",
            "'=tab start", "'''two",
        ]
        for cell in marked { #expect(exported.contains("," + cell + ","), "export writes \(cell)") }

        let copy = box.path("copy.db")
        #expect(box.leadpool("--db", copy, "init").status == 0)
        let reimport = box.leadpool("--db", copy, "--now", now, "--json", "import", first)
        #expect(reimport.status == 0, "\(reimport)")
        let second = box.path("second.csv")
        #expect(box.leadpool("--db", copy, "export", "-o", second).status == 0)
        let a = try String(contentsOfFile: first, encoding: .utf8)
        let b = try String(contentsOfFile: second, encoding: .utf8)
        #expect((box.leadpool("--db", copy, "--json", "lead", "list").json as? [Any])?.count == 12)
        #expect(a == b)
        let leads = box.leadpool("--db", copy, "export", "--format", "json").json as? [[String: Any]] ?? []
        let formula = leads.first { $0["email"] as? String == "a@formula.example" }
        #expect(formula?["company"] as? String == #"=HYPERLINK("http://x","click")"#)
        #expect(formula?["title"] as? String == "+cmd")
        #expect(formula?["city"] as? String == "@SUM(A1)")
        #expect(formula?["attr.plan"] as? String == "-5")
        let quoted = leads.first { $0["email"] as? String == "b@formula.example" }
        #expect(quoted?["company"] as? String == "'quoted")
        #expect(quoted?["phone"] as? String == "'123")
        #expect(quoted?["city"] as? String == "=tab start")
        #expect(quoted?["attr.plan"] as? String == "''two")
    }

    @Test(.sqliteOnly("SQLite files (WAL, journal) after a kill")) func aKilledImportLeavesNothingBehind() throws {
        let box = Sandbox()
        box.initialized()
        let path = box.path("big.csv")
        var text = "Company,Email,Country,Number of Employees\n"
        for i in 0..<200_000 { text += "Company \(i),person\(i)@company\(i).com,DE,\(i % 5000)\n" }
        try text.write(toFile: path, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["--db", box.db, "import", path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it once it is visibly writing: the WAL grows past a few hundred kilobytes.
        let wal = box.db + "-wal"
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning {
            let size = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
            if size > 512 * 1024 { break }
            usleep(2_000)
        }
        let killedMidway = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(killedMidway, "the import finished before it could be killed; make the file bigger")

        #expect(box.leadpool("check").status == 0)
        // A file this size goes in bulk, which drops the dedup indexes inside its transaction: the kill brings them back.
        let indexes = "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ('leads_external_id', 'leads_email_norm', 'leads_domain')"
        #expect(Reliability.count(box.db, indexes) == 3)
        #expect((box.leadpool("--json", "lead", "list", "--limit", "5").json as? [Any])?.count == 0, "nothing half-imported")
        let rerun = box.leadpool("--json", "import", path)
        #expect(rerun.status == 0)
        #expect((rerun.json as? [String: Any])?["new"] as? Int == 200_000)
    }
}

@Suite(.bothBackends) struct ImportScoringTests {
    @Test func importedLeadsAreScoredWithTheCurrentRuleset() throws {
        let box = Sandbox()
        box.initialized()
        let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/rules.yaml").path
        #expect(box.leadpool("rules", "apply", rules).status == 0)
        for file in ["salesforce-leads.csv", "hubspot-companies.csv", "purchased-list.csv"] {
            #expect(box.leadpool("import", fixture(file)).status == 0)
        }
        func scores() -> [String] {
            (box.leadpool("--json", "lead", "list").json as? [[String: Any]] ?? []).map {
                "\($0["id"] ?? "")=\($0["score"] ?? "")/\($0["tier"] ?? "")"
            }
        }
        let imported = scores()
        #expect(imported.count == 10)
        #expect(imported.contains { !$0.hasSuffix("=0/D") }, "some lead fits the profile: \(imported)")
        #expect(box.leadpool("rules", "apply", rules).status == 0)
        #expect(scores() == imported, "import scores exactly as a full re-score does")

        // An update moves Anna out of the ICP's industry and size: her score follows, no one else's changes.
        let update = box.path("update.csv")
        try "Id,Company,Industry,NumberOfEmployees\n00Q5e00000AbCdEAAV,Acme Analytics GmbH,Retail,12\n"
            .write(toFile: update, atomically: true, encoding: .utf8)
        #expect(box.leadpool("import", update, "--on-duplicate", "update").status == 0)
        let updated = scores()
        #expect(zip(updated, imported).filter { $0 != $1 }.count == 1, "\(updated) vs \(imported)")
        #expect(box.leadpool("rules", "apply", rules).status == 0)
        #expect(scores() == updated, "an update import scores as a full re-score does")
    }
}

@Suite(.bothBackends) struct LeadAddTests {
    @Test func leadAddChecksFieldsAsImportDoesAndRecordsACreatedEvent() throws {
        let box = Sandbox()
        box.initialized()
        let run = box.leadpool(
            "--json",
            "lead",
            "add",
            "--company",
            "Acme GmbH",
            "--field",
            "country=Germany",
            "--field",
            "employees=1,200",
            "--field",
            "website=https://www.acme.de/en",
            "--field",
            "attr.plan=trial",
            "--tag",
            "manual"
        )
        #expect(run.status == 0, "\(run)")
        let lead = run.json as? [String: Any]
        #expect(lead?["country"] as? String == "DE")
        #expect(lead?["employees"] as? Int == 1200)
        #expect(lead?["domain"] as? String == "acme.de")
        #expect(lead?["attr.plan"] as? String == "trial")
        #expect(lead?["tags"] as? [String] == ["manual"])
        let history = box.leadpool("--json", "history", "1").json as? [[String: Any]]
        #expect(history?.map { $0["kind"] as? String } == ["created"])

        let typo = box.leadpool("lead", "add", "--company", "X", "--field", "industy=Software")
        #expect(typo.status == 64)
        #expect(typo.stderr.contains("did you mean 'industry'?"))
        #expect(box.leadpool("lead", "add", "--company", "X", "--field", "email=not-an-email").status == 65)
        #expect(box.leadpool("lead", "add", "--company", "X", "--field", "status=converted").status == 64)
        #expect(box.leadpool("--as", CLI.login, "lead", "add", "--company", "Y", "--field", "external_id=E1").status == 0)
        #expect(box.leadpool("lead", "add", "--company", "Z", "--field", "external_id=E1").status == 1, "external ids are unique")
        #expect((box.leadpool("--json", "lead", "list").json as? [Any])?.count == 2)
    }
}

@Suite(.bothBackends) struct ImportBadRowTests {
    let csv = """
        Company,Email,Number of Employees
        Good GmbH,a@good.de,10
        ,b@gmail.com,10
        Bad Employees,c@bad.de,many
        Also Good,e@fine.de,3

        """

    @Test func skipImportsTheGoodRowsAndRejectsWritesTheBadOnesReadyToFix() throws {
        let box = Sandbox()
        box.initialized()
        let path = box.path("mixed.csv")
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let rejects = box.path("rejects.csv")
        try "old content\n".write(toFile: rejects, atomically: true, encoding: .utf8)
        let run = box.leadpool("--json", "import", path, "--on-error", "skip", "--rejects", rejects)
        #expect(run.status == 0, "\(run)")
        let summary = run.json as? [String: Any]
        #expect(summary?["new"] as? Int == 2)
        #expect(summary?["rejected"] as? Int == 2)
        #expect(run.stderr.contains("2 bad rows skipped"), "\(run)")
        #expect(run.stderr.contains("mixed.csv:4: Number of Employees:"))
        let written = try String(contentsOfFile: rejects, encoding: .utf8)
        #expect(written.hasPrefix("Company,Email,Number of Employees,_line,_reason\r\n"), "\(written)")
        #expect(written.contains(",b@gmail.com,10,3,Company: company is empty"))
        #expect(written.contains("Bad Employees,c@bad.de,many,4,\"Number of Employees: "))
        #expect(!written.contains("Good GmbH") && !written.contains("old content"))
        #expect(!FileManager.default.fileExists(atPath: rejects + ".partial"))

        // Fixed in place, the rejects file imports as it is: _line and _reason are left out.
        let fixed = written.replacingOccurrences(of: ",b@gmail.com,10,", with: "Fixed Co,b@gmail.com,10,")
            .replacingOccurrences(of: ",many,", with: ",12,")
        try fixed.write(toFile: rejects, atomically: true, encoding: .utf8)
        let again = box.leadpool("--json", "import", rejects)
        #expect(again.status == 0, "\(again)")
        #expect((again.json as? [String: Any])?["new"] as? Int == 2)
        let lead = box.leadpool("--json", "lead", "show", "3").json as? [String: Any]
        #expect(lead?["attr.line"] == nil && lead?["attr.reason"] == nil)
        #expect((box.leadpool("--json", "lead", "list").json as? [Any])?.count == 4)
    }

    @Test func abortImportsNothingButStillWritesTheRejects() throws {
        let box = Sandbox()
        box.initialized()
        let path = box.path("mixed.csv")
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let rejects = box.path("rejects.csv")
        let run = box.leadpool("import", path, "--rejects", rejects)
        #expect(run.status == 65)
        #expect(run.stderr.contains("2 bad rows; nothing was imported"))
        #expect((try? String(contentsOfFile: rejects, encoding: .utf8))?.components(separatedBy: "\r\n").count == 4)
        #expect((box.leadpool("--json", "lead", "list").json as? [Any])?.count == 0)
    }

    @Test func aReportFooterIsABadRowNotALead() throws {
        let box = Sandbox()
        box.initialized()
        let path = box.path("report.csv")
        try "Account Name,Billing Country,Annual Revenue\nAcme,Germany,100\nGlobex,France,200\n\nGrand Totals (2 records)\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let run = box.leadpool("import", path)
        #expect(run.status == 65, "\(run)")
        #expect(run.stderr.contains("report.csv:5: 1 field but the header has 3"), "\(run)")
        let skip = box.leadpool("--json", "import", path, "--on-error", "skip")
        #expect((skip.json as? [String: Any])?["new"] as? Int == 2, "\(skip)")
    }

    @Test func beyondTwentyBadRowsACountPerReason() throws {
        let box = Sandbox()
        box.initialized()
        var text = "Company,Email,Employees\n"
        for i in 0..<30 { text += "Co \(i),bad\(i),\(i)\n" }
        for i in 0..<25 { text += "Co \(i),ok\(i)@co\(i).com,lots\(i)\n" }
        text += "Fine,fine@fine.com,3\n"
        let path = box.path("many.csv")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let run = box.leadpool("import", path)
        #expect(run.status == 65)
        #expect(run.stderr.contains("55 bad rows; nothing was imported"), "\(run)")
        #expect(run.stderr.contains("30 rows: Email: is not an email address (lines 2, 3, 4, 5, 6, …)"), "\(run)")
        #expect(run.stderr.contains("25 rows: Employees: is not a whole number of employees"), "\(run)")
        #expect(!run.stderr.contains("many.csv:7:"), "no line-by-line list beyond 20 rows")
    }
}

@Suite(.bothBackends) struct ImportRepeatedHeaderTests {
    @Test func headerHashTwoInMapAndAttrSuffixUnmapped() throws {
        let box = Sandbox()
        box.initialized()
        let run = box.leadpool("--json", "import", fixture("hubspot-contacts-repeated.csv"), "--map", "Phone Number#2=phone")
        #expect(run.status == 0, "\(run)")
        let lead = box.leadpool("--json", "lead", "show", "1").json as? [String: Any]
        #expect(lead?["phone"] as? String == "+49 30 555 0199")
        #expect(lead?["attr.phone_number"] as? String == "+49 30 555 0100")
        #expect(lead?["attr.country_region_2"] as? String == "DE")
    }
}

@Suite(.bothBackends) struct ImportHeaderTests {
    @Test func aFileWithoutAHeaderIsRefusedAndImportsWithHeader() throws {
        let box = Sandbox()
        box.initialized()
        let path = box.path("noheader.csv")
        try "Acme GmbH,anna@acme.de,Germany\nGlobex,bob@globex.com,France\n".write(toFile: path, atomically: true, encoding: .utf8)
        let refused = box.leadpool("import", path)
        #expect(refused.status == 65, "\(refused)")
        #expect(refused.stderr.contains("noheader.csv:1: the first row looks like data, not a header (\"anna@acme.de\" is an email address)"))
        #expect(refused.stderr.contains("--header"))
        #expect((box.leadpool("--json", "lead", "list").json as? [Any])?.count == 0)

        let run = box.leadpool("--json", "import", path, "--header", "Company,Email,Country")
        #expect(run.status == 0, "\(run)")
        #expect((run.json as? [String: Any])?["new"] as? Int == 2)
        let first = box.leadpool("--json", "lead", "show", "1").json as? [String: Any]
        #expect(first?["company"] as? String == "Acme GmbH" && first?["country"] as? String == "DE")
        let history = box.leadpool("--json", "history", "1").json as? [[String: Any]]
        #expect((history?.first?["detail"] as? [String: Any])?["line"] as? Int == 1)

        let wrong = box.leadpool("import", path, "--header", "Firm,Email,Country")
        #expect(wrong.status == 65)
        #expect(wrong.stderr.contains("--header: no column maps to company"), "\(wrong)")
    }

    @Test func aHeaderOnlyFileImportsNothingWithAWarning() throws {
        let box = Sandbox()
        box.initialized()
        let path = box.path("empty.csv")
        try "Company,Email,Country\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = box.leadpool("import", path)
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.contains("warning: \(path) has a header but no rows; nothing was imported"), "\(run)")
        #expect(run.stdout.contains("new      0"))
    }
}

@Suite(.bothBackends) struct ImportJSONTests {
    @Test func successGivesEachColumnAsHeaderAndField() throws {
        let box = Sandbox()
        box.initialized()
        let run = box.leadpool("--json", "import", fixture("hubspot-contacts-repeated.csv"))
        #expect(run.status == 0, "\(run)")
        let columns = (run.json as? [String: Any])?["columns"] as? [[String: Any]]
        #expect(columns?.first?["header"] as? String == "Record ID - Contact")
        #expect(columns?.first?["field"] as? String == "external_id")
        #expect(columns?.first?["column"] as? Int == 1)
        let second = columns?.first { $0["name"] as? String == "Phone Number#2" }
        #expect(second?["header"] as? String == "Phone Number" && second?["field"] as? String == "attr.phone_number_2")
    }

    @Test func aRefusalIsStructuredToo() throws {
        let box = Sandbox()
        box.initialized()
        let path = box.path("bad.csv")
        try "Company,Email\nAcme,not-an-email\nGood,g@good.com\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = box.leadpool("--json", "import", path)
        #expect(run.status == 65)
        let document = run.json as? [String: Any]
        #expect(document?["imported"] as? Bool == false)
        let bad = document?["bad_rows"] as? [[String: Any]]
        #expect(bad?.count == 1)
        #expect(bad?.first?["line"] as? Int == 2 && bad?.first?["column"] as? String == "Email")
        #expect((bad?.first?["reason"] as? String)?.contains("not an email address") == true)
        let error = (try? JSONSerialization.jsonObject(with: Data(run.stderr.utf8))) as? [String: Any]
        let body = error?["error"] as? [String: Any]
        #expect(body?["exit"] as? Int == 65 && body?["kind"] as? String == "bad_input", "\(run.stderr)")
        #expect((body?["message"] as? String)?.contains("1 bad row; nothing was imported") == true)

        // A refusal before any row (no company column) is one JSON object on stderr as well.
        try "Firm\nAcme\n".write(toFile: path, atomically: true, encoding: .utf8)
        let early = box.leadpool("--json", "import", path)
        #expect(early.status == 65)
        let earlyError = (try? JSONSerialization.jsonObject(with: Data(early.stderr.utf8))) as? [String: Any]
        #expect((earlyError?["error"] as? [String: Any])?["hint"] as? String == "name the company column: --map \"HEADER=company\"")
    }
}

@Suite(.bothBackends) struct ImportEncodingTests {
    @Test func windows1252AndUTF16FilesImportAndSayWhichEncodingWasRead() throws {
        let box = Sandbox()
        box.initialized()
        let latin1 = box.path("latin1.csv")
        let text = "Firma;Ort;Land\nBäckerei Größe;München;Österreich\nCafé Crème;Zürich;Schweiz\n"
        try Data(text.data(using: .windowsCP1252)!).write(to: URL(fileURLWithPath: latin1))
        let run = box.leadpool("import", latin1)
        #expect(run.status == 0, "\(run)")
        #expect(run.stderr.contains("is not UTF-8: read as Windows-1252"), "\(run)")
        #expect(run.stdout.contains("encoding Windows-1252"))
        let utf16 = box.path("utf16.csv")
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "Company,City\nÄpfel AG,Köln\n".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try Data(bytes).write(to: URL(fileURLWithPath: utf16))
        let json = box.leadpool("--json", "import", utf16)
        #expect(json.status == 0, "\(json)")
        #expect((json.json as? [String: Any])?["encoding"] as? String == "UTF-16LE")
        let leads = (box.leadpool("--json", "lead", "list").json as? [[String: Any]]) ?? []
        #expect(Set(leads.compactMap { $0["company"] as? String }) == ["Bäckerei Größe", "Café Crème", "Äpfel AG"])
        #expect(Set(leads.compactMap { $0["city"] as? String }) == ["München", "Zürich", "Köln"])

        // Named, the encoding is used as given: the Windows-1252 file read as UTF-8 has bad rows.
        let named = box.leadpool("import", latin1, "--encoding", "utf-8", "--dry-run")
        #expect(named.status == 65, "\(named)")
        #expect(named.stderr.contains("--encoding windows-1252"))
        #expect(box.leadpool("import", latin1, "--encoding", "latin9").status == 64)
    }
}

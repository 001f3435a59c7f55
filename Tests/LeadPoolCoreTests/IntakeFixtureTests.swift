import Foundation
import Testing

@testable import LeadPoolCore

/// Real-shaped exports import with no --map.
@Suite struct IntakeFixtureTests {
    @Test func salesforceDataLoaderLeadExport() throws {
        let (map, drafts, problems) = try importFile(fixturePath("salesforce-leads.csv"))
        #expect(problems.isEmpty)
        #expect(drafts.map(\.line) == [2, 4, 5, 8])  // multi-line Descriptions span lines 2–3 and 5–7
        let anna = drafts[0]
        #expect(anna.externalID == "00Q5e00000AbCdEAAV")
        #expect(anna.company == "Acme Analytics GmbH")
        #expect(anna.lastName == "Müller")
        #expect(anna.domain == "acme-analytics.de")
        #expect(anna.country == "DE")
        #expect(anna.region == "Berlin")
        #expect(anna.employees == 250)
        #expect(anna.revenue == 12_000_000)
        #expect(anna.source == "Web")
        #expect(anna.attributes["status"] == "Open - Not Contacted")
        #expect(anna.attributes["product_interest"] == "Analytics")
        #expect(anna.attributes["region"] == "EMEA")
        #expect(anna.attributes["postalcode"] == "10117")
        #expect(anna.attributes["description"] == "Met at DMEXCO, booth B12.\r\nWants a demo in Q2, \"ASAP\".")
        #expect(anna.attributes["mobilephone"] == nil)  // empty: absent
        #expect(drafts[1].attributes["mobilephone"] == "+1 415 555 0100")  // Phone is present, so Mobile stays an attribute…
        #expect(drafts[1].phone == "+1 415 555 0100")  // …and stands in where Phone is empty
        #expect(anna.phone == "+49 30 1234567")
        #expect(drafts[1].employees == 1200)
        #expect(drafts[1].revenue == 1_200_000.5)
        #expect(drafts[1].country == "US")
        #expect(drafts[2].domain == nil)  // gmail, no website
        #expect(drafts[3].domain == "umbrella.co.uk")
        #expect(drafts[3].revenue == 1_200_000)
        #expect(drafts[3].country == "GB")
        #expect(map.column(for: .attribute("status"))?.header == "Status")
    }

    @Test func hubSpotContactsExport() throws {
        let (_, drafts, problems) = try importFile(fixturePath("hubspot-contacts.csv"))
        #expect(problems.isEmpty)
        #expect(drafts.count == 3)
        #expect(drafts[0].externalID == "51")
        #expect(drafts[0].company == "Northwind Traders")
        #expect(drafts[0].title == "Buyer")
        #expect(drafts[0].phone == "+1 212 555 0199")
        #expect(drafts[0].domain == "northwind.io")
        #expect(drafts[0].source == "Organic Search")
        #expect(drafts[0].country == "US")
        #expect(drafts[0].region == "New York")
        #expect(drafts[0].attributes["lead_status"] == "New")
        #expect(drafts[1].domain == nil)  // t-online.de is free mail
        #expect(drafts[1].country == "DE")
        #expect(drafts[2].employees == 2500)
        #expect(drafts[2].domain == "contoso.com.br")
        #expect(drafts[2].country == "BR")
    }

    @Test func hubSpotCompaniesExport() throws {
        let (_, drafts, problems) = try importFile(fixturePath("hubspot-companies.csv"))
        #expect(problems.isEmpty)
        #expect(drafts.map(\.company) == ["Fabrikam Inc", "Tailspin Toys", "Wide World Importers"])
        #expect(drafts.map(\.domain) == ["fabrikam.com", "tailspintoys.com", "wideworldimporters.com"])
        #expect(drafts.map(\.country) == ["US", "CA", "NL"])
        #expect(drafts[2].employees == 1050)
        #expect(drafts[0].attributes["lifecycle_stage"] == "customer")
        #expect(drafts[0].attributes["company_owner"] == "Sam Rep")
    }

    @Test func tradeShowScannerExport() throws {
        let reader = try CSVReader(path: fixturePath("tradeshow-scanner.csv"))
        #expect(reader.delimiter == .semicolon)
        #expect(reader.header.first == "Firma")  // the BOM is gone
        let (_, drafts, problems) = try importFile(fixturePath("tradeshow-scanner.csv"))
        #expect(problems.isEmpty)
        #expect(drafts.map(\.company) == ["Bäckerei Schulz GmbH", "Kontor AG", "Café Lumière"])
        #expect(drafts.map(\.firstName) == ["Petra", "Jörg", "Élodie"])
        #expect(drafts.map(\.country) == ["DE", "CH", "FR"])
        #expect(drafts.map(\.city) == ["München", "Zürich", "Paris"])
        #expect(drafts[0].attributes["notiz"] == "Interesse an Kassensystem; Rückruf")
        #expect(drafts[1].attributes["notiz"] == "Sagt: \"nächstes Jahr\"")
        #expect(drafts[0].attributes["plz"] == "80331")
        #expect(drafts[0].domain == "baeckerei-schulz.de")
    }

    @Test func purchasedList() throws {
        let (_, drafts, problems) = try importFile(fixturePath("purchased-list.csv"))
        #expect(problems.isEmpty)
        #expect(drafts.map(\.employees) == [1200, 15, 60])
        #expect(drafts.map(\.revenue) == [850_000, 1_200_000.5, nil])
        #expect(drafts[0].tags == ["purchased", "aviation"])
        #expect(drafts[1].tags == ["purchased", "wine"])
        #expect(drafts[0].region == "TX")
        #expect(drafts[0].firstName == "Pat" && drafts[0].lastName == "Lee")  // Contact Name is a person's whole name
        #expect(drafts[0].attributes["sic_code"] == "4512")
        #expect(drafts[2].domain == nil)  // yahoo.com
        #expect(drafts[2].country == "CH")
    }
}

/// Bad rows: every problem, on the right line, with the column and reason.
@Suite struct IntakeBadRowTests {
    let text = """
        Company,Email,Employees,Revenue,Notes\r
        Acme,anna@acme.de,10,100,"two\r
        lines"\r
        ,bob@,12.5,lots,x\r
        Globex,ok@globex.com,-4,,"three\r
        more\r
        lines"\r
        Initech,"not an email",many,1000,\r

        """

    func run() throws -> [IntakeProblem] {
        let r = try reader(text, chunkSize: 16)
        let map = try HeaderMap(reader: r)
        var problems: [IntakeProblem] = []
        while let record = try r.next() {
            if case .rejected(let found) = map.draft(from: record) { problems += found }
        }
        return problems
    }

    @Test func reportsEveryProblemWithLineAfterMultiLineFields() throws {
        let problems = try run()
        #expect(problems.map(\.line) == [4, 4, 4, 4, 5, 8, 8])
        #expect(problems.map(\.column) == ["Email", "Employees", "Revenue", "Company", "Employees", "Email", "Employees"])
        #expect(problems[3].reason == "company is empty (and no website or work email to take it from)")
        #expect(problems[0].description(file: "leads.csv") == "leads.csv:4: Email: \"bob@\" is not an email address")
    }

    @Test func badRowsErrorListsThemAll() throws {
        let error = LeadPoolError.badRows(try run(), file: "leads.csv")
        #expect(error.kind == .badInput)
        #expect(error.message.hasPrefix("leads.csv: 3 bad rows; nothing was imported"))
        #expect(error.message.contains("leads.csv:8: Employees:"))
    }

    @Test func overrideRescuesARow() throws {
        let r = try reader("Firm,Employees\nAcme,51-200\n")
        let map = try HeaderMap(
            reader: r,
            overrides: [ColumnOverride(parsing: "Firm=company"), ColumnOverride(parsing: "Employees=attr.employee_range")]
        )
        let record = try #require(try r.next())
        guard case .draft(let draft) = map.draft(from: record) else {
            Issue.record("rejected")
            return
        }
        #expect(draft.attributes == ["employee_range": "51-200"])
    }

    @Test func draftBecomesAndUpdatesALead() throws {
        let draft = LeadDraft(
            line: 2,
            company: "Acme",
            email: " Anna@Acme.de",
            domain: "acme.de",
            employees: 5,
            tags: ["Webinar"],
            attributes: ["plan": "trial"]
        )
        #expect(draft.matchKey == .email("anna@acme.de"))
        var lead = draft.makeLead(createdAt: Date(timeIntervalSince1970: 0))
        #expect(lead.isPooled && lead.tags == ["Webinar"])
        lead.city = "Berlin"
        let update = LeadDraft(line: 3, company: "Acme GmbH", employees: 7, tags: ["webinar", "expo"])
        update.update(&lead)
        #expect(lead.company == "Acme GmbH" && lead.employees == 7 && lead.city == "Berlin" && lead.email == " Anna@Acme.de")
        #expect(lead.tags == ["Webinar", "expo"])
        #expect(update.givenFields == [.company, .employees, .tags])
    }
}

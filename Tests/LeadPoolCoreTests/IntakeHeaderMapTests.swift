import Testing

@testable import LeadPoolCore

@Suite struct IntakeHeaderMapTests {
    func targets(_ header: [String], _ overrides: [ColumnOverride] = []) throws -> [String] {
        try HeaderMap(header: header, overrides: overrides).columns.map(\.target.description)
    }

    @Test func matchesIgnoringCaseAndPunctuation() throws {
        #expect(try targets(["COMPANY_NAME", "e-mail", "Zip", "State/Province"]) == ["company", "email", "attr.zip", "region"])
    }

    @Test func salesforceSpecialCases() throws {
        #expect(
            try targets(["Id", "Company", "Phone", "MobilePhone", "Status", "Product_Interest__c", "OwnerId", "Name", "FirstName"])
                == [
                    "external_id", "company", "phone", "attr.mobilephone", "attr.status", "attr.product_interest", "attr.ownerid", "attr.name",
                    "first_name",
                ]
        )
        #expect(try targets(["Company", "MobilePhone"]) == ["company", "phone"])
    }

    @Test func nameIsTheCompanyInACompaniesExport() throws {
        #expect(try targets(["Record ID", "Name", "Domain"]) == ["external_id", "company", "domain"])
    }

    @Test func otherColumnsBecomeAttributes() throws {
        #expect(
            try targets(["Company", "Product Interest", "  Next--Step (Q2) ", "attr.plan", "", "score"])
                == ["company", "attr.product_interest", "attr.next_step_q2", "attr.plan", "-", "attr.score"]
        )
    }

    @Test func overridesWin() throws {
        let overrides = try ["Firm=company", "Phone=-", "Notes=attr.comment", "e mail=email", "Account Name=company"].map(
            ColumnOverride.init(parsing:)
        )
        #expect(
            try targets(["Firm", "Phone", "Notes", "E-Mail", "Account Name"], [overrides[0], overrides[1], overrides[2], overrides[3]])
                == ["company", "-", "attr.comment", "email", "attr.account_name"]
        )
    }

    @Test func overrideErrors() throws {
        let unknown = error { _ = try ColumnOverride(parsing: "Firm=compnay") }
        #expect(unknown?.kind == .usage)
        #expect(unknown?.hint?.contains("company") == true)
        #expect(error { _ = try ColumnOverride(parsing: "Stage=status") }?.message.contains("cannot be imported") == true)
        #expect(error { _ = try ColumnOverride(parsing: "no equals") }?.kind == .usage)
        let missing = error { _ = try HeaderMap(header: ["Company", "Emial"], overrides: [ColumnOverride(parsing: "Email=email")]) }
        #expect(missing?.kind == .usage)
        #expect(missing?.hint?.contains("Emial") == true)
    }

    @Test func twoColumnsForOneFieldNameBoth() {
        let thrown = error { _ = try HeaderMap(header: ["Company", "Email", "E-mail"], file: "x.csv") }
        #expect(thrown?.kind == .badInput)
        #expect(thrown?.message.contains("\"Email\" (column 2) and \"E-mail\" (column 3) both map to email") == true)
    }

    @Test func noCompanyColumnIsAnError() {
        let thrown = error { _ = try HeaderMap(header: ["First Name", "Email"]) }
        #expect(thrown?.message.contains("no column maps to company") == true)
    }
}

import Testing

@testable import LeadPoolCore

/// Spreadsheet formula neutralisation and its inverse for leadpool's own export.
@Suite struct CSVCellTests {
    @Test(arguments: ["=HYPERLINK(\"x\")", "+cmd", "-5", "@SUM(A1)", "\t=1+1", "\r=1", "=", "-"])
    func formulaStartsGetAQuote(value: String) {
        #expect(CSVCell.neutralised(value) == "'" + value)
        #expect(CSVCell.exported(value) == "'" + value)
    }

    @Test(arguments: ["Acme GmbH", "", " =x", "a=b", "1+2", "x@y.com", "'quoted", "’curly", "＝fullwidth"])
    func otherCellsStayForPeople(value: String) {
        #expect(CSVCell.neutralised(value) == value)
    }

    @Test func exportAlsoMarksALeadingQuote() {
        #expect(CSVCell.exported("'quoted") == "''quoted")
        #expect(CSVCell.exported("''") == "'''")
        #expect(CSVCell.exported("Acme") == "Acme")
    }

    @Test(arguments: [
        "=HYPERLINK(\"x\")", "+49 89 1234", "-5", "@SUM(A1)", "\tx", "\r", "'quoted", "''", "'", "'=x", "plain", "",
        "'\u{301}combining", "=\u{301}",
    ])
    func restoredUndoesExported(value: String) {
        #expect(CSVCell.restored(CSVCell.exported(value)) == value)
    }

    @Test func restoredTakesOffExactlyOne() {
        #expect(CSVCell.restored("''x") == "'x")
        #expect(CSVCell.restored("x'") == "x'")
    }

    @Test func ownExportCellsAreRestoredOthersKeepTheirQuote() throws {
        let export = try HeaderMap(header: ["external_id", "company", "title", "attr.plan"])
        guard case .draft(let draft) = export.draft(from: CSVRecord(line: 2, fields: ["'+1", "'=HYPERLINK(\"x\")", "''boss", "'-5"])) else {
            Issue.record("rejected")
            return
        }
        #expect(draft.externalID == "+1")
        #expect(draft.company == "=HYPERLINK(\"x\")")
        #expect(draft.title == "'boss")
        #expect(draft.attributes["plan"] == "-5")

        let other = try HeaderMap(header: ["Company", "Title"])
        guard case .draft(let kept) = other.draft(from: CSVRecord(line: 2, fields: ["'Acme", "'boss"])) else {
            Issue.record("rejected")
            return
        }
        #expect(kept.company == "'Acme")
        #expect(kept.title == "'boss")

        let typed = try HeaderMap(header: ["company", "external_id"], fromCommandLine: true)
        guard case .draft(let given) = typed.draft(from: CSVRecord(line: 1, fields: ["'Acme", "'7"])) else {
            Issue.record("rejected")
            return
        }
        #expect(given.company == "'Acme")
        #expect(given.externalID == "'7")
    }
}

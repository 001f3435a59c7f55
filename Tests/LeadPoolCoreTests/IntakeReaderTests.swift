import Testing

@testable import LeadPoolCore

@Suite struct IntakeReaderTests {
    @Test func readsQuotedFieldsWithCommasQuotesAndNewlines() throws {
        let r = try reader("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"line1\nline2\"\nplain,,last\n")
        #expect(r.header == ["a", "b", "c"])
        let all = try records(r)
        #expect(all.map(\.fields) == [["x, y", "say \"hi\"", "line1\nline2"], ["plain", "", "last"]])
        #expect(all.map(\.line) == [2, 4])
    }

    @Test(arguments: [1, 2, 3, 5, 64, 1 << 18])
    func sameRecordsAtEveryChunkSize(chunkSize: Int) throws {
        let text = "\u{FEFF}id,name\r\n1,\"A\"\"B\r\nC\"\r\n2,Zoë\r\n\r\n3,\"\"\r\n"
        let all = try records(reader(text, chunkSize: chunkSize))
        #expect(all.map(\.fields) == [["1", "A\"B\r\nC"], ["2", "Zoë"], ["3", ""]])
        #expect(all.map(\.line) == [2, 4, 6])
    }

    @Test func skipsUTF8ByteOrderMark() throws {
        let r = try reader(bytes: [0xEF, 0xBB, 0xBF] + Array("Company\nAcme\n".utf8))
        #expect(r.header == ["Company"])
        #expect(try records(r).map(\.fields) == [["Acme"]])
    }

    @Test func acceptsLFCRLFAndLoneCR() throws {
        for newline in ["\n", "\r\n", "\r"] {
            let all = try records(reader("a,b\(newline)1,2\(newline)3,4"))
            #expect(all.map(\.fields) == [["1", "2"], ["3", "4"]])
            #expect(all.map(\.line) == [2, 3])
        }
    }

    @Test func detectsSemicolonAndTabFromHeader() throws {
        let semicolon = try reader("Firma;Ort\n\"A; B\";Köln\n")
        #expect(semicolon.delimiter == .semicolon)
        #expect(try records(semicolon).map(\.fields) == [["A; B", "Köln"]])
        let tab = try reader("a\tb\n1,5\t2\n")
        #expect(tab.delimiter == .tab)
        #expect(try records(tab).map(\.fields) == [["1,5", "2"]])
        #expect(try reader("a,b;c\n").delimiter == .comma)
    }

    @Test func skipsBlankAndAllEmptyRows() throws {
        let all = try records(reader("a,b\n\n1,2\n,\n,,\n3,4\n"))
        #expect(all.map(\.line) == [3, 6])
    }

    @Test func extraEmptyFieldsAreDroppedButExtraValuesAreAProblem() throws {
        let all = try records(reader("a,b\n1,2,,\n1,2,3\n"))
        #expect(all[0].fields == ["1", "2"])
        #expect(all[0].problems.isEmpty)
        #expect(all[1].problems.count == 1)
        #expect(all[1].problems[0].line == 3)
        #expect(all[1].problems[0].reason.contains("3 fields but the header has 2"))
    }

    @Test func invalidUTF8IsARecordProblemMentioningLatin1() throws {
        let bytes = Array("Company,City\nAcme,M".utf8) + [0xFC] + Array("nchen\nGood,Ulm\n".utf8)
        let all = try records(reader(bytes: bytes))
        #expect(all.count == 2)
        let problem = try #require(all[0].problems.first)
        #expect(problem.line == 2)
        #expect(problem.column == "City")
        #expect(problem.reason.contains("must be UTF-8"))
        #expect(problem.reason.contains("Latin-1"))
        #expect(problem.reason.contains("München"))
        #expect(all[1].problems.isEmpty)
    }

    @Test func nulByteIsARecordProblem() throws {
        let all = try records(reader(bytes: Array("a,b\n1,x".utf8) + [0] + Array("y\n".utf8)))
        #expect(all[0].problems.map(\.column) == ["b"])
        #expect(all[0].problems[0].reason.contains("NUL"))
    }

    @Test func utf16FileIsRefused() throws {
        let utf16: [UInt8] = [0xFF, 0xFE] + Array("a,b\n".utf8).flatMap { [$0, 0] }
        let thrown = error { _ = try reader(bytes: utf16) }
        #expect(thrown?.kind == .badInput)
        #expect(thrown?.message.contains("UTF-16") == true)
        let noBOM = error { _ = try reader(bytes: Array("a,b\n".utf8).flatMap { [$0, 0] }) }
        #expect(noBOM?.message.contains("UTF-16") == true)
        #expect(noBOM?.message.hasPrefix("test.csv:1:") == true)
    }

    @Test func unterminatedQuoteNamesTheLineWhereTheFieldStarted() throws {
        let r = try reader("a,b\n1,2\n3,\"never\nclosed\nat all\n")
        _ = try r.next()
        let thrown = error { _ = try r.next() }
        #expect(thrown?.kind == .badInput)
        #expect(thrown?.message.hasPrefix("test.csv:3:") == true)
        #expect(thrown?.message.contains("unterminated") == true)
    }

    @Test func fieldOverOneMebibyteIsRefused() throws {
        let big = String(repeating: "x", count: CSVReader.maxFieldBytes + 1)
        let r = try reader("a\nok\n\(big)\n", chunkSize: 64 * 1024)
        _ = try r.next()
        let thrown = error { _ = try r.next() }
        #expect(thrown?.message.hasPrefix("test.csv:3:") == true)
        #expect(thrown?.message.contains("1 MiB") == true)
    }

    @Test func textAfterClosingQuoteIsAProblem() throws {
        let all = try records(reader("a,b\n\"x\"y,2\n"))
        #expect(all[0].problems.first?.reason.contains("after the closing quote") == true)
    }

    @Test func strayQuoteInUnquotedFieldIsText() throws {
        #expect(try records(reader("a\n12\" screen\n")).map(\.fields) == [["12\" screen"]])
    }

    @Test func emptyFileIsRefusedAndMissingFileIsNotFound() throws {
        #expect(error { _ = try reader("") }?.message.contains("empty") == true)
        #expect(error { _ = try CSVReader(path: "/nonexistent/leads.csv") }?.kind == .notFound)
    }
}

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

    @Test func windows1252IsDetectedAndConverted() throws {
        // ü, é, the euro sign and curly quotes: bytes that are not UTF-8.
        let bytes =
            Array("Company,City,Note\nAcme,M".utf8) + [0xFC] + Array("nchen,".utf8) + [0x80, 0x20, 0x93, 0x68, 0x69, 0x94]
            + Array("\nCaf".utf8) + [0xE9] + Array(",Paris,x\n".utf8)
        let r = try reader(bytes: bytes)
        let all = try records(r)
        #expect(r.encodingRead == "Windows-1252" && r.converted)
        #expect(all.map(\.fields) == [["Acme", "München", "€ \u{201C}hi\u{201D}"], ["Café", "Paris", "x"]])
        #expect(all.allSatisfy { $0.problems.isEmpty })
    }

    @Test func invalidUTF8LaterInAUTF8FileIsARecordProblemNamingTheEncodingOption() throws {
        // The first chunk is UTF-8 (ä), so the file is read as UTF-8; a stray Latin-1 byte later is a bad row.
        let bytes = Array("Company,City\nAcme,Jäger\n".utf8) + Array("Other,M".utf8) + [0xFC] + Array("nchen\n".utf8)
        let r = try CSVReader(bytes: bytes, name: "test.csv", chunkSize: 22)
        let all = try records(r)
        #expect(r.encodingRead == "UTF-8")
        let problem = try #require(all[1].problems.first)
        #expect(problem.line == 3 && problem.column == "City")
        #expect(problem.reason.contains("--encoding windows-1252"))
        #expect(problem.reason.contains("München"))
        // Named, the encoding is read as given from the first byte.
        let named = try CSVReader(bytes: bytes, name: "test.csv", encoding: .windows1252, chunkSize: 22)
        let namedFields = try records(named).map { $0.fields[1] }
        #expect(namedFields == ["JÃ¤ger", "München"])
    }

    @Test(arguments: [false, true])
    func utf16WithByteOrderMarkIsConverted(bigEndian: Bool) throws {
        let text = "Company,City\nÄpfel GmbH,Zürich\n日本,😀\n"
        let units = Array(text.utf16)
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in units { bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let r = try reader(bytes: bytes)  // 7-byte chunks: code units and surrogate pairs cut across reads
        #expect(r.encodingRead == (bigEndian ? "UTF-16BE" : "UTF-16LE"))
        #expect(r.header == ["Company", "City"])
        let fields = try records(r).map(\.fields)
        #expect(fields == [["Äpfel GmbH", "Zürich"], ["日本", "😀"]])
    }

    @Test func utf16WithoutByteOrderMarkIsRecognisedByItsNULs() throws {
        let r = try reader(bytes: Array("a,b\n1,2\n".utf8).flatMap { [$0, 0] })
        #expect(r.encodingRead == "UTF-16LE")
        let fields = try records(r).map(\.fields)
        #expect(fields == [["1", "2"]])
    }

    @Test func nulByteIsARecordProblem() throws {
        let all = try records(reader(bytes: Array("a,b\n1,x".utf8) + [0] + Array("y\n".utf8)))
        #expect(all[0].problems.map(\.column) == ["b"])
        #expect(all[0].problems[0].reason.contains("NUL"))
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

@Suite struct ShortRowTests {
    @Test func aRowWithFewerFieldsThanTheHeaderIsABadRow() throws {
        let text = "Company,Email,Country\nAcme,a@acme.com,DE\nGlobex,g@globex.com\n\nGrand Totals (20 records)\nInitech,,\n"
        let all = try records(reader(text))
        #expect(all.map(\.line) == [2, 3, 5, 6])
        #expect(all.map(\.problems.isEmpty) == [true, false, false, true])
        #expect(all[1].problems.first?.reason == "2 fields but the header has 3 (a footer, or a cut-off row?)")
        #expect(all[2].problems.first?.reason == "1 field but the header has 3 (a footer, or a cut-off row?)")
    }
}

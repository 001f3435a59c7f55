import Foundation
import LeadPoolCore
import Testing

@Suite struct ConditionParserTests {
    private func parse(_ text: String, segments: Set<String>? = nil) throws -> Condition {
        try Condition.parse(text, origin: .commandLine, knownSegments: segments)
    }

    /// The error a text gives, or a failed expectation.
    private func failure(
        _ text: String,
        origin: ConditionOrigin = .commandLine,
        segments: Set<String>? = nil
    ) -> LeadPoolError? {
        do {
            let condition = try Condition.parse(text, origin: origin, knownSegments: segments)
            Issue.record("expected an error, parsed \(condition)")
            return nil
        } catch let error as LeadPoolError {
            #expect(error.kind == .badInput)
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    // MARK: - The SPEC's examples

    @Test(arguments: [
        #"industry in ("Software", "Fintech") and employees >= 200"#,
        #"country = "DE" or region = "Bavaria""#,
        #"tag("webinar-2026") and not segment("existing-customers")"#,
        #"score >= 60 and idle_days > 10 and attr.plan = "trial""#,
        #"email is not null and company matches "*GmbH""#,
        #"industry in ("Software","Fintech")"#,
        #"employees >= 200 and employees <= 5000"#,
        #"country in ("DE","FR","GB","NL")"#,
        #"segment("emea") and tier in ("A","B")"#,
        "true",
        #"status = "qualified""#,
        #"tier = "A""#,
    ])
    func specExampleParses(_ text: String) throws {
        let condition = try parse(text)
        #expect(try parse(condition.description) == condition)
    }

    @Test func specExampleBuildsTheExpectedTree() throws {
        #expect(
            try parse(#"industry in ("Software", "Fintech") and employees >= 200"#)
                == .and([
                    .oneOf(.field(.industry), [.text("Software"), .text("Fintech")], negated: false),
                    .comparison(.field(.employees), .greaterOrEqual, .integer(200)),
                ])
        )
        #expect(
            try parse(#"tag("webinar-2026") and not segment("existing-customers")"#)
                == .and([.tag("webinar-2026"), .not(.segment("existing-customers"))])
        )
        #expect(
            try parse(#"email is not null and company matches "*GmbH""#)
                == .and([.isNull(.field(.email), negated: true), .glob(.field(.company), "*GmbH")])
        )
    }

    // MARK: - Structure

    @Test func notBindsTighterThanAndTighterThanOr() throws {
        let a = Condition.comparison(.field(.country), .equal, .text("DE"))
        let b = Condition.comparison(.field(.score), .greater, .integer(5))
        let c = Condition.isNull(.field(.email), negated: false)
        #expect(try parse(#"country = "DE" or score > 5 and not email is null"#) == .or([a, .and([b, .not(c)])]))
        #expect(try parse(#"not country = "DE" and score > 5"#) == .and([.not(a), b]))
        #expect(try parse(#"(country = "DE" or score > 5) and email is null"#) == .and([.or([a, b]), c]))
    }

    @Test func chainsAreFlat() throws {
        #expect(try parse("true and false and true") == .and([.constant(true), .constant(false), .constant(true)]))
        #expect(try parse("true or false or true") == .or([.constant(true), .constant(false), .constant(true)]))
    }

    @Test func keywordsAndFieldNamesAreCaseInsensitive() throws {
        #expect(
            try parse(#"NOT Industry IN ("x") AnD Email IS NOT NULL Or TRUE"#)
                == .or([
                    .and([
                        .not(.oneOf(.field(.industry), [.text("x")], negated: false)),
                        .isNull(.field(.email), negated: true),
                    ]),
                    .constant(true),
                ])
        )
        #expect(try parse(#"Attr.Product_Interest = "x""#) == .comparison(.attribute("product_interest"), .equal, .text("x")))
    }

    @Test func literals() throws {
        #expect(try parse(#"company = 'O\'Brien \"x\" \\'"#) == .comparison(.field(.company), .equal, .text(#"O'Brien "x" \"#)))
        #expect(try parse("revenue >= -12.5") == .comparison(.field(.revenue), .greaterOrEqual, .decimal(-12.5)))
        #expect(try parse("employees != -3") == .comparison(.field(.employees), .notEqual, .integer(-3)))
        #expect(try parse("revenue < 1.5e6") == .comparison(.field(.revenue), .less, .decimal(1_500_000)))
        #expect(try parse(#"created_at >= "2026-01-01""#) == .comparison(.field(.createdAt), .greaterOrEqual, .time(1_767_225_600)))
        #expect(try parse(#"claimed_at < "2026-01-01T10:00:00Z""#) == .comparison(.field(.claimedAt), .less, .time(1_767_261_600)))
        #expect(try parse(#"claimed_at < "2026-01-01T12:00:00+02:00""#) == .comparison(.field(.claimedAt), .less, .time(1_767_261_600)))
        #expect(try parse(#"attr.seats > 10"#) == .comparison(.attribute("seats"), .greater, .integer(10)))
        #expect(try parse(#"attr.seats not in (1, "x")"#) == .oneOf(.attribute("seats"), [.integer(1), .text("x")], negated: true))
        #expect(try parse(#"tags contains "VIP""#) == .tag("VIP"))
        #expect(try parse("tags is null") == .isNull(.field(.tags), negated: false))
        #expect(try parse(#"status in ("Open", "qualified")"#) == .oneOf(.field(.status), [.text("Open"), .text("qualified")], negated: false))
        #expect(
            try parse("age_days >= 3 and held_days < 2 and idle_days = 0")
                == .and([
                    .comparison(.field(.ageDays), .greaterOrEqual, .integer(3)),
                    .comparison(.field(.heldDays), .less, .integer(2)),
                    .comparison(.field(.idleDays), .equal, .integer(0)),
                ])
        )
    }

    @Test func descriptionReadsBack() throws {
        let texts = [
            #"not (a_x = 1)"#.replacingOccurrences(of: "a_x", with: "attr.a_x"),
            #"(true or false) and not (tag("a\"b") or segment("s"))"#,
            #"created_at < "2026-01-01T10:00:00Z" and company contains "\\" and city matches "a?[*""#,
            "not not revenue <= 1e300",
        ]
        for text in texts {
            let condition = try parse(text)
            #expect(try parse(condition.description) == condition, "\(text) -> \(condition)")
        }
    }

    // MARK: - Errors

    @Test func unknownFieldNamesFileLineColumnAndSuggests() throws {
        let origin = ConditionOrigin("rules.yaml", line: 12, column: 19)
        let error = try #require(failure(#"industy = "Software""#, origin: origin))
        #expect(error.message.hasPrefix("rules.yaml:12:19: unknown field 'industy'"))
        #expect(error.hint == "did you mean 'industry'?")
        #expect(error.description.contains("did you mean 'industry'?"))
    }

    @Test func caretPointsAtTheProblemOnLaterLines() throws {
        let origin = ConditionOrigin("rules.yaml", line: 5, column: 11)
        let error = try #require(failure("score > 5 and\n    emplyees >= 200", origin: origin))
        let lines = error.message.components(separatedBy: "\n")
        #expect(lines[0] == "rules.yaml:6:5: unknown field 'emplyees'")
        #expect(lines[1] == "        emplyees >= 200")
        #expect(lines[2] == "        ^")
        #expect(error.hint == "did you mean 'employees'?")
    }

    @Test func caretOnTheFirstLineCountsFromTheText() throws {
        let error = try #require(failure(#"country = "DE" and region = 75"#))
        let lines = error.message.components(separatedBy: "\n")
        #expect(lines[0] == "--where:1:29: 'region' is text: quote the value")
        #expect(lines[2] == "    " + String(repeating: " ", count: 28) + "^")
        #expect(error.hint == #"write region = "75""#)
    }

    @Test func suggestsFunctionsAndSegments() throws {
        let function = try #require(failure(#"segmnt("emea")"#))
        #expect(function.message.contains("unknown function 'segmnt'"))
        #expect(function.hint == "did you mean 'segment'?")

        let segment = try #require(failure(#"segment("emae")"#, segments: ["emea", "apac"]))
        #expect(segment.message.hasPrefix("--where:1:9: unknown segment 'emae'"))
        #expect(segment.hint == "did you mean 'emea'?")
        #expect(try parse(#"segment("emea")"#, segments: ["emea"]) == .segment("emea"))
    }

    @Test(arguments: [
        (#"region = 75"#, "is text"),
        (#"employees >= "200""#, "is a number"),
        (#"status = "pending""#, "not a status"),
        (#"status contains "o""#, "status compares only"),
        (#"status > "open""#, "status compares only"),
        (#"created_at > 5"#, "is a time"),
        (#"created_at > "yesterday""#, "not an ISO date"),
        (#"created_at > "2026-02-30""#, "not an ISO date"),
        (#"tags = "x""#, "tags supports only"),
        (#"tags in ("x")"#, "tags supports only"),
        (#"employees contains "1""#, "needs a text field"),
        (#"created_at matches "2026*""#, "needs a text field"),
        (#"email = null"#, "null is not a value"),
        (#"country = DE"#, "expected a value"),
        (#"country in ()"#, "empty list"),
        (#"country not "DE""#, "expected 'in'"),
        (#"email is "x""#, "expected 'null'"),
        (#"country == "DE""#, "unexpected '=='"),
        (#"country = "DE"#, "unterminated string"),
        (#"country = "D\E""#, "unknown escape"),
        (#"(country = "DE""#, "expected ')'"),
        (#"country = "DE")"#, "unbalanced ')'"),
        (#"country = "DE" "FR""#, "expected 'and', 'or'"),
        (#"and true"#, "expected a condition"),
        (#""#, "expected a condition, found the end"),
        (#"attr. = "x""#, "invalid attribute name"),
        (#"attr.a-b = "x""#, "unexpected character '-'"),
        (#"country like "D%""#, "unknown operator 'like'"),
        (#"tag(5)"#, "takes one quoted name"),
        (#"score > 1e999"#, "too large"),
        (#"country = "DE" && true"#, "unexpected '&'"),
        (#"countryé = "x""#, "unexpected character"),
    ])
    func refusesWithAReason(_ text: String, reason: String) throws {
        let error = try #require(failure(text))
        #expect(error.message.contains(reason), "\(error.description)")
        #expect(error.message.hasPrefix("--where:"))
    }

    @Test func statusTypoIsSuggested() throws {
        let error = try #require(failure(#"status = "qualifed""#))
        #expect(error.hint?.hasPrefix("did you mean 'qualified'?") == true)
    }

    // MARK: - Pathological input

    @Test func nestingUpTo64IsAccepted() throws {
        let text = String(repeating: "(", count: 64) + "true" + String(repeating: ")", count: 64)
        #expect(try parse(text) == .constant(true))
    }

    @Test func deepNestingIsRefused() throws {
        let parens = String(repeating: "(", count: 65) + "true" + String(repeating: ")", count: 65)
        #expect(try #require(failure(parens)).message.contains("deeper than 64"))
        let nots = String(repeating: "not ", count: 10_000) + "true"
        #expect(try #require(failure(nots)).message.contains("deeper than 64"))
        let hostile = String(repeating: "(", count: 60_000)
        #expect(try #require(failure(hostile)).message.contains("deeper than 64"))
    }

    @Test func hugeTextIsRefused() throws {
        let text = Array(repeating: "true", count: 20_000).joined(separator: " or ")
        let error = try #require(failure(text))
        #expect(error.message.hasPrefix("--where:1:1: condition is longer than 64 KiB"))
    }

    @Test func longFlatChainsParseWithoutDeepening() throws {
        let text = Array(repeating: "score > 1", count: 4_000).joined(separator: " and ")
        guard case .and(let terms) = try parse(text) else {
            Issue.record("expected a flat and")
            return
        }
        #expect(terms.count == 4_000)
    }

    @Test func longLinesAreQuotedAsAWindow() throws {
        let text = String(repeating: "score > 1 and ", count: 1_000) + "bogus = 1"
        let error = try #require(failure(text))
        let lines = error.message.components(separatedBy: "\n")
        #expect(lines[1].count < 120)
        let caret = try #require(lines[2].firstIndex(of: "^"))
        let column = lines[2].distance(from: lines[2].startIndex, to: caret)
        let quoted = Array(lines[1])
        #expect(String(quoted[column..<(column + 5)]) == "bogus")
    }

    // MARK: - Segments

    @Test func referencedSegmentsInOrder() throws {
        let condition = try parse(#"segment("b") or (segment("a") and not segment("b"))"#)
        #expect(condition.referencedSegments == ["b", "a"])
    }

    @Test func segmentLoopIsNamed() throws {
        let segments: [String: Condition] = [
            "a": try parse(#"segment("b") and score > 1"#),
            "b": try parse(#"not segment("a")"#),
            "c": try parse("true"),
        ]
        #expect(
            throws: LeadPoolError.badInput(
                "segment loop: a -> b -> a",
                hint: "a segment may not refer to itself, directly or through others"
            )
        ) {
            try Condition.validateSegments(segments)
        }
        do {
            try Condition.validateSegments(["self": .segment("self")])
            Issue.record("expected a loop")
        } catch let error as LeadPoolError {
            #expect(error.message == "segment loop: self -> self")
        }
    }

    @Test func segmentsWithoutLoopsAreValid() throws {
        try Condition.validateSegments([
            "a": try parse(#"segment("b") and segment("c")"#),
            "b": try parse(#"segment("c")"#),
            "c": try parse("true"),
        ])
    }

    @Test func unknownSegmentReferenceIsSuggested() throws {
        do {
            try Condition.validateSegments(["emea": .constant(true), "top": .segment("emae")])
            Issue.record("expected an error")
        } catch let error as LeadPoolError {
            #expect(error.message == "segment 'top' refers to unknown segment 'emae'")
            #expect(error.hint == "did you mean 'emea'?")
        }
    }
}

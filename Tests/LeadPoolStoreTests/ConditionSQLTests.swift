import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage
import Testing

@testable import LeadPoolStore

@Suite struct ConditionSQLTests {
    static let nowSeconds: Int64 = 1_772_366_400  // 2026-03-01T12:00:00Z
    static let context = ConditionContext(
        now: Date(timeIntervalSince1970: TimeInterval(nowSeconds)),
        segments: [
            "big": .comparison(.field(.employees), .greaterOrEqual, .integer(500)),
            "german": .oneOf(.field(.country), [.text("de"), .text("AT")], negated: false),
            "combo": .and([.segment("big"), .not(.segment("german"))]),
        ]
    )

    static let texts = [
        "Acme", "acme", "ACME GmbH", "École", "école", "ÉCOLE", "Straße", "caf\u{E9}", "cafe\u{301}", "x[y]z",
        "50%_off", "", "a*b?c", "Software", "software", "FinTech", "DE", "de", "AT", "Ω", "日本", "zeta", "Bavaria",
        "O'Brien \"x\"", "back\\slash", "  padded ", "Z", "a", "ab", "abc",
    ]
    static let attributeValues = [
        "trial", "Trial", "12", "-3.5", "007", "1.", ".5", "abc", "12a", " 5", "", "-", "0.25", "1.2.3", "5-", "-0", "100",
    ]
    static let attributeNames = ["plan", "seats", "note", "missing"]
    static let tagPool = ["webinar-2026", "VIP", "vip-x", "Café", "ß", "a[b"]

    // MARK: - Random leads

    static func randomLeads(count: Int, using rng: inout SeededGenerator) -> [Lead] {
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { Bool.random(using: &rng) ? value() : nil }
        func text() -> String { texts.randomElement(using: &rng)! }
        func time(around base: Int64, days: Int64) -> Date {
            Date(timeIntervalSince1970: TimeInterval(base + Int64.random(in: -days * 86_400...days * 86_400, using: &rng)))
        }
        return (1...count).map { id in
            let createdAt = time(around: nowSeconds - 20 * 86_400, days: 25)
            let owner = maybe(["alice", "bob"].randomElement(using: &rng)!)
            var tags: [String] = []
            for tag in tagPool where Int.random(in: 0..<3, using: &rng) == 0 { tags.append(tag) }
            var attributes: [String: String] = [:]
            for name in attributeNames.dropLast() where Bool.random(using: &rng) {
                attributes[name] = attributeValues.randomElement(using: &rng)!
            }
            let company = text()
            return Lead(
                id: Int64(id),
                externalID: maybe("Ext-\(id)"),
                company: company.isEmpty ? "Co" : company,
                firstName: maybe(text()),
                lastName: maybe(text()),
                title: maybe(text()),
                email: maybe(text()),
                phone: maybe(text()),
                website: maybe(text()),
                domain: maybe(text()),
                country: maybe(text()),
                region: maybe(text()),
                city: maybe(text()),
                industry: maybe(text()),
                employees: maybe(Int64.random(in: 0...2_000, using: &rng)),
                revenue: maybe(Double(Int.random(in: -1_000...100_000, using: &rng)) / 4),
                source: maybe(text()),
                status: LeadStatus.allCases.randomElement(using: &rng)!,
                tags: Set(tags),
                score: Int.random(in: 0...100, using: &rng),
                tier: maybe(["A", "b", "C", "D"].randomElement(using: &rng)!),
                owner: owner,
                createdAt: createdAt,
                claimedAt: owner == nil ? nil : time(around: nowSeconds - 5 * 86_400, days: 6),
                lastActivityAt: maybe(time(around: nowSeconds - 5 * 86_400, days: 6)),
                attributes: attributes
            )
        }
    }

    // MARK: - Random conditions

    static func randomCondition(depth: Int, using rng: inout SeededGenerator) -> Condition {
        let structural = depth > 0 ? Int.random(in: 0..<10, using: &rng) : 9
        switch structural {
        case 0: return .and((0..<Int.random(in: 2...3, using: &rng)).map { _ in randomCondition(depth: depth - 1, using: &rng) })
        case 1: return .or((0..<Int.random(in: 2...3, using: &rng)).map { _ in randomCondition(depth: depth - 1, using: &rng) })
        case 2: return .not(randomCondition(depth: depth - 1, using: &rng))
        default: return randomPredicate(using: &rng)
        }
    }

    static func randomOperand(using rng: inout SeededGenerator) -> Condition.Operand {
        if Int.random(in: 0..<4, using: &rng) == 0 {
            return .attribute(attributeNames.randomElement(using: &rng)!)
        }
        return .field(LeadField.allCases.randomElement(using: &rng)!)
    }

    static func randomValue(for operand: Condition.Operand, using rng: inout SeededGenerator) -> Condition.Value {
        // Now and then a value of the wrong type, as hand-built conditions may hold.
        if Int.random(in: 0..<25, using: &rng) == 0 {
            return [.text("12"), .integer(12), .time(nowSeconds)].randomElement(using: &rng)!
        }
        func number(_ range: ClosedRange<Int64>) -> Condition.Value {
            Bool.random(using: &rng)
                ? .integer(Int64.random(in: range, using: &rng))
                : .decimal(Double(Int64.random(in: range.lowerBound * 4...range.upperBound * 4, using: &rng)) / 4)
        }
        switch operand {
        case .attribute:
            return Bool.random(using: &rng)
                ? .text(attributeValues.randomElement(using: &rng)!) : number(-5...120)
        case .field(let field):
            switch field {
            case .status:
                let status = LeadStatus.allCases.randomElement(using: &rng)!.rawValue
                return .text(Bool.random(using: &rng) ? status.uppercased() : status)
            case .tier: return .text(["a", "B", "c", "E"].randomElement(using: &rng)!)
            case .owner: return .text(["alice", "BOB", "carol"].randomElement(using: &rng)!)
            case .externalID: return .text("ext-\(Int.random(in: 1...300, using: &rng))")
            case .id: return number(0...300)
            case .employees: return number(0...2_000)
            case .revenue: return number(-250...25_000)
            case .score: return number(0...100)
            case .ageDays, .idleDays, .heldDays: return number(-1...45)
            case .createdAt, .claimedAt, .lastActivityAt:
                return .time(nowSeconds + Int64.random(in: -40 * 86_400...5 * 86_400, using: &rng))
            case .tags: return .text(tagPool.randomElement(using: &rng)!)
            default: return .text(texts.randomElement(using: &rng)!)
            }
        }
    }

    static func randomPattern(using rng: inout SeededGenerator) -> String {
        let pieces = ["*", "?", "[", "%", "_", "\\", "a", "É", "é", "ß", "acme", "ol", "GmbH", "\u{301}"]
        var pattern = ""
        for _ in 0..<Int.random(in: 0...4, using: &rng) { pattern += pieces.randomElement(using: &rng)! }
        return Bool.random(using: &rng) ? pattern : texts.randomElement(using: &rng)!
    }

    static func randomPredicate(using rng: inout SeededGenerator) -> Condition {
        let operand = randomOperand(using: &rng)
        switch Int.random(in: 0..<20, using: &rng) {
        case 0...6:
            return .comparison(
                operand,
                Condition.ComparisonOperator.allCases.randomElement(using: &rng)!,
                randomValue(for: operand, using: &rng)
            )
        case 7...9:
            let values = (0..<Int.random(in: 1...3, using: &rng)).map { _ in randomValue(for: operand, using: &rng) }
            return .oneOf(operand, values, negated: Bool.random(using: &rng))
        case 10, 11: return .isNull(operand, negated: Bool.random(using: &rng))
        case 12, 13:
            let needle =
                Bool.random(using: &rng)
                ? String(texts.randomElement(using: &rng)!.prefix(2)) : randomPattern(using: &rng)
            return .contains(operand, needle)
        case 14, 15: return .glob(operand, randomPattern(using: &rng))
        case 16, 17: return .tag(tagPool.randomElement(using: &rng)!.uppercased())
        case 18: return .segment(["big", "german", "combo"].randomElement(using: &rng)!)
        default: return .constant(Bool.random(using: &rng))
        }
    }

    // MARK: - Database

    static func database(with leads: [Lead]) throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in
            for migration in embeddedMigrations { try db.execute(sql: migration.sql) }
            for handle in ["alice", "bob"] {
                try db.execute(
                    sql: "INSERT INTO reps (handle, name, created_at) VALUES (?, ?, 0)",
                    arguments: [handle, handle]
                )
            }
            for lead in leads {
                let attrs =
                    lead.attributes.isEmpty
                    ? nil : String(decoding: try JSONEncoder().encode(lead.attributes), as: UTF8.self)
                func seconds(_ date: Date?) -> Int64? { date.map { Int64($0.timeIntervalSince1970) } }
                try db.execute(
                    sql: """
                        INSERT INTO leads (id, external_id, company, first_name, last_name, title, email, phone,
                            website, domain, country, region, city, industry, employees, revenue, source, status,
                            score, tier, owner, created_at, claimed_at, last_activity_at, attrs)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        lead.id, lead.externalID, lead.company, lead.firstName, lead.lastName, lead.title,
                        lead.email, lead.phone, lead.website, lead.domain, lead.country, lead.region, lead.city,
                        lead.industry, lead.employees, lead.revenue, lead.source, lead.status.rawValue,
                        lead.score, lead.tier, lead.owner, seconds(lead.createdAt), seconds(lead.claimedAt),
                        seconds(lead.lastActivityAt), attrs,
                    ]
                )
                for tag in lead.tags {
                    try db.execute(sql: "INSERT INTO lead_tags (lead_id, tag) VALUES (?, ?)", arguments: [lead.id, tag])
                }
            }
        }
        return queue
    }

    static func ids(matching condition: Condition, in db: Database) throws -> [Int64] {
        let compiled = try ConditionSQL(condition, in: context)
        return try Int64.fetchAll(
            db,
            sql: "SELECT id FROM leads WHERE \(compiled.sql) ORDER BY id",
            arguments: compiled.arguments
        )
    }

    // MARK: - Tests

    @Test(arguments: [1 as UInt64, 2026, 0xC0FFEE])
    func sqlAgreesWithInMemoryEvaluation(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let leads = Self.randomLeads(count: 300, using: &rng)
        let queue = try Self.database(with: leads)
        var nonTrivial = 0
        try queue.read { db in
            for _ in 0..<300 {
                let condition = Self.randomCondition(depth: 3, using: &rng)
                let expected = leads.filter { condition.matches($0, in: Self.context) }.map(\.id)
                let actual = try Self.ids(matching: condition, in: db)
                #expect(actual == expected, "seed \(seed): \(condition)")
                if !expected.isEmpty && expected.count < leads.count { nonTrivial += 1 }
            }
        }
        // The generator must exercise real selections, not only all-or-nothing.
        #expect(nonTrivial > 100)
    }

    @Test func everyFieldAndOperatorAgrees() throws {
        var rng = SeededGenerator(seed: 99)
        let leads = Self.randomLeads(count: 200, using: &rng)
        let queue = try Self.database(with: leads)
        try queue.read { db in
            for field in LeadField.allCases {
                let operand = Condition.Operand.field(field)
                for _ in 0..<20 {
                    let value = Self.randomValue(for: operand, using: &rng)
                    var conditions: [Condition] = Condition.ComparisonOperator.allCases.map {
                        .comparison(operand, $0, value)
                    }
                    conditions += [
                        .oneOf(operand, [value, Self.randomValue(for: operand, using: &rng)], negated: false),
                        .oneOf(operand, [value], negated: true),
                        .isNull(operand, negated: false), .isNull(operand, negated: true),
                        .contains(operand, Self.randomPattern(using: &rng)), .glob(operand, Self.randomPattern(using: &rng)),
                    ]
                    for condition in conditions {
                        let expected = leads.filter { condition.matches($0, in: Self.context) }.map(\.id)
                        let actual = try Self.ids(matching: condition, in: db)
                        #expect(actual == expected, "\(condition)")
                    }
                }
            }
        }
    }

    @Test func parsedConditionsAgree() throws {
        var rng = SeededGenerator(seed: 7)
        let leads = Self.randomLeads(count: 200, using: &rng)
        let queue = try Self.database(with: leads)
        let texts = [
            #"industry in ("Software", "FinTech") and employees >= 200"#,
            #"country = "DE" or region = "Bavaria""#,
            #"tag("webinar-2026") and not segment("combo")"#,
            #"score >= 60 and idle_days > 10 and attr.plan = "trial""#,
            #"email is not null and company matches "*GmbH""#,
            #"attr.seats > 10 or attr.seats <= -3.5 or attr.seats = 7"#,
            #"held_days >= 2 and age_days < 30 and created_at > "2026-02-10""#,
            #"city matches "?cole" or city matches "x[[]y]z" or title contains "%_""#,
        ]
        try queue.read { db in
            for text in texts {
                let condition = try Condition.parse(text, knownSegments: Set(Self.context.segments.keys))
                let expected = leads.filter { condition.matches($0, in: Self.context) }.map(\.id)
                #expect(try Self.ids(matching: condition, in: db) == expected, "\(text)")
            }
        }
    }

    @Test func valuesNeverReachTheSQLText() throws {
        let hostile = [#"x" or 1=1 --"#, "'); DROP TABLE leads; --", "' OR '1'='1", "$.plan\") --"]
        var rng = SeededGenerator(seed: 3)
        let leads = Self.randomLeads(count: 50, using: &rng)
        let queue = try Self.database(with: leads)
        try queue.read { db in
            for value in hostile {
                for condition: Condition in [
                    .comparison(.field(.company), .equal, .text(value)),
                    .oneOf(.field(.email), [.text(value)], negated: false),
                    .contains(.field(.city), value), .glob(.field(.title), value), .tag(value),
                    .comparison(.attribute("plan"), .equal, .text(value)),
                ] {
                    let compiled = try ConditionSQL(condition, in: Self.context)
                    #expect(!compiled.sql.contains(value))
                    #expect(!compiled.sql.contains("DROP"))
                    #expect(try Self.ids(matching: condition, in: db).isEmpty)
                }
                // Through the parser too.
                let parsed = try Condition.parse("company = " + Condition.Value.text(value).description)
                #expect(try Self.ids(matching: parsed, in: db).isEmpty)
            }
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM leads") == 50)
        }
    }

    @Test func compiledSQLBindsTheClockAndAttributePaths() throws {
        let condition = try Condition.parse(#"age_days > 3 and attr.plan = "Trial""#)
        let compiled = try ConditionSQL(condition, in: Self.context)
        #expect(!compiled.sql.contains("1772366400"))
        #expect(!compiled.sql.contains("plan"))
        #expect(compiled.arguments == [Self.nowSeconds, 3, "$.\"plan\"", "trial"])
    }

    @Test func unknownAndLoopingSegmentsAreRefused() throws {
        #expect(throws: LeadPoolError.notFound("no segment named 'nowhere'")) {
            try ConditionSQL(.segment("nowhere"), in: Self.context)
        }
        let looping = ConditionContext(now: Date(), segments: ["a": .segment("b"), "b": .segment("a")])
        #expect(throws: LeadPoolError.badInput("segment loop: a -> b -> a")) {
            try ConditionSQL(.segment("a"), in: looping)
        }
    }
}

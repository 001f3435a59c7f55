import Foundation
import LeadPoolCore
import Testing

@Suite struct ConditionEvaluatorTests {
    /// 2026-03-01T12:00:00Z, with a fraction the context must drop.
    let now = Date(timeIntervalSince1970: 1_772_366_400.75)
    let day: TimeInterval = 86_400

    private func lead(_ configure: (inout Lead) -> Void = { _ in }) -> Lead {
        var lead = Lead(
            id: 7,
            company: "ACME GmbH",
            email: nil,
            country: "DE",
            region: "Bavaria",
            industry: "Software",
            employees: 250,
            revenue: 1_500_000.5,
            status: .open,
            tags: ["Webinar-2026", "VIP"],
            score: 72,
            tier: "A",
            createdAt: Date(timeIntervalSince1970: 1_772_366_400 - 10 * 86_400),
            attributes: ["plan": "Trial", "seats": "12", "ratio": "-0.5", "code": "12a"]
        )
        configure(&lead)
        return lead
    }

    private func holds(_ text: String, for lead: Lead, segments: [String: Condition] = [:]) throws -> Bool {
        try Condition.parse(text).matches(lead, in: ConditionContext(now: now, segments: segments))
    }

    @Test func specExamplesEvaluate() throws {
        let lead = lead()
        #expect(try holds(#"industry in ("Software", "Fintech") and employees >= 200"#, for: lead))
        #expect(try holds(#"country = "de" or region = "Bavaria""#, for: lead))
        #expect(try holds(#"tag("webinar-2026") and not segment("existing-customers")"#, for: lead))
        #expect(try holds(#"score >= 60 and idle_days > 9 and attr.plan = "trial""#, for: lead))
        #expect(try !holds(#"email is not null and company matches "*GmbH""#, for: lead))
        #expect(try holds(#"email is null and company matches "*gmbh""#, for: lead))
    }

    @Test func nullFieldsFailEveryPredicateButNotNegation() throws {
        let lead = lead()
        #expect(try !holds(#"email = "x""#, for: lead))
        #expect(try !holds(#"email != "x""#, for: lead))
        #expect(try !holds(#"email not in ("x")"#, for: lead))
        #expect(try !holds(#"email contains """#, for: lead))
        #expect(try !holds(#"email matches "*""#, for: lead))
        #expect(try !holds(#"attr.missing != "x""#, for: lead))
        #expect(try holds(#"not email = "x""#, for: lead))
        #expect(try holds(#"not email in ("x")"#, for: lead))
        #expect(try holds(#"attr.missing is null and attr.plan is not null"#, for: lead))
    }

    @Test func textFoldsASCIIOnly() throws {
        let lead = lead {
            $0.city = "École"
            $0.title = "café"
        }
        #expect(try holds(#"company = "acme gmbh""#, for: lead))
        #expect(try holds(#"city = "ÉCOLE""#, for: lead))
        #expect(try !holds(#"city = "école""#, for: lead))
        // Byte equality, not Unicode equivalence: e + combining acute is not é.
        #expect(try !holds("title = \"cafe\u{301}\"", for: lead))
        #expect(try holds(#"title contains "AF""#, for: lead))
    }

    @Test func orderingComparesFoldedBytes() throws {
        let lead = lead()
        #expect(try holds(#"company > "acme""#, for: lead))
        #expect(try holds(#"company < "ACMF""#, for: lead))
        #expect(try holds(#"region < "Ä""#, for: lead))  // any non-ASCII byte sorts after ASCII
        #expect(try holds(#"region >= "BAVARIA" and region <= "bavaria""#, for: lead))
    }

    @Test func globWildcardsAndLiterals() throws {
        let lead = lead {
            $0.city = "Zü[rich]*"
            $0.title = "50%_off"
        }
        #expect(try holds(#"city matches "z?[rich]*""#, for: lead))
        #expect(try holds(#"city matches "*[*""#, for: lead))
        #expect(try !holds(#"city matches "z?""#, for: lead))
        #expect(try holds(#"title matches "50%_OFF""#, for: lead))
        #expect(try !holds(#"title matches "50%%off""#, for: lead))
        #expect(try holds(#"title matches "*""#, for: lead))
        #expect(try holds(#"title matches "?????*""#, for: lead))
        #expect(try !holds(#"title matches "????????""#, for: lead))
    }

    @Test func attributesCompareAsTextOrNumber() throws {
        let lead = lead()
        #expect(try holds("attr.seats > 9 and attr.seats = 12.0 and attr.seats < 100", for: lead))
        #expect(try holds(#"attr.seats < "9""#, for: lead))  // text order: "12" < "9"
        #expect(try holds("attr.ratio < 0 and attr.ratio = -0.5", for: lead))
        #expect(try !holds("attr.code = 12", for: lead))
        #expect(try !holds("attr.code != 12", for: lead))
        #expect(try !holds("attr.plan > 0", for: lead))
        #expect(try holds(#"attr.seats in (5, "12")"#, for: lead))
        #expect(try !holds(#"attr.code not in (5, "x")"#, for: lead))
        #expect(try holds(#"attr.plan not in ("x", "y")"#, for: lead))
    }

    @Test func numbersCompareExactlyAcrossIntegerAndDecimal() throws {
        let lead = lead { $0.employees = 9_007_199_254_740_993 }
        #expect(try holds("employees > 9007199254740992.0", for: lead))
        #expect(try holds("employees < 9007199254740993.5", for: lead))
        #expect(try holds("revenue > 1500000 and revenue < 1500001 and revenue = 1500000.5", for: lead))
    }

    @Test func clockFields() throws {
        let lead = lead {
            $0.owner = "alice"
            $0.claimedAt = Date(timeIntervalSince1970: 1_772_366_400 - 3 * 86_400 - 1)
            $0.lastActivityAt = Date(timeIntervalSince1970: 1_772_366_400 - 86_400)
        }
        #expect(try holds("age_days = 10 and held_days = 3 and idle_days = 1", for: lead))
        #expect(try holds(#"created_at < "2026-02-20" and created_at >= "2026-02-19T12:00:00Z""#, for: lead))
        #expect(try holds(#"last_activity_at in ("2026-02-28T12:00:00Z")"#, for: lead))
        let pooled = self.lead()
        #expect(try !holds("held_days >= 0", for: pooled))
        #expect(try holds("held_days is null and idle_days = 10", for: pooled))
        let future = self.lead { $0.createdAt = Date(timeIntervalSince1970: 1_772_366_400 + 5 * 86_400) }
        #expect(try holds("age_days = 0 and idle_days = 0", for: future))
    }

    @Test func contextDropsFractionalSeconds() {
        #expect(ConditionContext(now: now).nowSeconds == 1_772_366_400)
        #expect(ConditionContext(now: now).now == Date(timeIntervalSince1970: 1_772_366_400))
    }

    @Test func tagsAreACaseInsensitiveSet() throws {
        let lead = lead()
        #expect(try holds(#"tag("vip") and tags contains "WEBINAR-2026" and tags is not null"#, for: lead))
        #expect(try !holds(#"tag("vi")"#, for: lead))
        #expect(try holds("tags is null", for: self.lead { $0.tags = [] }))
    }

    @Test func statusCompares() throws {
        #expect(try holds(#"status = "OPEN" and status not in ("qualified")"#, for: lead()))
    }

    @Test func segmentsResolveThroughTheContext() throws {
        let segments: [String: Condition] = [
            "big": try Condition.parse("employees >= 200"),
            "german-big": try Condition.parse(#"segment("big") and country = "DE""#),
        ]
        #expect(try holds(#"segment("german-big")"#, for: lead(), segments: segments))
        #expect(try !holds(#"segment("german-big")"#, for: lead { $0.employees = 5 }, segments: segments))
        #expect(try !holds(#"segment("nowhere")"#, for: lead(), segments: segments))
        // An unvalidated loop ends instead of recursing forever.
        let loop: [String: Condition] = ["a": .segment("b"), "b": .segment("a")]
        #expect(try !holds(#"segment("a")"#, for: lead(), segments: loop))
    }
}

import Testing

@testable import LeadPoolCore

@Suite struct IntakeValueTests {
    @Test(arguments: [("250", 250), ("1,200", 1200), ("1.200", 1200), ("1 200", 1200), ("1200.0", 1200), ("0", 0)] as [(String, Int64)])
    func employeesAcceptsWholeNumbers(text: String, expected: Int64) throws {
        #expect(try IntakeValue.employees(text).get() == expected)
    }

    @Test(arguments: ["12.5", "many", "-3", "51-200", "1,20", "", "1e3", "1.5k5"])
    func employeesRefusesTheRest(text: String) {
        #expect(throws: IntakeValue.Invalid.self) { try IntakeValue.employees(text).get() }
    }

    @Test(
        arguments: [
            ("1200000", 1_200_000), ("1,200,000.50", 1_200_000.5), ("1.200.000,50", 1_200_000.5),
            ("$1.2M", 1_200_000), ("€ 850k", 850_000), ("3.5 bn", 3_500_000_000), ("1.2E6", 1_200_000),
            ("12,5", 12.5), ("1,200", 1200), ("USD 2,000", 2000), ("99.99", 99.99),
        ] as [(String, Double)]
    )
    func revenueAcceptsAmounts(text: String, expected: Double) throws {
        #expect(try IntakeValue.revenue(text).get() == expected)
    }

    @Test(arguments: ["lots", "-5", "1,2,3", "12abc", "$", "1.2.3,4,5"])
    func revenueRefusesGarbage(text: String) {
        #expect(throws: IntakeValue.Invalid.self) { try IntakeValue.revenue(text).get() }
    }

    @Test func emailShape() {
        for good in ["a@b.co", "first.last+tag@sub.example.com", "ÄÖ@müller.de"] { #expect(IntakeValue.isEmail(good), "\(good)") }
        for bad in ["bob@", "@x.com", "a@b", "a b@c.com", "a@@b.com", "a@b.com,c@d.com", "a@.com", "a@b.", "a@b..com", "a@b\u{A0}.com"] {
            #expect(!IntakeValue.isEmail(bad), "\(bad)")
        }
        #expect(IntakeValue.normalizedEmail("  Anna.Mueller@ACME.de ") == "anna.mueller@acme.de")
    }

    @Test(arguments: [
        ("https://www.Example.com:8080/about?x=1", "example.com"), ("example.co.uk/", "example.co.uk"),
        ("http://user@shop.example.org#top", "shop.example.org"), ("www.acme.io.", "acme.io"),
        ("//cdn.acme.com/x", "cdn.acme.com"), ("https://bücher.de", "bücher.de"),
    ])
    func domainFromWebsite(website: String, expected: String) {
        #expect(IntakeValue.domain(fromWebsite: website) == expected)
    }

    @Test func noDomainFromNonsenseWebsite() {
        for text in ["n/a", "localhost", "-", "http://", "acme"] { #expect(IntakeValue.domain(fromWebsite: text) == nil, "\(text)") }
    }

    @Test func domainFromEmailSkipsFreeMail() {
        #expect(IntakeValue.domain(fromEmail: "anna@Acme-Analytics.DE") == "acme-analytics.de")
        for free in [
            "x@gmail.com", "x@googlemail.com", "x@yahoo.co.uk", "x@hotmail.de", "x@gmx.net", "x@web.de",
            "x@icloud.com", "x@proton.me", "x@protonmail.com", "x@qq.com", "x@163.com", "x@naver.com",
            "x@mail.ru", "x@yandex.ru", "x@outlook.com", "x@t-online.de",
        ] {
            #expect(IntakeValue.domain(fromEmail: free) == nil, "\(free)")
        }
        #expect(IntakeValue.domain(fromEmail: "x@live.example.com") == "live.example.com")
        #expect(FreeMail.isFreeMail(domain: "yahoo.com"))
        #expect(!FreeMail.isFreeMail(domain: "orange.com"))
    }

    @Test(arguments: [
        ("Germany", "DE"), ("Deutschland", "DE"), ("allemagne", "DE"), ("United States", "US"), ("USA", "US"),
        ("U.S.", "US"), ("United Kingdom", "GB"), ("UK", "GB"), ("Great Britain", "GB"), ("Österreich", "AT"),
        ("États-Unis", "US"), ("Schweiz", "CH"), ("Niederlande", "NL"), ("de", "DE"), ("gb", "GB"), ("DEU", "DE"),
        ("Atlantis", "Atlantis"), ("Bavaria Free State", "Bavaria Free State"), ("xx", "xx"),
    ])
    func countryNormalization(text: String, expected: String) {
        #expect(CountryName.normalize(text) == expected)
    }

    @Test(
        arguments: [
            ("51-200", 51), ("51 - 200", 51), ("51–200", 51), ("10001+", 10001), ("10,001+", 10001), ("1,000-5,000", 1000),
            ("11 to 50", 11), ("5K+", 5000), ("1 bis 10", 1),
        ] as [(String, Int64)]
    )
    func employeeRangesGiveTheirLowerBound(text: String, expected: Int64) {
        #expect(IntakeValue.rangeLowerBound(text, IntakeValue.employees) == expected)
    }

    @Test(arguments: [("$10M - $50M", 10_000_000), ("€1M–€5M", 1_000_000), ("$1B+", 1_000_000_000), ("100k-500k", 100_000)] as [(String, Double)])
    func revenueRangesGiveTheirLowerBound(text: String, expected: Double) {
        #expect(IntakeValue.rangeLowerBound(text, IntakeValue.revenue) == expected)
    }

    @Test(arguments: ["-5", "many-more", "51-", "+", "x+", "12.5"])
    func notRanges(text: String) {
        #expect(IntakeValue.rangeLowerBound(text, IntakeValue.employees) == nil)
    }

    @Test(arguments: [("5K", 5000), ("1.5k", 1500), ("2M", 2_000_000)] as [(String, Int64)])
    func employeesWithASuffix(text: String, expected: Int64) throws {
        #expect(try IntakeValue.employees(text).get() == expected)
    }

    @Test(
        arguments: [("$5 million", 5_000_000), ("12,5 Mio. €", 12_500_000), ("R$ 90M", 90_000_000), ("3 billion", 3e9), ("5万", 50_000)]
            as [(String, Double)]
    )
    func revenueWithWords(text: String, expected: Double) throws {
        #expect(try IntakeValue.revenue(text).get() == expected)
    }

    @Test func tagsSplitOnSemicolonOrCommaWithoutDuplicates() {
        #expect(IntakeValue.tags(" purchased; Wine ,wine,, x ") == ["purchased", "Wine", "x"])
    }

    @Test func trimmingIncludesNoBreakSpace() {
        #expect(IntakeValue.trimmed("\u{A0} Acme \t") == "Acme")
        #expect(IntakeValue.trimmed("   ") == nil)
    }
}

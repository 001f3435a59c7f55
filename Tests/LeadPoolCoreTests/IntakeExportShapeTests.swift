import Foundation
import Testing

@testable import LeadPoolCore

/// Exports of every CRM the SPEC names, shaped after each vendor's documented field list,
/// import with no --map and fill the fields their owners expect.
@Suite struct IntakeExportShapeTests {
    func drafts(_ name: String) throws -> [LeadDraft] {
        let (_, drafts, problems) = try importFile(fixturePath(name))
        #expect(problems.isEmpty, "\(problems)")
        return drafts
    }

    @Test func salesforceAccountsTakeTheBillingCountryAndTheirName() throws {
        let drafts = try drafts("salesforce-accounts.csv")
        #expect(drafts.map(\.company) == ["Contoso Pharmaceuticals", "Fourth Coffee", "Litware Inc."])
        #expect(drafts.map(\.externalID) == ["0015e00000XyZaAAAB", "0015e00000XyZbAAAB", "0015e00000XyZcAAAB"])
        // BillingCountry, else BillingCountryCode, else ShippingCountry: each row's best address.
        #expect(drafts.map(\.country) == ["DE", "EC", "QA"])
        #expect(drafts.map(\.city) == ["Hamburg", "Quito", "Doha"])
        #expect(drafts[0].region == "Hamburg")
        #expect(drafts[0].attributes["shippingcountry"] == "Switzerland")
        #expect(drafts[0].attributes["billingcountrycode"] == "DE")
        #expect(drafts[0].source == "Partner Referral")
        #expect(drafts[0].employees == 800)
    }

    @Test func salesforceContactsTakeTheAccountNameAndMailingAddress() throws {
        let drafts = try drafts("salesforce-contacts.csv")
        #expect(drafts.map(\.company) == ["Contoso Pharmaceuticals", "Fourth Coffee"])
        #expect(drafts.map(\.firstName) == ["Eva", "Diego"])
        #expect(drafts.map(\.country) == ["DE", "EC"])  // MailingCountry, else MailingCountryCode
        #expect(drafts[0].phone == "+49 170 5550101" && drafts[0].attributes["mobilephone"] == "+49 170 5550101")
        #expect(drafts[0].attributes["name"] == "Eva Lang")
    }

    @Test func suiteCRMAddressColumnsFillCountryRegionCity() throws {
        let accounts = try drafts("suitecrm-accounts.csv")
        #expect(accounts.map(\.company) == ["Adatum Corporation", "Proseware Oy"])
        #expect(accounts.map(\.country) == ["DK", "FI"])
        #expect(accounts.map(\.city) == ["København", "Helsinki"])
        #expect(accounts[0].phone == "+45 33 55 01 00")
        let leads = try drafts("suitecrm-leads.csv")
        #expect(leads.map(\.company) == ["Northwind Polska", "Blue Sky Trading"])
        #expect(leads.map(\.country) == ["PL", "AE"])
        #expect(leads.map(\.region) == ["małopolskie", nil])
        #expect(leads.map(\.email) == ["lena.nowak@northwind.pl", "ahmed@bluesky.ae"])
        #expect(leads[0].phone == "+48 600 100 200" && leads[0].attributes["mobile"] == "+48 600 100 200")
    }

    @Test func odooLeadsUsePartnerNameContactNameEmailFromCountryID() throws {
        let drafts = try drafts("odoo-crm-lead.csv")
        #expect(drafts.map(\.company) == ["Gemini Furniture", "Ready Mat"])
        #expect(drafts.map(\.firstName) == ["Edwin", "Ana"])
        #expect(drafts.map(\.lastName) == ["Hansen", "Lima"])
        #expect(drafts.map(\.email) == ["edwin.hansen@gemini-furniture.be", "ana@readymat.pt"])
        #expect(drafts.map(\.country) == ["BE", "PT"])
        #expect(drafts.map(\.region) == ["Bruxelles", "Lisboa"])
        #expect(drafts.map(\.title) == ["Purchasing Manager", "CEO"])
        #expect(drafts[0].tags == ["Product", "Design"])
        #expect(drafts[0].source == "Newsletter")
        #expect(drafts[0].attributes["name"] == "Website redesign")  // the lead's title, not the company
        #expect(drafts[1].phone == "+351 912 345 678")  // no phone in that row: the mobile column stands in
        #expect(drafts[1].attributes["mobile"] == "+351 912 345 678")
    }

    @Test func zohoLeadsImportWithRecordIDAndEmployees() throws {
        let drafts = try drafts("zoho-leads.csv")
        #expect(drafts.map(\.externalID) == ["zcrm_4876876000000411001", "zcrm_4876876000000411002"])
        #expect(drafts.map(\.country) == ["US", "IT"])
        #expect(drafts.map(\.employees) == [10, 1200])
        #expect(drafts.map(\.revenue) == [100_000, 2_500_000])
        #expect(drafts[1].attributes["secondary_email"] == "c.batman@gmail.com")
        #expect(drafts[1].attributes["mobile"] == "+39 333 555 0101")
    }

    @Test func pipedriveDynamicsCreatioAndGoogleStyleHeaders() throws {
        let people = try drafts("pipedrive-people.csv")
        #expect(people.map(\.company) == ["Fjord Analytics AS", "Chai Systems"])
        #expect(people.map(\.email) == ["jonas.berg@fjord-analytics.no", "priya@chai-systems.in"])
        #expect(people.map(\.phone) == ["+47 22 55 01 00", nil])
        #expect(people.map(\.country) == ["NO", "IN"])
        #expect(people.map(\.firstName) == ["Jonas", "Priya"])
        #expect(people.map(\.externalID) == ["101", "102"])

        let dynamics = try drafts("dynamics-leads.csv")
        #expect(dynamics.first?.externalID == "5c1e2f3a-0000-4000-8000-000000000001")
        #expect(dynamics.first?.company == "Fabrikam Brasil")
        #expect(dynamics.first?.country == "BR")
        #expect(dynamics.first?.employees == 2500)
        #expect(dynamics.first?.attributes["topic"] == "Interested in ERP")

        let creatio = try drafts("creatio-contacts.csv")
        #expect(creatio.first?.company == "Sol y Sombra SL")
        #expect(creatio.first?.firstName == "Mateo" && creatio.first?.lastName == "García López")
        #expect(creatio.first?.country == "ES")
        #expect(creatio.first?.phone == "+34 91 555 0100")
    }

    @Test func marketingListRangesGiveLowerBoundsAndAreKeptWhole() throws {
        let drafts = try drafts("marketing-list.csv")
        #expect(drafts.map(\.company) == ["Trattoria Digitale", "Hikari KK", "Hanbit Co", "Harbour Labs"])
        #expect(drafts.map(\.country) == ["IT", "JP", "KR", "HK"])
        #expect(drafts.map(\.city) == ["Milano", "Tokyo", "Seoul", "Hong Kong"])
        #expect(drafts.map(\.employees) == [51, 10001, 5000, 11])
        #expect(drafts.map { $0.attributes["employees_range"] } == ["51-200", "10001+", nil, "11-50"])
        #expect(drafts.map(\.revenue) == [10_000_000, 5_000_000, nil, nil])
        #expect(drafts.map { $0.attributes["revenue_range"] } == ["$10M - $50M", nil, nil, nil])
        #expect(drafts[0].domain == "trattoria-digitale.it")
        #expect(drafts[0].attributes["linkedin_url"] == "https://www.linkedin.com/in/sofiarossi")
    }

    @Test func germanAndChineseHeadedLists() throws {
        let german = try drafts("german-list.csv")
        #expect(german.map(\.company) == ["Müller & Söhne GmbH", "Alpenblick AG"])
        #expect(german.map(\.email) == ["k.mueller@mueller-soehne.de", "s.huber@alpenblick.at"])
        #expect(german.map(\.phone) == ["+49 711 555010", "+43 664 5550101"])  // Handy stands in for an empty Telefonnummer
        #expect(german.map(\.country) == ["DE", "AT"])
        #expect(german.map(\.city) == ["Stuttgart", "Wien"])
        #expect(german.map(\.employees) == [120, 1200])
        #expect(german[0].title == "Geschäftsführer" && german[0].industry == "Maschinenbau" && german[0].source == "Messe")

        let chinese = try drafts("chinese-list.csv")
        #expect(chinese.map(\.company) == ["上海云图科技有限公司", "深圳海岸电子有限公司"])
        #expect(chinese.map(\.lastName) == ["王伟", "李娜"])
        #expect(chinese.map(\.phone) == ["13800138000", "13900139000"])  // 手机 is the only phone column
        #expect(chinese.map(\.email) == ["wang.wei@yuntu-tech.cn", "lina@haian-elec.cn"])
        #expect(chinese.map(\.country) == ["CN", "CN"])
        #expect(chinese.map(\.title) == ["销售总监", "采购经理"])
        #expect(chinese.map(\.employees) == [200, 1500])
    }

    @Test(arguments: [
        ("BillingCountry", "country"), ("Billing Country", "country"), ("Primary Address Country", "country"),
        ("Company Country", "country"), ("address1_country", "country"), ("MailingCountryCode", "country"),
        ("Shipping State", "region"), ("Primary Address City", "city"), ("Société", "company"), ("Empresa", "company"),
        ("Company / Account", "company"), ("Organization - Name", "company"), ("Person - Email", "email"),
        ("Email 1", "email"), ("Phone 1", "phone"), ("Record ID - Contact", "external_id"), ("Prospect ID", "external_id"),
        ("Revenue (USD)", "revenue"), ("公司名称", "company"), ("手机", "phone"), ("邮箱", "email"), ("email_from", "email"),
        ("country_id", "country"), ("MobilePhone", "phone"), ("Prénom", "first_name"), ("Téléphone", "phone"),
        ("Correo electrónico", "email"), ("Achternaam", "last_name"), ("Województwo", "region"), ("Imię", "first_name"),
    ])
    func aliasesOfRealExports(header: String, field: String) throws {
        let map = try HeaderMap(header: field == "company" ? [header] : [header, "Account Name"])
        #expect(map.columns[0].target.description == field, "\(header)")
    }

    @Test func billingBeatsShippingAndANameBeatsACode() throws {
        let map = try HeaderMap(header: ["Name", "ShippingCountry", "BillingCountryCode", "BillingCountry", "OtherCity", "MailingCity"])
        #expect(
            map.columns.map(\.target.description) == [
                "company", "attr.shippingcountry", "attr.billingcountrycode", "country", "attr.othercity", "city",
            ]
        )
        let plain = try HeaderMap(header: ["Company", "Country", "BillingCountry"])
        #expect(plain.columns.map(\.target.description) == ["company", "country", "attr.billingcountry"])
    }
}

@Suite struct CountryNameTests {
    /// Every ISO 3166-1 country by alpha-2, alpha-3 and English name, as the iso-codes list writes them.
    @Test func everyISOCountryByCodeAndName() throws {
        let text = try String(contentsOfFile: fixturePath("iso-3166-1.csv"), encoding: .utf8)
        var count = 0
        for line in text.split(separator: "\n").dropFirst() {
            let parts = line.split(separator: ";").map(String.init)
            let (alpha2, alpha3, name) = (parts[0], parts[1], parts[2])
            #expect(CountryName.isoCode(for: alpha2) == alpha2)
            #expect(CountryName.isoCode(for: alpha2.lowercased()) == alpha2)
            #expect(CountryName.isoCode(for: alpha3) == alpha2, "\(alpha3)")
            #expect(CountryName.isoCode(for: name) == alpha2, "\(name)")
            count += 1
        }
        #expect(count == 249)
    }

    @Test(arguments: [
        ("Ecuador", "EC"), ("Qatar", "QA"), ("Korea, Republic of", "KR"), ("South Korea", "KR"), ("Hong Kong SAR", "HK"),
        ("Danmark", "DK"), ("Suomi", "FI"), ("Deutschland", "DE"), ("España", "ES"), ("Espana", "ES"), ("中国", "CN"),
        ("Polska", "PL"), ("Sverige", "SE"), ("Nederland", "NL"), ("Schweiz", "CH"), ("Österreich", "AT"),
        ("Oesterreich", "AT"), ("日本", "JP"), ("대한민국", "KR"), ("Россия", "RU"), ("Türkiye", "TR"), ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"), ("Czechia", "CZ"), ("Viet Nam", "VN"), ("U.S.", "US"), ("UK", "GB"), ("Kosovo", "XK"),
        ("Niederlande", "NL"), ("États-Unis", "US"), ("Großbritannien", "GB"), ("Brasil", "BR"), ("Italia", "IT"),
        ("Norge", "NO"), ("中华人民共和国", "CN"), ("Taiwan", "TW"), ("Russia", "RU"), ("Iran", "IR"), ("Bolivia", "BO"),
    ])
    func namesPeopleWrite(text: String, expected: String) {
        #expect(CountryName.isoCode(for: text) == expected)
    }

    @Test func unrecognisedValuesAreKeptAndCounted() throws {
        let r = try reader("Company,Country\nA,Atlantis\nB,ZZ\nC,Ecuador\n")
        let map = try HeaderMap(reader: r)
        let drafts = try records(r).compactMap { record -> LeadDraft? in
            if case .draft(let draft) = map.draft(from: record) { return draft }
            return nil
        }
        #expect(drafts.map(\.country) == ["Atlantis", "ZZ", "EC"])
        #expect(drafts.map(\.countryUnrecognised) == [true, true, false])
    }
}

/// HubSpot writes some headers twice (a contact's and its company's `Phone Number`).
@Suite struct RepeatedHeaderTests {
    @Test func theSecondOccurrenceBecomesAnAttributeWithASuffix() throws {
        let (map, drafts, problems) = try importFile(fixturePath("hubspot-contacts-repeated.csv"))
        #expect(problems.isEmpty)
        #expect(map.columns.map(\.name).suffix(2) == ["Phone Number#2", "Country/Region#2"])
        #expect(drafts.map(\.phone) == ["+49 30 555 0100", nil])
        #expect(drafts.map { $0.attributes["phone_number_2"] } == ["+49 30 555 0199", "+44 20 5550 0101"])
        #expect(drafts.map(\.country) == ["DE", "GB"])
        #expect(drafts.map { $0.attributes["country_region_2"] } == ["DE", "GB"])
        #expect(drafts.map(\.externalID) == ["701", "702"])
        #expect(drafts.map { $0.attributes["record_id_company"] } == ["9101", "9102"])
    }

    @Test func headerHashNAddressesTheNthOccurrence() throws {
        let second = try importFile(
            fixturePath("hubspot-contacts-repeated.csv"),
            overrides: [ColumnOverride(parsing: "Phone Number#2=phone")]
        )
        #expect(second.drafts.map(\.phone) == ["+49 30 555 0199", "+44 20 5550 0101"])
        #expect(second.drafts.map { $0.attributes["phone_number"] } == ["+49 30 555 0100", nil])
        let dropFirst = try importFile(
            fixturePath("hubspot-contacts-repeated.csv"),
            overrides: [ColumnOverride(parsing: "Phone Number=-")]
        )
        #expect(dropFirst.drafts.map(\.phone) == [nil, nil])
        #expect(dropFirst.drafts.map { $0.attributes["phone_number_2"] } == ["+49 30 555 0199", "+44 20 5550 0101"])
        let typo = error { _ = try HeaderMap(header: ["Company", "Phone", "Phone"], overrides: [ColumnOverride(parsing: "Phone#3=-")]) }
        #expect(typo?.kind == .usage)
        #expect(typo?.hint?.contains("Phone#2") == true)
    }

    @Test func everyClashIsReportedAtOnce() throws {
        let thrown = error { _ = try HeaderMap(header: ["Company", "Email", "E-mail", "Phone", "Telephone"]) }
        #expect(thrown?.kind == .badInput)
        #expect(thrown?.message.contains("\"Email\" (column 2) and \"E-mail\" (column 3) both map to email") == true)
        #expect(thrown?.message.contains("\"Phone\" (column 4) and \"Telephone\" (column 5) both map to phone") == true)
        #expect(thrown?.hint?.contains("--map \"E-mail=-\" --map \"Telephone=-\"") == true)
    }
}

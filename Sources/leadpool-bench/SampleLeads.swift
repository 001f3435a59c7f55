import Foundation

/// A deterministic pseudo-random generator (SplitMix64): the same seed gives the same data set
/// on every machine, so figures from two runs compare the same work.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One generated lead: the CSV cells as an export would write them, and the values leadpool
/// stores for them (normalized), which the raw-SQLite floor writes without parsing anything.
struct SampleLead {
    /// The strongest key a row has: what a generated duplicate copies to match it.
    enum Key {
        case externalID(String)
        case email(String)
        case domain(String)
    }

    var externalID: String?
    var company: String
    var firstName: String
    var lastName: String
    var title: String
    var email: String?
    var phone: String
    var website: String?
    /// The country as the file writes it (a name or a code) and as stored (ISO code).
    var countryCell: String
    var country: String
    var region: String?
    var city: String
    var industry: String
    var employeesCell: String?
    var employees: Int64?
    var revenueCell: String?
    var revenue: Double?
    var source: String
    var productInterest: String?
    var campaign: String?
    /// Stored values derived from the cells.
    var emailNorm: String?
    var domain: String?

    var key: Key? {
        if let externalID { return .externalID(externalID) }
        if let emailNorm { return .email(emailNorm) }
        if let domain { return .domain(domain) }
        return nil
    }

    /// The `attrs` JSON leadpool stores: keys sorted, empty cells left out.
    var attributesJSON: String? {
        var parts: [String] = []
        if let campaign { parts.append("\"campaign\":\"\(campaign)\"") }
        if let productInterest { parts.append("\"product_interest\":\"\(productInterest)\"") }
        return parts.isEmpty ? nil : "{" + parts.joined(separator: ",") + "}"
    }
}

/// Realistic leads for the benchmark: varied companies, countries, industries, sizes, emails
/// and websites, in the shapes CRM exports write them, with a share of duplicates (same
/// external id, same email in another case, same website) against earlier rows.
struct SampleLeads {
    /// The CSV header: Salesforce-style names that leadpool maps without `--map`.
    static let header = [
        "Lead ID", "Company", "First Name", "Last Name", "Title", "Email", "Phone", "Website", "Country",
        "State/Province", "City", "Industry", "Number of Employees", "Annual Revenue", "Lead Source",
        "Product Interest", "Campaign",
    ]

    private static let prefixes = [
        "Nordwind", "Acme", "Blue Ridge", "Sonnen", "Alpen", "Harbor", "Pioneer", "Summit", "Vertex", "Lumen",
        "Cobalt", "Falcon", "Granite", "Helix", "Iris", "Juniper", "Kestrel", "Lotus", "Meridian", "Nimbus",
        "Orion", "Polar", "Quantum", "Rhein", "Sierra", "Tidal", "Umbra", "Vega", "Willow", "Zephyr",
        "Atlas", "Beacon", "Cedar", "Delta", "Ember", "Fjord", "Glacier", "Horizon", "Indigo", "Jade",
    ]
    private static let cores = [
        "Analytics", "Logistik", "Systems", "Software", "Foods", "Energy", "Robotics", "Health", "Capital",
        "Media", "Labs", "Motors", "Textiles", "Pharma", "Solutions", "Networks", "Bau", "Consulting",
        "Retail", "Security", "Cloud", "Data", "Print", "Optics",
    ]
    private static let legalForms = [
        "GmbH", "AG", "Inc.", "LLC", "Ltd", "S.A.", "SAS", "B.V.", "S.r.l.", "Oy", "AB", "Corp.", "", "",
    ]
    /// (code, name as some exports write it, tld, regions, cities)
    private static let countries: [(String, String, String, [String], [String])] = [
        ("DE", "Germany", "de", ["Bavaria", "Berlin", "Hesse", "Saxony"], ["München", "Berlin", "Frankfurt", "Leipzig"]),
        ("US", "United States", "com", ["CA", "NY", "TX", "WA"], ["San Francisco", "New York", "Austin", "Seattle"]),
        ("FR", "France", "fr", ["Île-de-France", "Auvergne-Rhône-Alpes"], ["Paris", "Lyon", "Grenoble"]),
        ("GB", "United Kingdom", "co.uk", ["England", "Scotland"], ["London", "Manchester", "Edinburgh"]),
        ("NL", "Netherlands", "nl", ["North Holland", "Utrecht"], ["Amsterdam", "Utrecht", "Rotterdam"]),
        ("AT", "Austria", "at", ["Vienna", "Tyrol"], ["Wien", "Innsbruck", "Graz"]),
        ("CH", "Switzerland", "ch", ["Zürich", "Geneva"], ["Zürich", "Genève", "Basel"]),
        ("ES", "Spain", "es", ["Madrid", "Catalonia"], ["Madrid", "Barcelona", "Valencia"]),
        ("IT", "Italy", "it", ["Lombardy", "Lazio"], ["Milano", "Roma", "Torino"]),
        ("SE", "Sweden", "se", ["Stockholm", "Västra Götaland"], ["Stockholm", "Göteborg"]),
        ("PL", "Poland", "pl", ["Masovia"], ["Warszawa", "Kraków"]),
        ("CA", "Canada", "ca", ["ON", "BC", "QC"], ["Toronto", "Vancouver", "Montréal"]),
    ]
    private static let industries = [
        "Software", "Fintech", "Manufacturing", "Retail", "Healthcare", "Logistics", "Energy", "Media",
        "Education", "Construction", "Telecommunications", "Automotive", "Pharma", "Insurance",
    ]
    private static let firstNames = [
        "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Katrin", "Luca",
        "Maria", "Noah", "Olga", "Paul", "Quentin", "Rosa", "Sven", "Tara", "Ugo", "Vera", "Wim", "Yara", "Zoë",
        "José", "François", "Łukasz", "Søren", "Mia",
    ]
    private static let lastNames = [
        "Müller", "Schmidt", "Smith", "Johnson", "Dubois", "Martin", "de Vries", "Jansen", "Rossi", "Bianchi",
        "García", "López", "Andersson", "Nowak", "Kowalski", "Brown", "Taylor", "Wagner", "Becker", "O'Neil",
        "Fischer", "Weber", "Moreau", "Lefebvre", "Novak",
    ]
    private static let titles = [
        "CEO", "CTO", "Head of Sales", "VP Marketing", "Procurement Manager", "IT Director", "Founder",
        "Operations Lead", "CFO", "Product Manager", "Geschäftsführer", "Directeur commercial",
    ]
    private static let sources = ["Web", "Trade Show", "Referral", "Purchased List", "Webinar", "Partner", "Cold Call"]
    private static let interests = ["Analytics", "Platform", "Support Plan", "Integrations", "Training"]
    private static let campaigns = ["spring-2026", "dach-webinar", "fair-hannover", "partner-q3"]
    private static let freeMail = ["gmail.com", "yahoo.com", "outlook.com", "web.de", "gmx.de", "hotmail.com"]

    /// The share of rows that repeat an earlier row's dedup key.
    static let duplicateShare = 0.03

    /// Generates `count` leads from `seed`.
    static func make(count: Int, seed: UInt64 = 2026) -> [SampleLead] {
        var random = SplitMix64(seed: seed)
        var leads: [SampleLead] = []
        leads.reserveCapacity(count)
        for index in 0..<count {
            if index > 10, Double.random(in: 0..<1, using: &random) < duplicateShare {
                let earlier = leads[Int.random(in: 0..<index, using: &random)]
                leads.append(duplicate(of: earlier, using: &random))
            } else {
                leads.append(fresh(index, using: &random))
            }
        }
        return leads
    }

    private static func fresh(_ index: Int, using random: inout SplitMix64) -> SampleLead {
        let prefix = prefixes.randomElement(using: &random)!
        let core = cores.randomElement(using: &random)!
        let form = legalForms.randomElement(using: &random)!
        var company = form.isEmpty ? "\(prefix) \(core)" : "\(prefix) \(core) \(form)"
        if Int.random(in: 0..<50, using: &random) == 0 { company = "\(prefix), \(core) & Partners" }  // needs quotes
        let (code, name, tld, regions, cities) = countries.randomElement(using: &random)!
        // The row's own number keeps domains (and so emails) unique unless a duplicate repeats them.
        let slug = (prefix + "-" + core).lowercased().replacingOccurrences(of: " ", with: "-")
        let host = "\(slug)-\(String(index, radix: 36)).\(tld)"
        let first = firstNames.randomElement(using: &random)!
        let last = lastNames.randomElement(using: &random)!
        let mailLocal = (ascii(first) + "." + ascii(last)).lowercased().replacingOccurrences(of: " ", with: "")
            .replacingOccurrences(of: "'", with: "")
        let roll = Int.random(in: 0..<100, using: &random)
        // 55% carry a CRM id, 35% only an email, 10% only a website.
        let externalID = roll < 55 ? "00Q" + String(UInt64(index) &* 2_654_435_761 % 1_000_000_000_000, radix: 36).uppercased() : nil
        var email: String? = nil
        if roll < 90 {
            let free = Int.random(in: 0..<6, using: &random) == 0
            let domain = free ? freeMail.randomElement(using: &random)! : host
            let local = free ? "\(mailLocal)\(index)" : mailLocal
            email = Bool.random(using: &random) ? "\(local)@\(domain)" : "\(capitalized(local))@\(domain)"
        }
        let hasWebsite = roll >= 90 || Int.random(in: 0..<10, using: &random) < 7
        var website: String? = nil
        if hasWebsite {
            website =
                switch Int.random(in: 0..<4, using: &random) {
                case 0: "https://www.\(host)/"
                case 1: "www.\(host)"
                case 2: "http://\(host)/about"
                default: host
                }
        }
        let employees: Int64? = Int.random(in: 0..<10, using: &random) == 0 ? nil : Int64.random(in: 1...50_000, using: &random)
        let employeesCell = employees.map { count -> String in
            count >= 1000 && Bool.random(using: &random) ? "\(count / 1000),\(String(format: "%03d", count % 1000))" : "\(count)"
        }
        let revenue: Double? = Int.random(in: 0..<4, using: &random) == 0 ? nil : Double(Int.random(in: 10...90_000, using: &random)) * 10_000
        let lead = SampleLead(
            externalID: externalID,
            company: company,
            firstName: first,
            lastName: last,
            title: titles.randomElement(using: &random)!,
            email: email,
            phone:
                "+\(Int.random(in: 1...49, using: &random)) \(Int.random(in: 100...999, using: &random)) \(Int.random(in: 1_000_000...9_999_999, using: &random))",
            website: website,
            countryCell: Bool.random(using: &random) ? code : name,
            country: code,
            region: Int.random(in: 0..<3, using: &random) == 0 ? nil : regions.randomElement(using: &random)!,
            city: cities.randomElement(using: &random)!,
            industry: industries.randomElement(using: &random)!,
            employeesCell: employeesCell,
            employees: employees,
            revenueCell: revenue.map { String(Int64($0)) },
            revenue: revenue,
            source: sources.randomElement(using: &random)!,
            productInterest: Int.random(in: 0..<10, using: &random) < 6 ? interests.randomElement(using: &random)! : nil,
            campaign: Int.random(in: 0..<10, using: &random) < 3 ? campaigns.randomElement(using: &random)! : nil,
            emailNorm: email?.lowercased(),
            domain: nil
        )
        return withDomain(lead)
    }

    /// A later row about the same lead: the same key in another spelling, other details.
    private static func duplicate(of earlier: SampleLead, using random: inout SplitMix64) -> SampleLead {
        var lead = fresh(Int.random(in: 0..<1_000_000_000, using: &random) + 10_000_000_000, using: &random)
        lead.externalID = nil
        lead.email = nil
        lead.website = nil
        switch earlier.key {
        case .externalID(let id)?:
            lead.externalID = id
            lead.email = earlier.email
            lead.website = earlier.website
        case .email?:
            lead.email = earlier.email?.uppercased()
        case .domain?, nil:
            lead.website = earlier.domain.map { "HTTPS://WWW.\($0.uppercased())/" }
        }
        lead.company = earlier.company
        lead.emailNorm = lead.email?.lowercased()
        return withDomain(lead)
    }

    /// The domain leadpool derives: the website's host, else a company email's domain.
    private static func withDomain(_ lead: SampleLead) -> SampleLead {
        var lead = lead
        if let website = lead.website {
            var host = Substring(website.lowercased())
            if let scheme = host.range(of: "://") { host = host[scheme.upperBound...] }
            if let slash = host.firstIndex(of: "/") { host = host[..<slash] }
            if host.hasPrefix("www.") { host = host.dropFirst(4) }
            lead.domain = String(host)
        } else if let email = lead.emailNorm, let at = email.firstIndex(of: "@") {
            let domain = String(email[email.index(after: at)...])
            lead.domain = freeMail.contains(domain) ? nil : domain
        } else {
            lead.domain = nil
        }
        return lead
    }

    private static func ascii(_ name: String) -> String {
        let folded: [Character: String] = [
            "ü": "u", "ö": "o", "ä": "a", "é": "e", "ë": "e", "ç": "c", "í": "i", "ó": "o", "á": "a", "ø": "o",
            "ł": "l", "Ł": "L", "Z": "Z", "ß": "ss",
        ]
        return name.map { folded[$0] ?? String($0) }.joined()
    }

    private static func capitalized(_ local: String) -> String {
        local.split(separator: ".").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: ".")
    }

    // MARK: - CSV

    /// Writes the leads as a CSV export (RFC 4180 quoting where needed).
    static func writeCSV(_ leads: [SampleLead], to path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw BenchError("cannot write \(path)")
        }
        defer { try? handle.close() }
        var out = header.map(quoted).joined(separator: ",") + "\r\n"
        for lead in leads {
            let cells: [String?] = [
                lead.externalID, lead.company, lead.firstName, lead.lastName, lead.title, lead.email, lead.phone,
                lead.website, lead.countryCell, lead.region, lead.city, lead.industry, lead.employeesCell,
                lead.revenueCell, lead.source, lead.productInterest, lead.campaign,
            ]
            out += cells.map { quoted($0 ?? "") }.joined(separator: ",")
            out += "\r\n"
            if out.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(out.utf8))
                out = ""
            }
        }
        try handle.write(contentsOf: Data(out.utf8))
    }

    private static func quoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// A benchmark failure with a message for the terminal.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "Build a demo database (reps in teams, sample leads, the example rules), run one round and show what happened."
        )

        @OptionGroup var global: GlobalOptions

        @Option(help: "Where to put the demo database (default: a new temporary directory).")
        var dir: String?

        @Option(help: "How many sample leads.")
        var leads = 3000

        func validate() throws {
            if !(1...1_000_000).contains(leads) { throw ValidationError("--leads must be between 1 and 1000000") }
        }

        func run() throws {
            try Failure.report(json: global.json) {
                let now = try global.clock()
                let admin = try Identity.login()
                let directory =
                    dir
                    ?? FileManager.default.temporaryDirectory
                    .appendingPathComponent("leadpool-demo-\(UUID().uuidString.prefix(8).lowercased())").path
                let made = try Self.prepare(directory)
                let path = (directory as NSString).appendingPathComponent("leadpool.db")
                let rulesPath = (directory as NSString).appendingPathComponent("rules.yaml")
                guard let example = embeddedExamples.first(where: { $0.fileName == "rules.yaml" }) else {
                    throw LeadPoolError.bug("the example rules file is not embedded in this binary")
                }
                let output = Output(json: global.json)
                let reps = DemoData.reps(at: now)
                let summary: ImportSummary
                let version: Int64
                let tiers: [TierCount]
                let round: RoundRun
                do {
                    try OutputFile(rulesPath, existing: .refuse(hint: Self.emptyDirectoryHint)).write { file in
                        try Array(example.sql.utf8).withUnsafeBytes { try file.write($0) }
                    }
                    // A new database whose admin is the caller: --now is an admin's backfill there.
                    let store = try StorageFactory.create(
                        path: path,
                        firstAdmin: Rep(handle: admin, name: admin, role: .admin, createdAt: now),
                        login: admin
                    )
                    for rep in reps { try store.addRep(rep) }
                    summary = try store.importLeads(
                        file: "demo",
                        source: nil,
                        policy: .skip,
                        dryRun: false,
                        actor: admin,
                        at: now,
                        expectedRows: leads
                    ) { batch in
                        var generator = DemoData(seed: 2026)
                        for line in 0..<leads { try batch.add(generator.lead(line: line + 2)) }
                    }
                    let ruleset = try Ruleset.parse(example.sql, fileName: "rules.yaml")
                    version = try store.applyRuleset(ruleset, source: example.sql, fileName: "rules.yaml", actor: admin, at: now).version
                    tiers = try store.tierCounts(LeadQuery(), expected: ruleset.tiers.map(\.name), now: now)

                    round = try store.runRound(scope: RoundScope(), dryRun: false, actor: admin, at: now)
                } catch {
                    // Nothing was there before (prepare checked): take back what this run made.
                    for file in [rulesPath] + Self.databaseFiles.map({ directory + "/" + $0 }) { unlink(file) }
                    if made { rmdir(directory) }
                    throw error
                }

                if global.json {
                    output.print(
                        JSON.object([
                            ("database", .string(path)), ("rules", .string(rulesPath)), ("ruleset_version", .int(version)),
                            ("reps", .of(reps.count)), ("leads", .of(summary.new)),
                            ("tiers", .array(tiers.map { .object([("tier", .of($0.tier)), ("leads", .of($0.count))]) })),
                            ("round", round.written?.record.json ?? .null),
                        ])
                    )
                    return
                }
                let teams = Set(reps.compactMap(\.team)).sorted()
                output.print(
                    """
                    leadpool demo — a sales team's lead pool, built in \(directory)

                    1. Created leadpool.db with \(reps.count) reps in \(teams.count) teams (\(teams.joined(separator: ", "))) and you ('\(admin)') as admin.
                    2. Imported \(summary.new) sample leads from \(Set(DemoData.countries.map(\.code)).count) countries.
                    3. Applied the example rules (rules.yaml, version \(version)): \(tiers.map { "\($0.count) tier \($0.tier ?? "-")" }.joined(separator: ", ")).
                    4. Ran an assignment round:
                    """
                )
                output.print("")
                RoundReport(run: round, scope: RoundScope(), actor: admin, now: now).print(to: output)
                let db = path.contains(" ") ? "\"\(path)\"" : path
                output.print(
                    """

                    Try next:
                    \(Self.commented([
                        ("export LEADPOOL_DB=\(db)", ""),
                        ("leadpool rep list", "who holds what"),
                        ("leadpool pool --limit 10", "what is left, best first"),
                        ("leadpool explain \(round.plan.assignments.first?.leadID ?? 1)", "why a lead scored and went where it did"),
                        ("leadpool --as ines claim --next -n 3", "a rep takes the best pool leads"),
                        ("leadpool --as ines pool --limit 5", "a rep's view: contacts hidden until claimed"),
                        ("leadpool report pool", "each pool: main and recycle, where the round moved tier D"),
                        (
                            "leadpool --as ines claim --next --pool recycle --now \(Timestamp.day(now.addingTimeInterval(2 * 86_400)))",
                            "recycle's leads wait a day after they arrive"
                        ),
                        ("leadpool reclaim --dry-run --now \(Timestamp.day(now.addingTimeInterval(30 * 86_400)))", "what the nightly job would return in 30 days"),
                    ]))
                    """
                )
            }
        }
    }
}

extension LeadPool.Demo {
    /// The files a demo writes into its directory, SQLite's beside the database included.
    static let databaseFiles = ["leadpool.db", "leadpool.db-wal", "leadpool.db-shm", "leadpool.db-journal"]
    static let emptyDirectoryHint = "name a new or empty directory with --dir"

    /// Makes sure `directory` can take the demo without overwriting anything: it is created
    /// (returning true) when missing, and refused (73) when it is no directory or already holds
    /// a file the demo writes.
    static func prepare(_ directory: String) throws -> Bool {
        var info = stat()
        guard stat(directory, &info) == 0 else {
            guard errno == ENOENT else {
                throw LeadPoolError.cannotCreate("cannot use \(directory) for the demo: \(OutputFile.describe(errno))")
            }
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                let reason = (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
                throw LeadPoolError.cannotCreate(
                    "cannot create the demo directory \(directory): \(reason)",
                    hint: "choose a directory you can write to"
                )
            }
            return true
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw LeadPoolError.cannotCreate("cannot use \(directory) for the demo: it is not a directory", hint: emptyDirectoryHint)
        }
        let present = (databaseFiles + ["rules.yaml"]).filter { name in
            var entry = stat()
            return lstat(directory + "/" + name, &entry) == 0
        }
        if !present.isEmpty {
            throw LeadPoolError.cannotCreate(
                "\(directory) already holds \(present.joined(separator: ", ")); the demo does not overwrite files",
                hint: emptyDirectoryHint
            )
        }
        return false
    }

    /// Shell lines with their `# comment`s aligned, indented by two spaces.
    static func commented(_ lines: [(command: String, comment: String)]) -> String {
        let width = lines.filter { !$0.comment.isEmpty }.map(\.command.count).max() ?? 0
        return lines.map { line in
            line.comment.isEmpty
                ? "  " + line.command
                : "  " + line.command.padding(toLength: width, withPad: " ", startingAt: 0) + "   # " + line.comment
        }.joined(separator: "\n")
    }
}

/// Deterministic sample data: the same seed gives the same demo.
struct DemoData {
    struct Country {
        let code: String
        let region: String
        let weight: Int
    }

    static let countries: [Country] = [
        .init(code: "DE", region: "Bavaria", weight: 14), .init(code: "DE", region: "Berlin", weight: 8),
        .init(code: "AT", region: "Vienna", weight: 4), .init(code: "CH", region: "Zurich", weight: 4),
        .init(code: "FR", region: "Île-de-France", weight: 8), .init(code: "GB", region: "London", weight: 10),
        .init(code: "NL", region: "North Holland", weight: 5), .init(code: "ES", region: "Madrid", weight: 3),
        .init(code: "US", region: "CA", weight: 16), .init(code: "US", region: "NY", weight: 10),
        .init(code: "CA", region: "ON", weight: 4), .init(code: "JP", region: "Tokyo", weight: 3),
        .init(code: "AU", region: "NSW", weight: 3), .init(code: "BR", region: "SP", weight: 3),
    ]
    static let industries = [
        "Software", "Software", "Fintech", "SaaS", "Manufacturing", "Healthcare", "Retail", "Logistics", "Education",
        "Consulting",
    ]
    static let titles = [
        "Head of Sales", "Chief Technology Officer", "VP Engineering", "Director of Operations", "IT Manager",
        "Procurement Lead", "Office Manager", "Student", "Marketing Director", "Founder",
    ]
    static let sources = ["website", "webinar", "referral", "event", "purchased list", "cold outreach"]
    static let prefixes = ["Nord", "Blue", "Alpen", "Quantum", "Silver", "Atlas", "Bright", "Cedar", "Delta", "Ember", "Falcon", "Granite"]
    static let suffixes = ["Systems", "Analytics", "Logistik", "Labs", "Works", "Partners", "Robotics", "Health", "Foods", "Cloud"]
    static let forms = ["GmbH", "AG", "Inc.", "Ltd", "SAS", "B.V.", "LLC", "KK"]
    static let firstNames = ["Anna", "Jonas", "Marie", "Liam", "Sofia", "Noah", "Emma", "Lukas", "Mia", "Yuki", "Olivia", "Mateo"]
    static let lastNames = ["Müller", "Schmidt", "Dubois", "Smith", "Garcia", "Tanaka", "Rossi", "Jansen", "Brown", "Silva"]

    /// Demo reps matching examples/rules.yaml's targets: enterprise AEs, EMEA, NA and SDR teams.
    static func reps(at now: Date) -> [Rep] {
        [
            Rep(handle: "olga", name: "Olga Okafor", email: "olga@example.com", team: "enterprise", capacity: 40, territories: [], createdAt: now),
            Rep(handle: "oscar", name: "Oscar Ortiz", email: "oscar@example.com", team: "enterprise", capacity: 40, createdAt: now),
            Rep(
                handle: "emma",
                name: "Emma Becker",
                email: "emma@example.com",
                team: "emea",
                weight: 2,
                territories: ["AT", "CH", "DE"],
                createdAt: now
            ),
            Rep(handle: "elias", name: "Elias Wagner", email: "elias@example.com", team: "emea", territories: ["DE", "NL"], createdAt: now),
            Rep(handle: "elodie", name: "Élodie Martin", email: "elodie@example.com", team: "emea", territories: ["ES", "FR"], createdAt: now),
            Rep(handle: "ethan", name: "Ethan Clarke", email: "ethan@example.com", team: "emea", territories: ["GB", "NL"], createdAt: now),
            Rep(handle: "nina", name: "Nina Patel", email: "nina@example.com", team: "na", territories: ["CA", "US"], createdAt: now),
            Rep(handle: "noah", name: "Noah Kim", email: "noah@example.com", team: "na", capacity: 30, territories: ["US"], createdAt: now),
            Rep(handle: "sam", name: "Sam Rivera", email: "sam@example.com", team: "sdr", capacity: 60, createdAt: now),
            Rep(handle: "sara", name: "Sara Lind", email: "sara@example.com", team: "sdr", capacity: 60, createdAt: now),
            Rep(
                handle: "sven",
                name: "Sven Holm",
                email: "sven@example.com",
                team: "sdr",
                capacity: 60,
                awayFrom: now.addingTimeInterval(-86_400),
                awayUntil: now.addingTimeInterval(6 * 86_400),
                createdAt: now
            ),
            // No rule routes to the inbound team: Ines works the pool by claiming.
            Rep(handle: "ines", name: "Ines Costa", email: "ines@example.com", team: "inbound", capacity: 25, dailyLimit: 10, createdAt: now),
        ]
    }

    private var random: SeededGenerator

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    private mutating func next() -> UInt64 { random.next() }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }

    private mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }

    mutating func lead(line: Int) -> LeadDraft {
        let total = DemoData.countries.reduce(0) { $0 + $1.weight }
        var roll = Int(next() % UInt64(total))
        var country = DemoData.countries[0]
        for candidate in DemoData.countries {
            if roll < candidate.weight {
                country = candidate
                break
            }
            roll -= candidate.weight
        }
        let company = "\(pick(DemoData.prefixes)) \(pick(DemoData.suffixes)) \(line) \(pick(DemoData.forms))"
        let slug = company.lowercased().filter { $0.isLetter || $0.isNumber }
        let first = pick(DemoData.firstNames)
        let last = pick(DemoData.lastNames)
        let freeMail = chance(8)
        let email = "\(first.lowercased()).\(line)@\(freeMail ? "gmail.com" : "\(slug).example")"
        // Company sizes spread over four orders of magnitude, as in a real pool.
        let employees = Int64(5 * pow(10, Double(next() % 1000) / 1000 * 4.3))
        var attributes: [String: String] = [:]
        if chance(15) { attributes["plan"] = "trial" }
        return LeadDraft(
            line: line,
            company: company,
            firstName: first,
            lastName: last,
            title: pick(DemoData.titles),
            email: email,
            website: "https://www.\(slug).example",
            domain: freeMail ? nil : "\(slug).example",
            country: country.code,
            region: country.region,
            industry: pick(DemoData.industries),
            employees: employees,
            revenue: Double(employees) * Double(80_000 + next() % 120_000),
            source: pick(DemoData.sources),
            tags: chance(20) ? ["webinar-2026"] : [],
            attributes: attributes
        )
    }
}

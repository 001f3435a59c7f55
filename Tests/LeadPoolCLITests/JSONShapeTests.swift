import Foundation
import Testing

/// docs/json.md documents every command's `--json` output; these tests run each command on a
/// database a week of work has filled and hold the output and the document to each other.
@Suite(.bothBackends) struct JSONShapeTests {
    /// A field the document lists: its path inside one shape, and the JSON types it may take.
    struct Field: Hashable {
        let path: String
        let types: Set<String>
        /// `attr.*`: any key below, of any type.
        var isWildcard: Bool { path.hasSuffix(".*") }
    }

    /// One `### Shape` section: the commands printing it, and its fields.
    struct Shape {
        let name: String
        var commands: [String] = []
        var fields: [Field] = []
    }

    static let documentPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/json.md").path

    /// Shapes from `### Name` headings, their `Printed by:` lines and `| \`path\` | type | … |` rows.
    static func shapes() throws -> [Shape] {
        let text = try String(contentsOfFile: documentPath, encoding: .utf8)
        var shapes: [Shape] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("### ") {
                shapes.append(Shape(name: String(line.dropFirst(4))))
            } else if line.hasPrefix("Printed by: "), !shapes.isEmpty {
                shapes[shapes.count - 1].commands += backticked(line)
            } else if line.hasPrefix("| `"), !shapes.isEmpty {
                let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                let path = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
                let types = Set(cells[1].components(separatedBy: " or ").map { $0.trimmingCharacters(in: .whitespaces) })
                shapes[shapes.count - 1].fields.append(Field(path: path, types: types))
            }
        }
        return shapes.map { shape in
            var expanded = shape
            expanded.fields = expand(shape.fields, in: shapes)
            return expanded
        }
    }

    /// A field whose type names another shape (`Round summary or null`) is an object (or null)
    /// with that shape's fields below it.
    static func expand(_ fields: [Field], in shapes: [Shape]) -> [Field] {
        fields.flatMap { field -> [Field] in
            guard let nested = shapes.first(where: { field.types.contains($0.name) }) else { return [field] }
            let own = Field(path: field.path, types: field.types.subtracting([nested.name]).union(field.path.hasSuffix("[]") ? [] : ["object"]))
            let prefix = field.path.hasSuffix("[]") ? field.path + "." : field.path + "."
            let below = expand(nested.fields, in: shapes).map { Field(path: prefix + $0.path, types: $0.types) }
            return (field.path.hasSuffix("[]") ? [] : [own]) + below
        }
    }

    static func backticked(_ line: String) -> [String] {
        line.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// A parsed JSON value that keeps booleans, integers and other numbers apart.
    enum Value: Decodable {
        case null, boolean, integer, number, string
        case array([Value])
        case object([String: Value])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if (try? container.decode(Bool.self)) != nil {
                self = .boolean
            } else if (try? container.decode(Int64.self)) != nil {
                self = .integer
            } else if (try? container.decode(Double.self)) != nil {
                self = .number
            } else if (try? container.decode(String.self)) != nil {
                self = .string
            } else if let items = try? container.decode([Value].self) {
                self = .array(items)
            } else {
                self = .object(try container.decode([String: Value].self))
            }
        }

        static func parse(_ text: String) -> Value? { try? JSONDecoder().decode(Value.self, from: Data(text.utf8)) }
    }

    /// Every (path, type) in a document; a top-level array's items are each a document.
    static func observed(_ document: Value) -> [(path: String, type: String)] {
        if case .array(let items) = document { return items.flatMap { observed($0) } }
        var out: [(String, String)] = []
        func walk(_ value: Value, _ path: String) {
            switch value {
            case .object(let object):
                if !path.isEmpty, !path.hasSuffix("[]") { out.append((path, "object")) }
                for (key, child) in object { walk(child, path.isEmpty ? key : "\(path).\(key)") }
            case .array(let items):
                out.append((path, "array"))
                for item in items { walk(item, path + "[]") }
            case .null: out.append((path, "null"))
            case .boolean: out.append((path, "boolean"))
            case .integer: out.append((path, "integer"))
            case .number: out.append((path, "number"))
            case .string: out.append((path, "string"))
            }
        }
        walk(document, "")
        return out
    }

    /// Whether `shape` documents `path` with `type` (an integer is also a number).
    static func documents(_ shape: Shape, _ path: String, _ type: String) -> Field? {
        shape.fields.first { field in
            let matches = field.isWildcard ? path.hasPrefix(String(field.path.dropLast(1))) : field.path == path
            guard matches else { return false }
            return field.isWildcard || field.types.contains("any") || field.types.contains(type)
                || (type == "integer" && field.types.contains("number"))
        }
    }

    static let now = "2026-11-02T09:00:00Z"

    /// A database after a week: reps, an import with a bad row, rules with warnings, a round,
    /// claims, closes, releases, a reopen. Returns the runs to check, each with its command name.
    static func week(_ box: Sandbox) throws -> [(command: String, run: Run, exit: Int32)] {
        try """
        Company,Email,First Name,Country,Number of Employees,Lead Source,Product Interest
        Acme GmbH,anna@acme.de,Anna,DE,500,Webinar,crm
        Beta AG,bert@beta.de,Bert,DE,120,webinar,crm
        Gamma SA,gus@gamma.fr,Gus,FR,60,Tradeshow,erp
        Delta Inc,dee@delta.com,Dee,US,2000,List,crm
        Epsilon BV,eve@epsilon.nl,Eve,NL,40,List,erp
        Zeta GmbH,zed@zeta.de,Zed,DE,300,Webinar,crm
        Theta Ltd,anna@acme.de,Anna,DE,500,Webinar,crm
        Iota Ltd,ian@iota.example,Ian,Atlantis,20,List,erp
        Kappa Ltd,kim@kappa.de,Kim,DE,many,List,crm
        """.write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        try """
        defaults: { capacity: 10, daily-limit: 5 }
        tiers: { A: 70, B: 40, C: 10 }
        icp:
          - { name: big, when: 'employees >= 100', points: 60 }
          - { name: dach, when: 'country in ("DE", "AT", "CH")', points: 20 }
          - { name: wants-crm, when: 'attr.product_intrest = "crm"', points: 5 }
        segments:
          hot: 'tier = "A"'
        hidden: [attr.product_interest]
        pools:
          - { name: recycle, members: [team:dach], admins: [bob], claim: { daily-limit: 3 }, claimable-after: 1h }
        release-reasons: [no-budget, wrong-contact]
        disqualify-reasons: [no-budget, duplicate]
        rules:
          - { name: stale, when: 'tag("stale")', to: pool:recycle }
          - { name: dach, when: 'country = "DE"', to: [alice, bob], strategy: round-robin }
          - { name: rest, when: 'true', to: [team:field], strategy: least-loaded, territory: true }
        reclaim:
          no-activity-days: 14
          max-hold-days: 60
          cooldown-days: 7
          warn-days: 3
          overrides:
            - { when: 'tier = "A"', no-activity-days: 7 }
        first-touch: { within: 4h, warn-before: 1h, then: keep }
        """.write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        let steps: [(String, [String], Int32)] = [
            ("init", ["init"], 0),
            ("rep add", ["rep", "add", "alice", "--name", "Alice", "--email", "alice@example.com", "--team", "dach", "--capacity", "5"], 0),
            ("rep add", ["rep", "add", "bob", "--name", "Bob", "--team", "dach"], 0),
            ("rep add", ["rep", "add", "carla", "--name", "Carla", "--team", "field", "--territories", "FR,NL,US"], 0),
            ("rep update", ["rep", "update", "bob", "--daily-limit", "3"], 0),
            ("rep away", ["rep", "away", "carla", "--from", "2026-12-20", "--until", "2026-12-31"], 0),
            ("import", ["import", box.path("leads.csv"), "--on-error", "skip", "--rejects", box.path("rejects.csv")], 0),
            ("lead add", ["lead", "add", "--company", "Eta Ltd", "--field", "country=GB", "--tag", "event"], 0),
            ("lead update", ["lead", "update", "8", "--field", "city=London"], 0),
            ("lead tag", ["lead", "tag", "1", "vip"], 0),
            ("lead untag", ["lead", "untag", "1", "vip"], 0),
            ("rules check", ["rules", "check", box.path("rules.yaml")], 0),
            ("rules apply", ["rules", "apply", box.path("rules.yaml")], 0),
            ("rules show", ["rules", "show"], 0),
            ("segment list", ["segment", "list"], 0),
            ("segment show", ["segment", "show", "hot"], 0),
            ("lead move", ["lead", "move", "5", "--pool", "recycle"], 0),
            ("lead tag", ["lead", "tag", "7", "stale"], 0),
            ("explain", ["explain", "3"], 0),
            ("explain", ["--as", "bob", "explain", "1"], 0),
            ("assign", ["assign", "--dry-run"], 0),
            ("assign", ["assign", "--limit", "4"], 0),
            ("rounds list", ["rounds", "list"], 0),
            ("rounds show", ["rounds", "show", "1"], 0),
            ("pool", ["--as", "bob", "pool"], 0),
            ("claim", ["--as", "bob", "claim", "8"], 0),
            ("claim", ["--as", "bob", "claim", "--next", "-n", "1"], 0),
            ("claim", ["--as", "bob", "claim", "1"], 1),  // alice's: a refusal
            ("touch", ["--as", "alice", "touch", "1", "--kind", "call", "--note", "intro call"], 0),
            ("qualify", ["--as", "alice", "qualify", "1"], 0),
            ("convert", ["--as", "alice", "convert", "1"], 0),
            ("disqualify", ["--as", "bob", "disqualify", "8", "--reason", "duplicate"], 0),
            ("reopen", ["reopen", "8", "--to", "bob"], 0),
            ("release", ["--as", "bob", "release", "8", "--reason", "no-budget"], 0),
            ("transfer", ["transfer", "8", "--to", "alice", "--reason", "she knows them"], 0),
            ("mine", ["--as", "alice", "mine"], 0),
            ("lead show", ["lead", "show", "1"], 0),
            ("lead show", ["--as", "bob", "lead", "show", "1"], 0),
            ("lead list", ["lead", "list", "--limit", "3"], 0),
            ("export", ["export", "--format", "json"], 0),
            ("history", ["history", "8"], 0),
            ("history", ["--as", "bob", "history", "1"], 0),
            ("reclaim --warn", ["--now", "2026-11-07T09:00:00Z", "reclaim", "--warn"], 0),
            ("reclaim", ["--now", "2026-11-20T09:00:00Z", "reclaim", "--dry-run"], 0),
            ("reclaim", ["--now", "2026-11-20T09:00:00Z", "reclaim"], 0),
            ("notify", ["--now", "2026-11-20T09:00:00Z", "notify", "--dry-run"], 0),
            ("rep list", ["rep", "list"], 0),
            ("rep show", ["rep", "show", "alice"], 0),
            ("rep deactivate", ["rep", "deactivate", "carla"], 0),
            ("rep activate", ["rep", "activate", "carla"], 0),
            ("report", ["--now", "2026-11-20T09:00:00Z", "report"], 0),
            ("check", ["check"], 0),
            ("migrate", ["migrate", "--status"], 0),
            ("migrate", ["migrate"], 0),
            ("backup", ["backup", box.path("copy.db")], 0),
            ("demo", ["demo", "--dir", box.path("demo"), "--leads", "50"], 0),
        ]
        // backup copies SQLite files; on PostgreSQL it refuses and names pg_dump instead.
        let week = box.backend == .postgres ? steps.filter { $0.0 != "backup" } : steps
        return week.map { command, arguments, exit in
            let clock = arguments.contains("--now") ? [] : ["--now", now]
            return (command, box.leadpool(clock + ["--json"] + arguments), exit)
        }
    }

    @Test func everyCommandsJSONIsTheShapeTheDocumentGives() throws {
        let shapes = try Self.shapes()
        let byCommand = Dictionary(shapes.flatMap { shape in shape.commands.map { ($0, shape) } }, uniquingKeysWith: { a, _ in a })
        let box = Sandbox()
        var seen: [String: Set<String>] = [:]
        var filledArrays: [String: Set<String>] = [:]
        let week = try Self.week(box)
        for (command, run, exit) in week {
            #expect(run.status == exit, "\(command): \(run)")
            let shape = try #require(byCommand[command], "docs/json.md has no shape for `\(command)`")
            let document = try #require(Value.parse(run.stdout), "\(command) printed no JSON: \(run)")
            for (path, type) in Self.observed(document) {
                if path.hasSuffix("[]") || path.contains("[]."), let array = path.range(of: "[]", options: .backwards) {
                    filledArrays[shape.name, default: []].insert(String(path[..<array.lowerBound]))
                }
                if let field = Self.documents(shape, path, type) {
                    seen[shape.name, default: []].insert(field.path)
                } else {
                    Issue.record("\(command): `\(path)` (\(type)) is not in docs/json.md's \(shape.name)")
                }
            }
        }
        // Every field must show up, but for items of arrays the week left empty.
        func inEmptyArray(_ field: Field, _ shape: Shape) -> Bool {
            var prefix = Substring(field.path)
            while let array = prefix.range(of: "[]", options: .backwards) {
                prefix = prefix[..<array.lowerBound]
                if !(filledArrays[shape.name] ?? []).contains(String(prefix)) { return true }
            }
            return false
        }
        let ran = Set(week.map(\.command))
        for shape in shapes where shape.commands.contains(where: ran.contains) {
            for field in shape.fields where !(seen[shape.name] ?? []).contains(field.path) && !inEmptyArray(field, shape) {
                Issue.record("docs/json.md's \(shape.name) lists `\(field.path)`, which no command printed")
            }
        }
    }

    @Test func everyCommandIsDocumented() throws {
        let documented = Set(try Self.shapes().flatMap(\.commands)).union(["rules example"])
        let box = Sandbox()
        let help = box.leadpool("--help").stdout
        let commands =
            help.components(separatedBy: "SUBCOMMANDS:").last?.split(separator: "\n")
            .compactMap { line -> String? in
                guard line.hasPrefix("  "), !line.hasPrefix("   "), let word = line.split(separator: " ").first,
                    word.allSatisfy({ $0.isLowercase })
                else { return nil }
                return String(word)
            } ?? []
        #expect(commands.count > 20, "\(help)")
        for command in commands {
            #expect(documented.contains { $0 == command || $0.hasPrefix(command + " ") }, "`\(command)` is not in docs/json.md")
        }
    }

    @Test func errorsAreTheDocumentedObject() throws {
        let shapes = try Self.shapes()
        let shape = try #require(shapes.first { $0.name == "Error" })
        let box = Sandbox()
        box.initialized()
        for arguments in [["lead", "show", "404"], ["claim"], ["rules", "apply", box.path("missing.yaml")]] {
            let run = box.leadpool(["--json"] + arguments)
            #expect(run.status != 0 && run.stdout.isEmpty)
            let document = try #require(Value.parse(run.stderr), "\(run)")
            for (path, type) in Self.observed(document) {
                #expect(Self.documents(shape, path, type) != nil, "\(arguments): `\(path)` (\(type))")
            }
        }
    }
}

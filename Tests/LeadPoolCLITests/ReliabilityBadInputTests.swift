import Foundation
import Testing

/// A corpus of bad input. Each case is refused with the exit code SPEC gives (64 usage, 65 bad
/// data, 66 missing, 78 configuration), a message that names where (file:line[:col] or the
/// option) and what, no crash trace, and the database left exactly as it was.
@Suite(.serialized, .bothBackends) struct ReliabilityBadInputTests {
    /// One bad input: the files it needs, the command, and what the refusal must say.
    struct Case: CustomStringConvertible {
        var name: String
        var files: [String: Data] = [:]
        var arguments: [String]
        var status: Int32
        /// Each must appear in stderr (where, then what).
        var says: [String]

        var description: String { name }
    }

    static func text(_ string: String) -> Data { Data(string.utf8) }

    static let nested = String(repeating: "(", count: 10_000) + "true" + String(repeating: ")", count: 10_000)
    static let hundredKB = "company = \"" + String(repeating: "a", count: 100_000) + "\""

    static let cases: [Case] = [
        // CSV
        Case(
            name: "unterminated quote",
            files: ["q.csv": text("Company,Email\n\"Acme,a@b.com\nB,b@c.com\n")],
            arguments: ["import", "q.csv"],
            status: 65,
            says: ["q.csv:2", "unterminated quoted field"]
        ),
        Case(
            name: "more fields than the header",
            files: ["f.csv": text("Company,Email\nAcme,a@b.com,extra\n")],
            arguments: ["import", "f.csv"],
            status: 65,
            says: ["f.csv:2", "3 fields but the header has 2"]
        ),
        // Read as UTF-8 because it was named so: without --encoding, these bytes are read as Windows-1252.
        Case(
            name: "invalid UTF-8",
            files: ["u.csv": Data("Company,Email\nAc".utf8) + Data([0xC3, 0x28]) + Data("me,a@b.com\n".utf8)],
            arguments: ["import", "u.csv", "--encoding", "utf-8"],
            status: 65,
            says: ["u.csv:2", "invalid UTF-8"]
        ),
        Case(
            name: "Latin-1 named UTF-8",
            files: ["l.csv": Data("Company,Email\nM".utf8) + Data([0xFC]) + Data("ller GmbH,m@b.com\n".utf8)],
            arguments: ["import", "l.csv", "--encoding", "utf-8"],
            status: 65,
            says: ["l.csv:2", "--encoding windows-1252"]
        ),
        Case(
            name: "an unknown encoding",
            files: ["w.csv": text("Company,Email\nAcme,a@b.com\n")],
            arguments: ["import", "w.csv", "--encoding", "latin-9"],
            status: 64,
            says: ["latin-9"]
        ),
        Case(
            name: "NUL bytes",
            files: ["n.csv": Data("Company,Email\nAc".utf8) + Data([0]) + Data("me,a@b.com\n".utf8)],
            arguments: ["import", "n.csv"],
            status: 65,
            says: ["n.csv:2", "NUL"]
        ),
        Case(
            name: "a 2 MiB field",
            files: ["b.csv": text("Company,Email\n\"" + String(repeating: "x", count: 2 << 20) + "\",a@b.com\n")],
            arguments: ["import", "b.csv"],
            status: 65,
            says: ["b.csv:2", "longer than 1 MiB"]
        ),
        Case(
            name: "empty file",
            files: ["e.csv": Data()],
            arguments: ["import", "e.csv"],
            status: 65,
            says: ["e.csv:1", "empty"]
        ),
        Case(
            name: "no company column",
            files: ["c.csv": text("First Name,Email\nBob,bob@x.com\n")],
            arguments: ["import", "c.csv"],
            status: 65,
            says: ["c.csv:1", "no column maps to company"]
        ),
        Case(
            name: "two headers mapping to one field",
            files: ["d.csv": text("Company,Account Name\nA,B\n")],
            arguments: ["import", "d.csv"],
            status: 65,
            says: ["d.csv:1", "both map to company"]
        ),
        Case(
            name: "a bad row among good ones imports nothing",
            files: ["r.csv": text("Company,Email,Number of Employees\nA,a@q.com,5\nB,b@q.com,many\n")],
            arguments: ["import", "r.csv"],
            status: 65,
            says: ["r.csv:3", "many"]
        ),
        Case(name: "no such CSV file", arguments: ["import", "missing.csv"], status: 66, says: ["missing.csv"]),
        // YAML
        Case(
            name: "YAML syntax error",
            files: ["s.yaml": text("defaults: { capacity: 50\n")],
            arguments: ["rules", "apply", "s.yaml"],
            status: 65,
            says: ["s.yaml:2:1", "YAML"]
        ),
        Case(
            name: "YAML tabs",
            files: ["t.yaml": text("defaults:\n\tcapacity: 50\n")],
            arguments: ["rules", "apply", "t.yaml"],
            status: 65,
            says: ["t.yaml:2:1", "cannot start any token"]
        ),
        Case(
            name: "YAML wrong type",
            files: ["ty.yaml": text("defaults: { capacity: lots }\n")],
            arguments: ["rules", "apply", "ty.yaml"],
            status: 65,
            says: ["ty.yaml:1:23", "capacity must be a whole number"]
        ),
        Case(
            name: "YAML unknown key",
            files: ["k.yaml": text("defaults: { capacity: 5 }\nrule:\n  - { name: a, when: 'true', to: team:x }\n")],
            arguments: ["rules", "apply", "k.yaml"],
            status: 65,
            says: ["k.yaml:2:1", "unknown key 'rule'"]
        ),
        Case(
            name: "YAML unknown strategy",
            files: ["st.yaml": text("rules:\n  - { name: a, when: 'true', to: team:x, strategy: random }\n")],
            arguments: ["rules", "apply", "st.yaml"],
            status: 65,
            says: ["st.yaml:2:", "unknown strategy 'random'"]
        ),
        Case(
            name: "YAML looping segments",
            files: ["lo.yaml": text("segments:\n  a: 'segment(\"b\")'\n  b: 'segment(\"a\")'\n")],
            arguments: ["rules", "apply", "lo.yaml"],
            status: 65,
            says: ["lo.yaml:2:", "segment loop"]
        ),
        Case(
            name: "YAML condition with a typo",
            files: ["ty2.yaml": text("segments:\n  a: 'industy = \"x\"'\n")],
            arguments: ["rules", "apply", "ty2.yaml"],
            status: 65,
            says: ["ty2.yaml:2:", "unknown field 'industy'", "did you mean 'industry'"]
        ),
        Case(
            name: "rules check refuses the same",
            files: ["s2.yaml": text("tiers: { A: 10, B: 80 }\n")],
            arguments: ["rules", "check", "s2.yaml"],
            status: 65,
            says: ["s2.yaml:1:"]
        ),
        Case(name: "no such rules file", arguments: ["rules", "apply", "missing.yaml"], status: 66, says: ["missing.yaml"]),
        // Conditions
        Case(
            name: "10,000 nested parentheses",
            arguments: ["lead", "list", "--where", nested],
            status: 65,
            says: ["--where:1:", "nests deeper"]
        ),
        Case(
            name: "100 KB of condition",
            arguments: ["lead", "list", "--where", hundredKB],
            status: 65,
            says: ["--where:1:1", "longer than 64 KiB"]
        ),
        Case(
            name: "unterminated string",
            arguments: ["lead", "list", "--where", "company = \"abc"],
            status: 65,
            says: ["--where:1:11", "unterminated string"]
        ),
        Case(
            name: "unknown function",
            arguments: ["lead", "list", "--where", "frobnicate(\"x\")"],
            status: 65,
            says: ["--where:1:1", "unknown function 'frobnicate'"]
        ),
        Case(
            name: "injection: quote, or 1=1",
            arguments: ["lead", "list", "--where", "x\" or 1=1 --"],
            status: 65,
            says: ["--where:1:"]
        ),
        Case(
            name: "injection: DROP TABLE",
            arguments: ["lead", "list", "--where", "'); DROP TABLE leads; --"],
            status: 65,
            says: ["--where:1:"]
        ),
        Case(
            name: "injection into a round's scope",
            arguments: ["assign", "--where", "company = \"x\" or 1=1 --"],
            status: 65,
            says: ["--where:1:22", "unexpected character"]
        ),
        Case(
            name: "injection into an export",
            arguments: ["export", "--where", "'); DELETE FROM leads; --"],
            status: 65,
            says: ["--where:1:"]
        ),
        Case(name: "unknown segment", arguments: ["lead", "list", "--segment", "nope"], status: 66, says: ["nope"]),
        // Arguments
        Case(name: "unknown flag", arguments: ["lead", "list", "--bogus"], status: 64, says: ["--bogus"]),
        Case(name: "negative limit", arguments: ["assign", "--limit=-3"], status: 64, says: ["--limit", "1 or more"]),
        Case(name: "negative count", arguments: ["claim", "--next", "-n=-2"], status: 64, says: ["-n", "1 or more"]),
        Case(name: "bad --now", arguments: ["--now", "yesterday", "assign"], status: 64, says: ["--now", "'yesterday'"]),
        Case(name: "a lead id that is no number", arguments: ["lead", "show", "abc"], status: 64, says: ["'abc'", "<id>"]),
        Case(name: "claim ids that are no numbers", arguments: ["claim", "12x"], status: 64, says: ["'12x'"]),
        Case(
            name: "--json with --format csv (export)",
            arguments: ["--json", "export", "--format", "csv"],
            status: 64,
            says: ["--json", "--format csv"]
        ),
        Case(
            name: "--json with --format csv (report)",
            arguments: ["--json", "report", "pool", "--format", "csv"],
            status: 64,
            says: ["--json", "--format csv"]
        ),
        Case(name: "a capacity below zero", arguments: ["rep", "update", "ana", "--capacity", "-1"], status: 64, says: ["--capacity"]),
    ]

    /// A database with reps, rules, leads, a round and some claims: something to leave unchanged.
    static func populated() throws -> Sandbox {
        let box = Sandbox()
        box.initialized()
        for rep in ["ana", "ben"] { #expect(box.leadpool("rep", "add", rep, "--name", rep, "--team", "field").status == 0) }
        try Reliability.rules(capacity: 40).write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        try Reliability.leadsCSV(200).write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("--now", "2026-02-01T09:00:00Z", "rules", "apply", box.path("rules.yaml")).status == 0)
        #expect(box.leadpool("--now", "2026-02-01T09:00:00Z", "import", box.path("leads.csv")).status == 0)
        #expect(box.leadpool("--now", "2026-02-02T09:00:00Z", "assign", "--limit", "30").status == 0)
        return box
    }

    static func expectNoCrash(_ run: Run, _ name: String) {
        for trace in ["Fatal error", "Stack dump", "Program crashed", "Backtrace"] {
            #expect(!run.stderr.contains(trace), "\(name): \(run)")
        }
    }

    @Test func everyBadInputIsRefusedClearlyAndChangesNothing() throws {
        let box = try Self.populated()
        let before = Reliability.snapshot(box)
        let fingerprint = Reliability.fingerprint(box.db)
        for item in Self.cases {
            for (name, data) in item.files { try data.write(to: box.directory.appendingPathComponent(name)) }
            let run = box.leadpool(["--now", "2026-02-03T09:00:00Z"] + item.arguments)
            #expect(run.status == item.status, "\(item.name): \(run)")
            for phrase in item.says { #expect(run.stderr.contains(phrase), "\(item.name): stderr should say \(phrase): \(run)") }
            #expect(run.stdout.isEmpty || run.status == 0, "\(item.name): nothing on stdout: \(run)")
            Self.expectNoCrash(run, item.name)
            #expect(Reliability.fingerprint(box.db) == fingerprint, "\(item.name) changed the database")
        }
        #expect(Reliability.snapshot(box) == before, "export, rounds and rulesets as before")
        #expect(box.leadpool("check").status == 0)
    }

    /// Files that look odd but are fine: read, not refused.
    @Test func oddButValidFilesAreAccepted() throws {
        let box = try Self.populated()
        let fingerprint = Reliability.fingerprint(box.db)
        // A header with no rows is what `export` writes for an empty selection: importing it
        // back must work, and adds nothing.
        try "Company,Email\n".write(toFile: box.path("header.csv"), atomically: true, encoding: .utf8)
        let header = box.leadpool("--json", "import", box.path("header.csv"))
        #expect(header.status == 0, "\(header)")
        #expect((header.json as? [String: Any])?["new"] as? Int == 0)
        // CRLF and LF line endings mixed in one file: both read as line ends.
        try "Company,Email\r\nMixed A,ma@mixed-a.com\nMixed B,mb@mixed-b.com\r\n".write(
            toFile: box.path("mixed.csv"),
            atomically: true,
            encoding: .utf8
        )
        let mixed = box.leadpool("--json", "import", "--dry-run", box.path("mixed.csv"))
        #expect(mixed.status == 0, "\(mixed)")
        #expect((mixed.json as? [String: Any])?["new"] as? Int == 2, "\(mixed)")
        // Windows-1252/Latin-1 and UTF-16 are converted and said so.
        try (Data("Company,Email\nM".utf8) + Data([0xFC]) + Data("ller GmbH,m@mueller-gmbh.de\n".utf8)).write(
            to: URL(fileURLWithPath: box.path("l.csv"))
        )
        let latin1 = box.leadpool("--json", "import", "--dry-run", box.path("l.csv"))
        #expect(latin1.status == 0 && latin1.stderr.contains("read as Windows-1252"), "\(latin1)")
        try (Data([0xFF, 0xFE]) + "Company,Email\nAcme,a@acme-w.com\n".data(using: .utf16LittleEndian)!).write(
            to: URL(fileURLWithPath: box.path("w.csv"))
        )
        let utf16 = box.leadpool("--json", "import", "--dry-run", box.path("w.csv"))
        #expect((utf16.json as? [String: Any])?["new"] as? Int == 1, "\(utf16)")
        // A value that looks like SQL is only a value.
        let quoted = box.leadpool("--json", "lead", "list", "--where", "company = \"x\\\" or 1=1 --\" or company = \"'); DROP TABLE leads; --\"")
        #expect(quoted.status == 0, "\(quoted)")
        #expect((quoted.json as? [Any])?.count == 0, "\(quoted)")
        // --json means JSON on stdout, for export too.
        #expect((box.leadpool("--json", "export").json as? [Any])?.count == 200)
        #expect(Reliability.fingerprint(box.db) == fingerprint)
    }

    @Test func missingGarbageAndDirectoryDatabasesAreConfigurationErrors() throws {
        let box = Sandbox()
        try Data("this is not a database, only some text\n".utf8).write(to: box.directory.appendingPathComponent("garbage.db"))
        try Data(repeating: 0, count: 8192).write(to: box.directory.appendingPathComponent("zeros.db"))
        let cases: [(String, [String])] = [
            (box.path("absent.db"), ["no leadpool database", "absent.db"]),
            (box.path("garbage.db"), ["garbage.db", "not a SQLite database"]),
            (box.path("zeros.db"), ["zeros.db"]),
            (box.directory.path, ["is a directory"]),
        ]
        for (db, says) in cases {
            for arguments in [["lead", "list"], ["check"], ["claim", "1"], ["reclaim"]] {
                let run = box.leadpool(["--db", db] + arguments)
                #expect(run.status == 78, "\(db) \(arguments): \(run)")
                for phrase in says { #expect(run.stderr.contains(phrase), "\(db): \(run)") }
                Self.expectNoCrash(run, db)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: box.path("absent.db")), "nothing created by a refusal")
        #expect(try Data(contentsOf: box.directory.appendingPathComponent("garbage.db")) == Data("this is not a database, only some text\n".utf8))
    }
}

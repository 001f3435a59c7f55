import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Commands that only read work on a database the caller may only read, and change nothing in
/// it; commands that write are refused there with a clear 77. Root reads and writes everything,
/// so these run as real OS accounts (see ``OSAccount``).
@Suite(.bothBackends, .sqliteOnly("read-only SQLite files and real OS accounts")) struct TrustReadOnlyTests {
    static let reader = "lp_ro_reader"
    static let group = "lp_ro_readers"
    static let owner = "lp_ro_owner"

    /// A database with rules, leads, a round and a lead held by the reader (an admin in
    /// leadpool's terms, so that admin commands that only read can run), written by this
    /// process; then its directory and files are handed to the group with read access only.
    func readOnlySandbox() throws -> Sandbox {
        OSAccount.ensure(Self.reader, groups: [Self.group])
        OSAccount.ensure(Self.owner)
        let box = Sandbox()
        box.initialized()
        #expect(box.leadpool("rep", "add", Self.reader, "--name", "Reader", "--role", "admin", "--team", "emea").status == 0)
        var csv = "Company,Email,Country,Number of Employees\n"
        for i in 1...6 { csv += "Company \(i),c\(i)@company\(i).com,\(i % 2 == 0 ? "DE" : "FR"),\(i * 50)\n" }
        try csv.write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        try """
        defaults: { capacity: 2, daily-limit: 20 }
        icp:
          - { name: big, when: 'employees >= 100', points: 50 }
        segments:
          de: 'country = "DE"'
        rules:
          - { name: de, when: 'segment("de")', to: team:emea, strategy: round-robin }
        """.write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        let now = ["--now", "2026-11-02T09:00:00Z"]
        for step in [["import", box.path("leads.csv")], ["rules", "apply", box.path("rules.yaml")], ["assign"]] {
            let run = box.leadpool(now + step)
            #expect(run.status == 0, "\(run)")
        }
        let group = try #require(getgrnam(Self.group)).pointee.gr_gid
        for file in [box.directory.path, box.db, box.db + "-wal", box.db + "-shm", box.path("rules.yaml")] {
            #expect(chown(file, 0, group) == 0, "chown \(file)")
            #expect(chmod(file, file == box.directory.path ? 0o750 : 0o640) == 0, "chmod \(file)")
        }
        return box
    }

    /// The bytes of the database and its companions, and the directory's entries.
    func snapshot(_ box: Sandbox) -> [String: Data] {
        var files: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: box.directory.path)) ?? [] {
            files[name] = FileManager.default.contents(atPath: box.path(name)) ?? Data()
        }
        return files
    }

    @Test func everyReadOnlyCommandWorksOnAFileTheCallerMayOnlyReadAndChangesNothing() throws {
        guard OSAccount.available else {
            print(OSAccount.skipReason)
            return
        }
        let box = try readOnlySandbox()
        let before = snapshot(box)
        #expect(before.keys.sorted() == ["leadpool.db", "leadpool.db-shm", "leadpool.db-wal", "leads.csv", "rules.yaml"])
        let commands: [[String]] = [
            ["rep", "list"], ["rep", "show", Self.reader], ["pool"], ["lead", "list"], ["lead", "show", "1"],
            ["history", "2"], ["export"], ["export", "--format", "json"], ["explain", "1"], ["rules", "show"],
            ["rules", "check", box.path("rules.yaml")], ["segment", "list"], ["segment", "show", "de"],
            ["rounds", "list"], ["rounds", "show", "1"], ["assign", "--dry-run"], ["reclaim", "--dry-run"],
            ["reclaim", "--warn"], ["mine"], ["report"], ["report", "reps", "--format", "csv"], ["report", "--format", "html"], ["check"],
            ["migrate", "--status"], ["--json", "rep", "list"], ["--now", "2027-01-01", "mine"],
        ]
        for command in commands {
            let run = box.leadpool(as: .login(Self.reader), command)
            #expect(run.status == 0, "\(command.joined(separator: " ")): \(run)")
            #expect(snapshot(box) == before, "\(command.joined(separator: " ")) changed the database's files")
        }
        // The round gave the reader leads: what it reads is the database's, not an empty copy.
        let mine = box.leadpool(as: .login(Self.reader), ["mine"])
        #expect(mine.stdout.contains("Company"), "\(mine)")
        #expect(box.leadpool("check").status == 0)
    }

    @Test func aWritingCommandIsRefusedWithAClearMessageAndChangesNothing() throws {
        guard OSAccount.available else {
            print(OSAccount.skipReason)
            return
        }
        let box = try readOnlySandbox()
        let before = snapshot(box)
        for command in [["claim", "1"], ["rep", "add", "someone", "--name", "Someone"], ["assign"], ["rules", "apply", box.path("rules.yaml")]] {
            let run = box.leadpool(as: .login(Self.reader), command)
            #expect(run.status == 77, "\(command.joined(separator: " ")): \(run)")
            #expect(run.stderr.contains("cannot write \(box.db) (owner root, group \(Self.group), mode 0640): you may only read it"), "\(run)")
            #expect(!run.stderr.contains("attempt to write"), "\(run)")
            #expect(snapshot(box) == before)
        }
        #expect(box.leadpool("check").status == 0)
    }

    /// A copy of the database file alone (no -wal, no -shm), owned by someone else, in a
    /// directory the reader may not write: readable as it is when nobody may write it (0444),
    /// refused clearly when its owner may (reading it safely would need files beside it that
    /// the reader cannot create).
    @Test func aLoneFileNobodyMayWriteIsReadAsItIsAndAWritableOneIsRefusedClearly() throws {
        guard OSAccount.available else {
            print(OSAccount.skipReason)
            return
        }
        let box = try readOnlySandbox()
        let frozen = box.path("frozen")
        try FileManager.default.createDirectory(atPath: frozen, withIntermediateDirectories: false)
        let copy = frozen + "/leadpool.db"
        try FileManager.default.copyItem(atPath: box.db, toPath: copy)
        let owner = try #require(getpwnam(Self.owner)).pointee
        #expect(chown(copy, owner.pw_uid, owner.pw_gid) == 0)
        #expect(chmod(copy, 0o444) == 0)
        #expect(chmod(frozen, 0o755) == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: copy))

        let env = ["LEADPOOL_DB": copy]
        for command in [["rep", "list"], ["--json", "lead", "list"], ["rounds", "show", "1"], ["check"]] {
            let run = box.leadpool(as: .login(Self.reader), command, env: env)
            #expect(run.status == 0, "\(command.joined(separator: " ")): \(run)")
        }
        let leads = box.leadpool(as: .login(Self.reader), ["--json", "lead", "list"], env: env).json as? [Any]
        #expect(leads?.count == 6)
        #expect(try FileManager.default.contentsOfDirectory(atPath: frozen) == ["leadpool.db"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == bytes)

        #expect(chmod(copy, 0o644) == 0)
        let refused = box.leadpool(as: .login(Self.reader), ["rep", "list"], env: env)
        #expect(refused.status == 77, "\(refused)")
        #expect(refused.stderr.contains("cannot read \(copy) safely"), "\(refused)")
        #expect(refused.stderr.contains("hint: whoever may write the database runs `leadpool --db \(copy) migrate` once"), "\(refused)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: frozen) == ["leadpool.db"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == bytes)
    }
}

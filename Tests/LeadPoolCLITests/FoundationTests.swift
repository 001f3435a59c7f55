import Foundation
import Testing

/// End-to-end: the real binary on a temporary database.
@Suite(.bothBackends) struct FoundationTests {
    @Test func initCreatesDatabaseWithCallerAsFirstAdmin() {
        let box = Sandbox()
        let run = box.leadpool("init")
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("'\(CLI.login)' is the first admin"))
        let list = box.leadpool("--json", "rep", "list")
        let reps = list.json as? [[String: Any]]
        #expect(reps?.count == 1)
        #expect(reps?.first?["handle"] as? String == CLI.login)
        #expect(reps?.first?["role"] as? String == "admin")
    }

    @Test func initRefusesAnExistingDatabase() {
        let box = Sandbox()
        box.initialized()
        let again = box.leadpool("init")
        #expect(again.status == 78)
        #expect(again.stderr.contains("already exists"))
    }

    @Test func initWithAdminHandleMakesThatRepTheAdmin() {
        let box = Sandbox()
        #expect(box.leadpool("init", "--admin", "ops-lead", "--name", "Olga").status == 0)
        // The login is no rep now, so it can neither act as itself nor as the admin.
        let asLogin = box.leadpool("rep", "list")
        #expect(asLogin.status == 77)
        #expect(asLogin.stderr.contains("not a rep"))
        #expect(box.leadpool("--as", "ops-lead", "rep", "list").status == 77)
        #expect(box.leadpool("rep", "list", env: ["LEADPOOL_USER": "ops-lead"]).status == 77)
    }

    @Test func addedRepsShowInTableAndJSON() {
        let box = Sandbox()
        box.initialized()
        #expect(
            box.leadpool(
                "rep",
                "add",
                "alice",
                "--name",
                "Alice Adams",
                "--email",
                "alice@example.com",
                "--team",
                "emea",
                "--capacity",
                "40",
                "--daily-limit",
                "10",
                "--weight",
                "3",
                "--territories",
                "de, fr,DE"
            ).status == 0
        )
        #expect(box.leadpool("rep", "add", "bob", "--name", "Bob", "--team", "sdr").status == 0)

        let table = box.leadpool("rep", "list")
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.first?.split(separator: " ").prefix(2) == ["HANDLE", "NAME"])
        let alice = lines.first { $0.hasPrefix("alice") }.map(String.init) ?? ""
        #expect(alice.contains("Alice Adams") && alice.contains("emea") && alice.contains("40") && alice.contains("DE,FR"))
        #expect(!table.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")

        let show = box.leadpool("--json", "rep", "show", "alice").json as? [String: Any]
        #expect(show?["capacity"] as? Int == 40)
        #expect(show?["daily_limit"] as? Int == 10)
        #expect(show?["weight"] as? Int == 3)
        #expect(show?["territories"] as? [String] == ["DE", "FR"])
        #expect(show?["team"] as? String == "emea")
        #expect(show?["active"] as? Bool == true)
        let bob = box.leadpool("rep", "show", "bob", "--json").json as? [String: Any]
        #expect(bob?["capacity"] is NSNull, "unset capacity means the ruleset default")
    }

    @Test func repUpdateAwayDeactivateAndActivate() {
        let box = Sandbox()
        box.initialized()
        box.leadpool("rep", "add", "alice", "--name", "Alice", "--capacity", "40")
        #expect(box.leadpool("rep", "update", "alice", "--capacity", "default", "--team", "dach", "--role", "admin").status == 0)
        var alice = box.leadpool("--json", "rep", "show", "alice").json as? [String: Any]
        #expect(alice?["capacity"] is NSNull)
        #expect(alice?["team"] as? String == "dach")
        #expect(alice?["role"] as? String == "admin")

        #expect(box.leadpool("--now", "2026-12-01T12:00:00Z", "rep", "away", "alice", "--from", "2026-12-20", "--until", "2027-01-03").status == 0)
        alice = box.leadpool("--json", "rep", "show", "alice").json as? [String: Any]
        #expect(alice?["away_from"] as? String == "2026-12-20")
        #expect(alice?["away_until"] as? String == "2027-01-03", "the last away day, as --until took it")
        #expect(box.leadpool("--now", "2026-12-25", "rep", "list").stdout.contains("away through 2027-01-03"))
        #expect(box.leadpool("--now", "2027-01-04", "rep", "list").stdout.contains("active"))

        #expect(box.leadpool("rep", "deactivate", "alice").status == 0)
        #expect(box.leadpool("rep", "list").stdout.contains("inactive"))
        let inactive = box.leadpool("--as", "alice", "rep", "list")
        #expect(inactive.status == 77)
        #expect(inactive.stderr.contains("deactivated"))
        #expect(box.leadpool("rep", "activate", "alice").status == 0)
        #expect(box.leadpool("--as", "alice", "rep", "list").status == 0)
    }

    @Test func theLastAdminCannotBeDemotedOrDeactivated() {
        let box = Sandbox()
        let admin = box.initialized()
        let demote = box.leadpool("rep", "update", admin, "--role", "rep")
        #expect(demote.status == 1)
        #expect(demote.stderr.contains("last active admin"))
        #expect(box.leadpool("rep", "deactivate", admin).status == 1)
    }

    @Test func repsMayNotRunAdminCommandsOrActAsOthers() {
        let box = Sandbox()
        box.initialized()
        box.leadpool("rep", "add", "alice", "--name", "Alice")
        box.leadpool("rep", "add", "bob", "--name", "Bob")
        let add = box.leadpool("--as", "alice", "rep", "add", "carol", "--name", "Carol")
        #expect(add.status == 77)
        #expect(add.stderr.contains("for admins"))
        #expect(box.leadpool("--as", "alice", "rep", "away", "bob", "--until", "2027-01-01").status == 77)
        #expect(box.leadpool("--as", "alice", "rep", "away", "alice", "--until", "2027-01-01").status == 0, "reps set their own away")
        // The admin login may act as a rep; the rep then is bound by its role.
        #expect(box.leadpool("--as", "bob", "rep", "show", "alice").status == 0)
        #expect(box.leadpool("--as", "bob", "backup", box.path("b.db")).status == 77)
        #expect(box.leadpool("rep", "list").stdout.contains("carol") == false)
    }

    @Test func unknownHandleGets77WithAHint() {
        let box = Sandbox()
        box.initialized()
        let run = box.leadpool("--as", "ghost", "rep", "list")
        #expect(run.status == 77)
        #expect(run.stderr.contains("no rep with handle 'ghost'"))
        #expect(run.stderr.contains("hint:"))
    }

    @Test func usageErrorsExit64() {
        let box = Sandbox()
        box.initialized()
        #expect(box.leadpool("rep", "add", "x").status == 64)
        #expect(box.leadpool("rep", "add", "bad handle", "--name", "X").status == 64)
        #expect(box.leadpool("rep", "add", "x", "--name", "X", "--capacity", "-3").status == 64)
        #expect(box.leadpool("rep", "add", "x", "--name", "X", "--weight", "0").status == 64)
        #expect(box.leadpool("rep", "add", "x", "--name", "X", "--role", "boss").status == 64)
        #expect(box.leadpool("rep", "update", "x").status == 64)
        #expect(box.leadpool("no-such-command").status == 64)
        let now = box.leadpool("--now", "yesterday", "rep", "list")
        #expect(now.status == 64)
        #expect(now.stderr.contains("ISO-8601"))
        #expect(box.leadpool("rep", "list", env: ["LEADPOOL_NOW": "2026-13-01"]).status == 64)
        #expect(box.leadpool("rep", "list").stdout.contains("x ") == false, "nothing was added")
    }

    @Test func missingRepIs66AndDuplicateIsRefused() {
        let box = Sandbox()
        box.initialized()
        #expect(box.leadpool("rep", "show", "nobody").status == 66)
        #expect(box.leadpool("rep", "update", "nobody", "--weight", "2").status == 66)
        box.leadpool("rep", "add", "alice", "--name", "Alice")
        let dup = box.leadpool("rep", "add", "alice", "--name", "Other")
        #expect(dup.status == 1)
        #expect(dup.stderr.contains("already exists"))
    }

    @Test(.sqliteOnly("SQLite files: missing, garbage, empty and directory paths")) func badDatabaseFilesAreRefusedCleanlyAndLeftAlone() throws {
        let box = Sandbox()
        let missing = box.leadpool("rep", "list")
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("no leadpool database") && missing.stderr.contains("init"))
        #expect(!FileManager.default.fileExists(atPath: box.db), "a missing database is not created by accident")

        let garbage = box.path("garbage.db")
        let bytes = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
        try bytes.write(to: URL(fileURLWithPath: garbage))
        let run = box.leadpool("--db", garbage, "rep", "list")
        #expect(run.status == 78)
        #expect(run.stderr.contains("not a SQLite database"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: garbage)) == bytes)

        let empty = box.path("empty.db")
        FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(box.leadpool("--db", empty, "rep", "list").status == 78)

        let directory = box.path("dir")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let dir = box.leadpool("--db", directory, "rep", "list")
        #expect(dir.status == 78)
        #expect(dir.stderr.contains("is a directory"))
        #expect(!dir.stderr.contains("Fatal") && !dir.stderr.contains("Stack dump"))
    }

    @Test func checkPassesOnAFreshDatabase() {
        let box = Sandbox()
        box.initialized()
        let run = box.leadpool("check")
        #expect(run.status == 0, "\(run)")
        // The database's own integrity check first: SQLite's pragmas, or PostgreSQL's catalogue.
        let integrity = box.backend == .postgres ? "ok    PostgreSQL constraints validated" : "ok    SQLite integrity"
        #expect(run.stdout.contains(integrity), "\(run)")
        let json = box.leadpool("--json", "check").json as? [String: Any]
        #expect(json?["ok"] as? Bool == true)
    }

    @Test(.sqliteOnly("backup copies the SQLite file (PostgreSQL says to use pg_dump)")) func backupWritesAWorkingCopy() {
        let box = Sandbox()
        box.initialized()
        box.leadpool("rep", "add", "alice", "--name", "Alice")
        let copy = box.path("copy.db")
        let run = box.leadpool("backup", copy)
        #expect(run.status == 0, "\(run)")
        let list = box.leadpool("--db", copy, "rep", "list")
        #expect(list.status == 0)
        #expect(list.stdout.contains("alice"))
        #expect(box.leadpool("backup", box.db).status == 64, "never over the live database")
    }

    @Test func migrateStatusListsAppliedMigrations() {
        let box = Sandbox()
        box.initialized()
        let run = box.leadpool("migrate", "--status")
        #expect(run.status == 0)
        #expect(run.stdout.contains("0001_initial.sql") && run.stdout.contains("applied"))
        #expect(box.leadpool("migrate").stdout.contains("up to date"))
    }

    @Test func globalOptionsWorkBeforeAndAfterTheCommand() {
        let box = Sandbox()
        box.initialized()
        let other = box.path("other.db")
        #expect(box.leadpool("--db", other, "init").status == 0)
        #expect(box.leadpool("--db", other, "rep", "add", "zed", "--name", "Zed").status == 0)
        #expect(box.leadpool("rep", "list", "--db", other).stdout.contains("zed"))
        #expect(!box.leadpool("rep", "list").stdout.contains("zed"), "LEADPOOL_DB still names the first database")
    }
}

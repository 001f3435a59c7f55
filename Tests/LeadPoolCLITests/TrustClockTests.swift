import Foundation
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The clock and identity as a trust boundary: only an admin's login moves the clock of a
/// command that writes, every event records when and by which login it was written, `check`
/// finds future-dated events and days over the daily limit, the login comes from the password
/// database only, and handles cannot be told apart by case alone.
@Suite(.bothBackends) struct TrustClockTests {
    static let rep = "lp_clock_amy"
    static let day = "2026-11-02"

    /// This process's login (root in CI) is the admin; `lp_clock_amy` is a rep (daily limit 2)
    /// with lead 1; twenty pool leads; the sandbox open to every OS account.
    static func box() throws -> Sandbox {
        let box = Sandbox()
        box.initialized()
        #expect(box.leadpool("rep", "add", rep, "--name", "Amy", "--daily-limit", "2").status == 0)
        var csv = "Company,Email,Country\n"
        for i in 1...20 { csv += "Company \(i),c\(i)@company\(i).com,DE\n" }
        try csv.write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("--now", "2026-11-01T09:00:00Z", "import", box.path("leads.csv")).status == 0)
        #expect(box.leadpool("--now", "\(day)T09:00:00Z", "--as", rep, "claim", "1").status == 0)
        box.openToEveryone()
        return box
    }

    /// Inserts events behind leadpool's back, as someone with the sqlite3 shell would.
    static func insert(_ box: Sandbox, _ sql: String) throws {
        try Reliability.execute(box.db, [sql])
    }

    static let clock = "no event is dated after it was written, unless an admin wrote it"
    static let dailyLimit = "nobody claimed more in a day than their daily limit"

    // MARK: - The clock

    @Test(.sqliteOnly("the OS login as identity (on PostgreSQL the role: PostgresIdentityTests)"))
    func aRepAtTheirOwnLoginCannotMoveTheClockOfACommandThatWrites() throws {
        guard OSAccount.available else {
            print(OSAccount.skipReason)
            return
        }
        OSAccount.ensure(Self.rep)
        let box = try Self.box()
        let before = Reliability.fingerprint(box.db)
        let later = "2026-12-30T09:00:00Z"
        for arguments in [
            ["--now", later, "claim", "2"],
            ["--now", later, "touch", "1", "--note", "dated ahead so it is never reclaimed"],
            ["--now", later, "release", "1", "--reason", "wrong region"],
            ["--now", later, "claim", "--next", "-n", "3"],
            ["--now", later, "rep", "away", Self.rep, "--until", "2027-01-03"],
        ] {
            let run = box.leadpool(as: .login(Self.rep), arguments)
            #expect(run.status == 77, "\(arguments): \(run)")
            #expect(run.stderr.contains("--now (or LEADPOOL_NOW) sets the clock, which only admins may do"), "\(run)")
            #expect(run.stderr.contains("logged in as '\(Self.rep)', which is a rep"), "\(run)")
        }
        let viaEnvironment = box.leadpool(as: .login(Self.rep), ["touch", "1"], env: ["LEADPOOL_NOW": later])
        #expect(viaEnvironment.status == 77, "\(viaEnvironment)")
        #expect(Reliability.fingerprint(box.db) == before, "a refused command changes nothing")

        // Reading with --now works for anyone.
        for arguments in [["mine"], ["pool", "--limit", "3"], ["lead", "show", "1"], ["history", "1"], ["rep", "show", Self.rep], ["check"]] {
            let run = box.leadpool(as: .login(Self.rep), ["--now", later] + arguments)
            #expect(run.status == 0, "\(arguments): \(run)")
        }
        // At the real clock the same rep may write.
        let touch = box.leadpool(as: .login(Self.rep), ["touch", "1", "--note", "called"])
        #expect(touch.status == 0, "\(touch)")
        // An admin acting as the rep may backfill, into the past or ahead.
        let backfill = box.leadpool(["--as", Self.rep, "--now", "\(Self.day)T10:00:00Z", "touch", "1", "--note", "from the paper log"])
        #expect(backfill.status == 0, "\(backfill)")
        #expect(box.leadpool(["--as", Self.rep, "--now", later, "touch", "1"]).status == 0)
        let check = ReliabilityCheckTests.check(box)
        #expect(check.status == 0, "\(check)")
        #expect(check.problems[Self.clock] == [], "\(check)")
        // Each event says which login wrote it: the rep herself, or the admin acting as her.
        let writers = Reliability.rows(box.db, "SELECT actor, recorded_by FROM events WHERE kind = 'touched' ORDER BY id")
            .map { "\($0["actor"] as String)/\($0["recorded_by"] as String)" }
        #expect(writers == ["\(Self.rep)/\(Self.rep)", "\(Self.rep)/\(CLI.login)", "\(Self.rep)/\(CLI.login)"])
    }

    @Test(.sqliteOnly("the OS login as identity (on PostgreSQL the role: PostgresIdentityTests)")) func aDeactivatedAdminsLoginMayNotMoveTheClock()
        throws
    {
        guard OSAccount.available else {
            print(OSAccount.skipReason)
            return
        }
        OSAccount.ensure("lp_clock_olaf")
        let box = try Self.box()
        #expect(box.leadpool("rep", "add", "lp_clock_olaf", "--name", "Olaf", "--role", "admin").status == 0)
        #expect(box.leadpool(as: .login("lp_clock_olaf"), ["--now", "2026-12-01", "--as", Self.rep, "touch", "1"]).status == 0)
        #expect(box.leadpool("rep", "deactivate", "lp_clock_olaf").status == 0)
        let before = Reliability.fingerprint(box.db)
        let run = box.leadpool(as: .login("lp_clock_olaf"), ["--now", "2026-12-01", "--as", Self.rep, "touch", "1"])
        #expect(run.status == 77, "\(run)")
        #expect(Reliability.fingerprint(box.db) == before)
    }

    @Test func everyEventRecordsTheWallClockAndTheLoginThatWroteIt() throws {
        let box = Sandbox()
        box.initialized()
        let started = Int64(Date().timeIntervalSince1970)
        #expect(box.leadpool("rep", "add", "bea", "--name", "Bea", "--team", "field").status == 0)
        try Reliability.rules(capacity: 100).write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("--now", "2026-11-01T09:00:00Z", "rules", "apply", box.path("rules.yaml")).status == 0)
        // 150 rows: two INSERTs of 64 and the rest one by one.
        try Reliability.leadsCSV(150).write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("--now", "2026-11-01T09:00:00Z", "import", box.path("leads.csv")).status == 0)
        try Reliability.leadsCSV(2).write(toFile: box.path("again.csv"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("import", box.path("again.csv"), "--on-duplicate", "update").status == 0)
        #expect(box.leadpool("lead", "add", "--company", "Hand Made").status == 0)
        #expect(box.leadpool("lead", "tag", "3", "vip").status == 0)
        #expect(box.leadpool("--now", "2026-11-02T09:00:00Z", "assign", "--limit", "20").status == 0)
        #expect(box.leadpool("--as", "bea", "claim", "140").status == 0)
        #expect(box.leadpool("--as", "bea", "touch", "140").status == 0)
        #expect(box.leadpool("transfer", "141", "--to", "bea").status == 0)
        #expect(box.leadpool("--as", "bea", "release", "141", "--reason", "duplicate").status == 0)
        #expect(box.leadpool("--now", "2027-06-01T02:00:00Z", "reclaim").status == 0)
        let ended = Int64(Date().timeIntervalSince1970)
        let kinds = Reliability.rows(box.db, "SELECT DISTINCT kind FROM events ORDER BY kind").map { $0[0] as String }
        #expect(kinds == ["assigned", "claimed", "created", "imported", "reclaimed", "released", "tagged", "touched", "transferred", "updated"])
        let unrecorded = Reliability.rows(
            box.db,
            """
            SELECT id, kind, recorded_at, recorded_by FROM events
            WHERE recorded_at IS NULL OR recorded_at NOT BETWEEN \(started) AND \(ended) OR recorded_by IS DISTINCT FROM '\(CLI.login)'
            """
        )
        #expect(unrecorded.isEmpty, "\(unrecorded)")
        #expect(Reliability.count(box.db, "SELECT count(*) FROM events WHERE kind = 'imported'") == 150)
        #expect(ReliabilityCheckTests.check(box).status == 0)
    }

    // MARK: - Daily limits

    @Test func aBackDatedClaimCountsTheClaimsOfItsOwnDayOnly() throws {
        let box = try Self.box()
        let rep = ["--as", Self.rep]
        // The rep reaches the limit of 2 on the 3rd (the claim of lead 1 was on the 2nd).
        #expect(box.leadpool(rep + ["--now", "2026-11-03T15:00:00Z", "claim", "2", "3"]).status == 0)
        // Back-dated to the 2nd: that day holds one claim, so one more fits, and the 3rd's do not count.
        let backDated = box.leadpool(rep + ["--now", "\(Self.day)T10:00:00Z", "claim", "4"])
        #expect(backDated.status == 0, "\(backDated)")
        // Back-dated before the day's first claim: the whole day counts, later claims too.
        let early = box.leadpool(rep + ["--now", "\(Self.day)T08:00:00Z", "claim", "5"])
        #expect(early.status == 1, "\(early)")
        #expect(early.stdout.contains("daily limit: you claimed 2 of 2 today"), "\(early)")
        #expect(box.leadpool(rep + ["--now", "2026-11-03T16:00:00Z", "claim", "5"]).status == 1)
        let check = ReliabilityCheckTests.check(box)
        #expect(check.status == 0, "\(check)")
        #expect(check.problems[Self.dailyLimit] == [], "\(check)")
    }

    @Test func checkJudgesEachDayAgainstTheDailyLimitInForceThen() throws {
        let box = try Self.box()
        #expect(box.leadpool("--as", Self.rep, "--now", "\(Self.day)T10:00:00Z", "claim", "2").status == 0)
        // Lowering the limit later breaks nothing: each claim kept the limit it was checked against.
        #expect(box.leadpool("rep", "update", Self.rep, "--daily-limit", "1").status == 0)
        var check = ReliabilityCheckTests.check(box)
        #expect(check.status == 0, "\(check)")
        #expect(check.problems[Self.dailyLimit] == [], "\(check)")
        // A third claim that day, written behind leadpool's back with the limit of 2: a problem.
        let at = Int64(ISO8601DateFormatter().date(from: "\(Self.day)T11:00:00Z")!.timeIntervalSince1970)
        try Self.insert(
            box,
            """
            UPDATE leads SET owner = '\(Self.rep)', claimed_at = \(at) WHERE id = 3;
            INSERT INTO events (lead_id, at, actor, kind, to_owner, detail, recorded_at, recorded_by)
            VALUES (3, \(at), '\(Self.rep)', 'claimed', '\(Self.rep)', '{"capacity":null,"daily_limit":2}', \(at), '\(Self.rep)')
            """
        )
        check = ReliabilityCheckTests.check(box)
        #expect(check.status == 1, "\(check)")
        let problems = check.problems[Self.dailyLimit] ?? []
        #expect(problems.count == 1, "\(check)")
        #expect(problems.first?.hasPrefix("\(Self.rep) claimed 3 leads on \(Self.day); event ") == true, "\(problems)")
        #expect(problems.first?.hasSuffix("went past the daily limit of 2 in force then") == true, "\(problems)")
    }

    // MARK: - check and the wall clock

    @Test func checkReportsFutureDatedEventsThatNoAdminWrote() throws {
        let box = try Self.box()
        #expect(ReliabilityCheckTests.check(box).status == 0)
        let now = Int64(Date().timeIntervalSince1970)
        let ahead = now + 30 * 86_400
        // Within the slack: the seconds of two readings of one clock.
        try Self.insert(
            box,
            """
            INSERT INTO events (lead_id, at, actor, kind, recorded_at, recorded_by)
            VALUES (1, \(now + 30), '\(Self.rep)', 'touched', \(now), '\(Self.rep)')
            """
        )
        #expect(ReliabilityCheckTests.check(box).status == 0)
        // The admin's login wrote one ahead: a backfill, allowed.
        try Self.insert(
            box,
            """
            INSERT INTO events (lead_id, at, actor, kind, recorded_at, recorded_by)
            VALUES (1, \(ahead), '\(Self.rep)', 'touched', \(now), '\(CLI.login)')
            """
        )
        #expect(ReliabilityCheckTests.check(box).status == 0)
        // The rep's own login wrote one ahead.
        try Self.insert(
            box,
            """
            INSERT INTO events (lead_id, at, actor, kind, recorded_at, recorded_by)
            VALUES (1, \(ahead), '\(Self.rep)', 'touched', \(now), '\(Self.rep)')
            """
        )
        var check = ReliabilityCheckTests.check(box)
        #expect(check.status == 1, "\(check)")
        #expect(check.problems[Self.clock]?.count == 1, "\(check)")
        let problem = check.problems[Self.clock]?.first ?? ""
        #expect(problem.contains("(touched of lead 1 as \(Self.rep)) is dated "), "\(problem)")
        #expect(problem.hasSuffix("by login '\(Self.rep)', a rep"), "\(problem)")
        // One that records no wall clock, after events that do, was not written by leadpool.
        try Self.insert(box, "INSERT INTO events (lead_id, at, actor, kind) VALUES (1, \(now), '\(Self.rep)', 'touched')")
        check = ReliabilityCheckTests.check(box)
        #expect(check.problems[Self.clock]?.count == 2, "\(check)")
        #expect(check.problems[Self.clock]?.last?.hasSuffix("records no wall clock: leadpool did not write it") == true, "\(check)")
    }

    // MARK: - Identity

    @Test(.sqliteOnly("the OS password database as identity")) func aUidWithoutAPasswordEntryIsRefusedWhateverUSERSays() throws {
        guard OSAccount.available else {
            print(OSAccount.skipReason)
            return
        }
        let box = try Self.box()
        let before = Reliability.fingerprint(box.db)
        let nobody = OSAccount.User.uid(OSAccount.uidWithoutEntry)
        let env = ["USER": CLI.login, "LOGNAME": CLI.login]
        for arguments in [["rep", "list"], ["claim", "2"], ["--as", Self.rep, "touch", "1"], ["rep", "add", "eve", "--name", "Eve"]] {
            let run = box.leadpool(as: nobody, arguments, env: env)
            #expect(run.status == 77, "\(arguments): \(run)")
            #expect(run.stderr.contains("uid \(OSAccount.uidWithoutEntry) has no entry in the password database"), "\(run)")
        }
        #expect(Reliability.fingerprint(box.db) == before)
        // init and demo need a login to name the first admin: nothing is created.
        let path = box.path("other.db")
        let initRun = box.leadpool(as: nobody, ["--db", path, "init"], env: env)
        #expect(initRun.status == 77, "\(initRun)")
        #expect(!FileManager.default.fileExists(atPath: path))
        let demo = box.leadpool(as: nobody, ["demo", "--dir", box.path("demo"), "--leads", "10"], env: env)
        #expect(demo.status == 77, "\(demo)")
        #expect(!FileManager.default.fileExists(atPath: box.path("demo")))
    }

    @Test func handlesAreUniqueRegardlessOfCaseAndSystemIsReserved() throws {
        let box = try Self.box()
        let before = Reliability.fingerprint(box.db)
        let twin = box.leadpool("rep", "add", "LP_Clock_Amy", "--name", "Other Amy")
        #expect(twin.status == 1, "\(twin)")
        #expect(twin.stderr.contains("a rep with handle '\(Self.rep)' already exists; handles are unique regardless of case"), "\(twin)")
        for handle in ["system", "System", "SYSTEM"] {
            let run = box.leadpool("rep", "add", handle, "--name", "Sys")
            #expect(run.status == 64, "\(handle): \(run)")
            #expect(run.stderr.contains("the handle '\(handle)' is reserved"), "\(run)")
        }
        #expect(box.leadpool("--db", box.path("sys.db"), "init", "--admin", "system").status == 64)
        // Lookups are exact, as logins are: another case finds no rep, and the hint names the one there is.
        let show = box.leadpool("rep", "show", "LP_CLOCK_AMY")
        #expect(show.status == 66, "\(show)")
        #expect(show.stderr.contains("handles match exactly: did you mean '\(Self.rep)'?"), "\(show)")
        let acting = box.leadpool("--as", "LP_CLOCK_AMY", "mine")
        #expect(acting.status == 77, "\(acting)")
        #expect(acting.stderr.contains("did you mean '\(Self.rep)'?"), "\(acting)")
        #expect(Reliability.fingerprint(box.db) == before)
        // The schema holds it too, for writes that bypass leadpool.
        #expect(throws: (any Error).self) {
            try Self.insert(box, "INSERT INTO reps (handle, name, created_at) VALUES ('Lp_clock_AMY', 'x', 0)")
        }
        #expect(throws: (any Error).self) {
            try Self.insert(box, "INSERT INTO reps (handle, name, created_at) VALUES ('sYstem', 'x', 0)")
        }
        #expect(ReliabilityCheckTests.check(box).status == 0)
    }

    @Test(.sqliteOnly("init for another OS account sharing the SQLite file")) func initForAnotherAdminSaysWhatWorksAndItDoes() throws {
        guard OSAccount.available else {
            print(OSAccount.skipReason)
            return
        }
        OSAccount.ensure("lp_clock_olga")
        let box = Sandbox()
        let run = box.leadpool("init", "--admin", "lp_clock_olga", "--name", "Olga Ops")
        #expect(run.status == 0, "\(run)")
        let db = URL(fileURLWithPath: box.db).standardizedFileURL.path
        #expect(run.stdout.contains("Your login '\(CLI.login)' is not a rep in it"), "\(run)")
        #expect(run.stdout.contains("sudo -u lp_clock_olga leadpool --db \(db) rep list"), "\(run)")
        #expect(
            run.stdout.contains(
                "sudo -u lp_clock_olga leadpool --db \(db) rep add \(CLI.login) --name \"\(CLI.login)\" --role admin"
            ),
            "\(run)"
        )
        #expect(!run.stdout.contains("--as HANDLE"), "\(run)")
        // Until then the caller can do nothing, and is not told to try --as.
        let refused = box.leadpool("rep", "list")
        #expect(refused.status == 77)
        #expect(!refused.stderr.contains("--as"), "\(refused)")
        // The commands it printed work (given write access to the file and its directory).
        box.openToEveryone()
        #expect(box.leadpool(as: .login("lp_clock_olga"), ["rep", "list"]).status == 0)
        let add = box.leadpool(as: .login("lp_clock_olga"), ["rep", "add", CLI.login, "--name", CLI.login, "--role", "admin"])
        #expect(add.status == 0, "\(add)")
        #expect(box.leadpool("rep", "list").status == 0)
    }
}

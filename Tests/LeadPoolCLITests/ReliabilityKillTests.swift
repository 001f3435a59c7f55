import Foundation
import GRDB
import Testing

/// SIGKILL at a random moment (seeded, printed) during each long write: afterwards `check`
/// passes, and the next run completes and leaves the same end state as an uninterrupted run.
/// On PostgreSQL too: each copy is a schema of its own, and a killed reclaim's advisory lock
/// goes with its session, so the next reclaim runs.
///
/// Each test builds one database, copies it twice, runs the command to the end on the first
/// copy (timing it), and kills it on the second at a random point within that time.
@Suite(.serialized, .bothBackends) struct ReliabilityKillTests {
    /// Enough leads that each command runs long enough to be killed midway (PostgreSQL's
    /// import is slower per lead in a debug build, so fewer there).
    static var leads: Int { (TestBackend.current == .postgres ? 6_000 : 30_000) * Reliability.scale }
    static let now = "2026-03-02T09:00:00Z"
    static let later = "2026-04-15T09:00:00Z"

    /// A database with reps in team `field`, the rules applied, and `leads` leads imported
    /// unless `imported` is false.
    static func base(capacity: Int, imported: Bool = true) throws -> Sandbox {
        let box = Sandbox()
        box.initialized()
        for rep in ["ana", "ben", "cho", "dev"] {
            #expect(box.leadpool("rep", "add", rep, "--name", rep.capitalized, "--team", "field").status == 0)
        }
        try Reliability.rules(capacity: capacity).write(toFile: box.path("rules.yaml"), atomically: true, encoding: .utf8)
        #expect(box.leadpool("--now", "2026-03-01T09:00:00Z", "rules", "apply", box.path("rules.yaml")).status == 0)
        try Reliability.leadsCSV(leads).write(toFile: box.path("leads.csv"), atomically: true, encoding: .utf8)
        if imported {
            let run = box.leadpool("--now", "2026-03-01T09:00:00Z", "import", box.path("leads.csv"))
            #expect(run.status == 0, "\(run)")
        }
        return box
    }

    /// Runs `arguments` to the end on `reference` (timing it), then on `victim` kills it at a
    /// seeded random moment within that time. Returns whether it was killed before finishing.
    static func killMidway(
        _ arguments: [String],
        box: Sandbox,
        reference: String,
        victim: String,
        test: String
    ) throws -> Bool {
        var random = Reliability.generator(test)
        let started = Date()
        let full = box.leadpool(["--db", reference] + arguments)
        let duration = Date().timeIntervalSince(started)
        #expect(full.status == 0, "the uninterrupted run: \(full)")

        let fraction = Double.random(in: 0.1...0.9, using: &random)
        print(
            "reliability: \(test): uninterrupted run took \(String(format: "%.2f", duration)) s; killing at \(String(format: "%.0f", fraction * 100))% = \(String(format: "%.2f", fraction * duration)) s"
        )
        let process = try Spawned(arguments, db: victim, in: box)
        usleep(useconds_t(fraction * duration * 1_000_000))
        let killed = process.isRunning
        process.kill()
        if !killed { print("reliability: \(test): it finished before the kill") }
        return killed
    }

    /// `check` on `db` passes; returns its JSON.
    static func expectCheckPasses(_ box: Sandbox, _ db: String, _ when: String) -> [String: Any] {
        let check = box.leadpool("--db", db, "--json", "check")
        #expect(check.status == 0, "check \(when): \(check)")
        return check.json as? [String: Any] ?? [:]
    }

    static func notes(_ check: [String: Any]) -> [String] {
        (check["checks"] as? [[String: Any]] ?? []).flatMap { $0["notes"] as? [String] ?? [] }
    }

    @Test func aKilledImportLeavesAllOrNothingAndTheRerunMatches() throws {
        let box = try Self.base(capacity: 50, imported: false)
        let reference = box.copy(to: "reference.db")
        let victim = box.copy(to: "victim.db")
        let arguments = ["--now", Self.now, "import", box.path("leads.csv")]
        _ = try Self.killMidway(arguments, box: box, reference: reference, victim: victim, test: "import")

        _ = Self.expectCheckPasses(box, victim, "after the kill")
        let count = Reliability.count(victim, "SELECT count(*) FROM leads")
        #expect(count == 0 || count == Self.leads, "all or nothing: \(count) leads")
        let rerun = box.leadpool(["--db", victim] + arguments)
        #expect(rerun.status == 0, "\(rerun)")
        _ = Self.expectCheckPasses(box, victim, "after the rerun")
        #expect(Reliability.state(victim) == Reliability.state(reference))
    }

    @Test func aKilledRulesApplyLeavesTheOldOrTheNewVersionWhole() throws {
        let box = try Self.base(capacity: 50)
        let reference = box.copy(to: "reference.db")
        let victim = box.copy(to: "victim.db")
        let before = Reliability.state(victim)
        try Reliability.rules(capacity: 50, industryPoints: 10).write(toFile: box.path("v2.yaml"), atomically: true, encoding: .utf8)
        let arguments = ["--now", Self.now, "rules", "apply", box.path("v2.yaml")]
        _ = try Self.killMidway(arguments, box: box, reference: reference, victim: victim, test: "rules apply")

        _ = Self.expectCheckPasses(box, victim, "after the kill: scores match the version in force")
        let after = Reliability.state(reference)
        let killed = Reliability.state(victim)
        #expect(killed == before || killed == after, "the old version or the new one, never a mix")
        if killed == before {
            #expect(box.leadpool(["--db", victim] + arguments).status == 0)
        }
        _ = Self.expectCheckPasses(box, victim, "after the rerun")
        #expect(Reliability.state(victim) == after)
    }

    /// A writer killed in the first write to a `backup` copy (in rollback mode) leaves a hot
    /// journal, and SQLite refuses to read the file read-only until it is rolled back ("attempt
    /// to write a readonly database"). A command that only reads rolls it back as a writer would
    /// and reads the state from before the killed write.
    @Test(.sqliteOnly("SQLite's rollback journal")) func aHotJournalLeftByAKilledWriterIsRolledBackByTheNextReader() throws {
        let box = try Self.base(capacity: 50)
        let copy = box.copy(to: "copy.db")
        let killed = box.path("killed.db")
        let before = Reliability.state(copy)
        // A write whose changes spill to the file, its files copied while it is open: the copy
        // is what a writer killed at that moment leaves.
        let queue = try DatabaseQueue(path: copy)
        try queue.inDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = 10")
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "UPDATE leads SET city = coalesce(city, '') || 'x'")
            for suffix in ["", "-journal"] { try FileManager.default.copyItem(atPath: copy + suffix, toPath: killed + suffix) }
            try db.execute(sql: "ROLLBACK")
        }
        try queue.close()
        #expect(FileManager.default.fileExists(atPath: killed + "-journal"), "the killed write left its journal")

        let check = box.leadpool("--db", killed, "check")
        #expect(check.status == 0, "\(check)")
        #expect(!FileManager.default.fileExists(atPath: killed + "-journal"))
        #expect(Reliability.state(killed) == before, "the killed write is rolled back")
    }

    @Test func aKilledRoundIsFinishedByTheNextOne() throws {
        // Four reps with room for 80% of the pool: a round writes many batches and leaves some.
        let capacity = Self.leads / 5
        let box = try Self.base(capacity: capacity)
        let reference = box.copy(to: "reference.db")
        let victim = box.copy(to: "victim.db")
        let arguments = ["--now", Self.now, "assign"]
        let killed = try Self.killMidway(arguments, box: box, reference: reference, victim: victim, test: "assign")

        let check = Self.expectCheckPasses(box, victim, "after the kill")
        if killed, Reliability.count(victim, "SELECT count(*) FROM rounds WHERE status != 'complete'") > 0 {
            #expect(Self.notes(check).contains { $0.contains("run assign again") }, "\(check)")
        }
        let rerun = box.leadpool(["--db", victim] + arguments)
        #expect(rerun.status == 0, "\(rerun)")
        let after = Self.expectCheckPasses(box, victim, "after the rerun")
        #expect(!Self.notes(after).contains { $0.contains("run assign again") }, "\(after)")

        let owned = "SELECT count(*) FROM leads WHERE owner IS NOT NULL"
        #expect(Reliability.count(reference, owned) == 4 * capacity, "every rep filled up in the uninterrupted run")
        #expect(Reliability.count(victim, owned) == Reliability.count(reference, owned), "every lead that fits was assigned")
        let held = Reliability.rows(victim, "SELECT owner, count(*) FROM leads WHERE owner IS NOT NULL GROUP BY owner")
        #expect(held.allSatisfy { ($0[1] as Int) == capacity }, "each rep exactly at capacity, none above: \(held)")
        let events = "SELECT count(*) FROM events WHERE kind = 'assigned'"
        #expect(Reliability.count(victim, events) == Reliability.count(reference, events), "one event per assignment")
    }

    @Test func aKilledReclaimIsFinishedByTheNextOne() throws {
        let box = try Self.base(capacity: Self.leads)
        #expect(box.leadpool("--now", Self.now, "assign").status == 0)
        let reference = box.copy(to: "reference.db")
        let victim = box.copy(to: "victim.db")
        let arguments = ["--now", Self.later, "reclaim", "--quiet"]
        _ = try Self.killMidway(arguments, box: box, reference: reference, victim: victim, test: "reclaim")

        _ = Self.expectCheckPasses(box, victim, "after the kill")
        let rerun = box.leadpool(["--db", victim] + arguments)
        #expect(rerun.status == 0, "\(rerun)")
        _ = Self.expectCheckPasses(box, victim, "after the rerun")
        #expect(Reliability.count(reference, "SELECT count(*) FROM leads WHERE owner IS NOT NULL") == 0)
        #expect(Reliability.state(victim) == Reliability.state(reference))
        let events = "SELECT count(*) FROM events WHERE kind = 'reclaimed'"
        #expect(Reliability.count(victim, events) == Self.leads, "one event per lead reclaimed, none twice")
    }
}

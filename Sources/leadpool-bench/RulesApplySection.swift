import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStore

/// `leadpool rules apply` of ``BenchRules`` over every imported lead, next to the floor: the
/// set-based UPDATE the store runs (score from the ICP, tier from the score; pool index
/// dropped and built again), with the very SQL the store compiles from the same file, by
/// hand in one transaction on a copy of the same database.
struct RulesApplySection {
    let bench: BenchContext
    /// The database the import produced.
    let imported: String

    /// Measures and returns the figures with the database the first run scored (the ruleset
    /// in force, every lead scored), which the round starts from.
    func measure() throws -> (Measurement, scored: String) {
        let rulesFile = bench.directory + "/rules.yaml"
        try bench.rulesYAML.write(toFile: rulesFile, atomically: true, encoding: .utf8)
        let leads = Int(try bench.query(imported).int("SELECT count(*) FROM leads"))

        var seconds: [Double] = []
        var peak = 0
        var scored = ""
        for run in 1...bench.runs {
            let database = try bench.copy(imported, to: "rules-\(run)")
            let child = try bench.leadpool(database, now: bench.nowISO, ["--json", "rules", "apply", rulesFile])
            bench.log("  rules apply run \(run): \(String(format: "%.3f", child.seconds)) s, \(child.peakRSSBytes / 1_048_576) MiB")
            seconds.append(child.seconds)
            peak = max(peak, child.peakRSSBytes)
            if run == 1 { scored = database } else { bench.remove(database) }
        }
        let floors = try bench.floorRuns(copying: imported, as: "rules-floor") { database in
            if let postgres = bench.postgres { return try postgresFloorRun(database, postgres, scores: scored) }
            return try floorRun(database)
        }
        let tiers = try bench.query(scored).rows("SELECT tier, count(*) FROM leads GROUP BY tier ORDER BY tier")
            .map { "\($0[0].text ?? "-") \($0[1].int ?? 0)" }.joined(separator: ", ")
        let measurement = Measurement(
            name: "rules apply",
            size: bench.leads.count,
            units: leads,
            runSeconds: seconds,
            peakRSSBytes: peak,
            floorRunSeconds: floors,
            target: .init(text: ">= 200k leads/s (1M in 5 s)", minUnitsPerSecond: 200_000),
            note: "\(leads) leads scored with 9 ICP criteria; tiers \(tiers)"
        )
        return (measurement, scored)
    }

    /// One timed floor run, from open to close: the store's UPDATE (`Store.rescoreSQL`) with the
    /// pool index dropped and built again after, as the store does, same
    /// connection settings as leadpool (WAL, synchronous NORMAL, foreign keys on).
    private func floorRun(_ path: String) throws -> Double {
        let ruleset = try Ruleset.parse(bench.rulesYAML, fileName: "rules.yaml")
        let now = Date(timeIntervalSince1970: TimeInterval(bench.now))
        let (sql, arguments) = try Store.rescoreSQL(ruleset, now: now)
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        let started = DispatchTime.now()
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.inTransaction(.immediate) { db in
            let pool = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'leads_pool'") ?? ""
            try db.execute(sql: "DROP INDEX leads_pool")
            try db.execute(sql: sql, arguments: arguments)
            try db.execute(sql: pool)
            return .commit
        }
        // Closing checkpoints the WAL into the database, as leadpool's process does when it ends.
        try queue.close()
        return seconds(since: started)
    }

    /// One timed floor run on PostgreSQL, where the store scores the leads itself and writes
    /// them a page at a time: the same `UPDATE … FROM unnest(…)` of every page, with the scores
    /// and tiers the measured run wrote (read back from `scores` before the clock starts), in
    /// one transaction through psql.
    private func postgresFloorRun(_ database: String, _ postgres: PostgresTarget, scores: String) throws -> Double {
        let scored = try bench.query(scores).rows("SELECT id, score, coalesce(tier, '') FROM leads ORDER BY id")
        var script = "BEGIN;\n"
        for start in stride(from: 0, to: scored.count, by: Self.page) {
            let page = scored[start..<min(start + Self.page, scored.count)]
            script += """
                UPDATE leads SET score = u.score, tier = NULLIF(u.tier, '')
                FROM unnest('{\(page.map { $0[0].text! }.joined(separator: ","))}'::bigint[], \
                '{\(page.map { $0[1].text! }.joined(separator: ","))}'::integer[], \
                ARRAY[\(page.map { PostgresTarget.literal($0[2].text ?? "") }.joined(separator: ","))]::text[]) AS u(id, score, tier)
                WHERE leads.id = u.id;

                """
        }
        script += "COMMIT;\n"
        return try postgres.time(script, as: "rules-floor", in: database)
    }

    /// Leads per UPDATE, as the PostgreSQL store writes them (`PostgresSQL.rescorePage`).
    static let page = 5_000
}

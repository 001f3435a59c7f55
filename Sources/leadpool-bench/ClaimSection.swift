import Foundation

/// One claim as a whole process on the reclaimed database (every lead back in the pool, the
/// previous owners in cooldown): `leadpool --as REP claim ID`, 21 runs, next to the floor: the
/// `sqlite3` shell doing the same conditional UPDATE and INSERT of the `claimed` event as one
/// process (on PostgreSQL: `psql` sending them in one message), 21 runs. Each run is another
/// rep claiming another pool lead, the two kinds of run taking turns so that both see the same
/// load; medians of each.
struct ClaimSection {
    let bench: BenchContext
    /// The database reclaim produced.
    let reclaimed: String
    /// Runs of each kind.
    static let runs = 21

    /// A rep, the lead it claims and the capacity the event records.
    private struct Claim {
        var rep: String
        var lead: Int64
        var capacity: Int64
    }

    func measure() throws -> Measurement {
        let database = try bench.copy(reclaimed, to: "claims")
        defer { bench.remove(database) }
        let claims = try pickClaims(database, count: 2 * Self.runs)
        // The floor: one process doing the same write, the sqlite3 shell or psql.
        let floor: (name: String, run: (Claim) throws -> ChildRun)?
        if let postgres = bench.postgres {
            floor = ("psql", { try postgres.run(sql: postgresSQL($0), in: database) })
        } else if let shell = Self.sqlite3Path() {
            floor = ("sqlite3", { try ChildProcess.check(shell, [database, shellSQL($0)]) })
        } else {
            floor = nil
            bench.log("  sqlite3 not found: the claim floor is NOT measured (install it: apt-get install -y sqlite3)")
        }

        var seconds: [Double] = []
        var floors: [Double] = []
        var peak = 0
        for run in 0..<Self.runs {
            let mine = claims[2 * run]
            let child = try bench.leadpool(database, now: bench.reclaimNowISO, ["claim", String(mine.lead)], as: mine.rep)
            seconds.append(child.seconds)
            peak = max(peak, child.peakRSSBytes)
            var line = "  claim run \(run + 1): \(String(format: "%.4f", child.seconds)) s, \(child.peakRSSBytes / 1_048_576) MiB"
            if let floor {
                let theirs = try floor.run(claims[2 * run + 1])
                floors.append(theirs.seconds)
                line += "; \(floor.name): \(String(format: "%.4f", theirs.seconds)) s"
            }
            bench.log(line)
        }
        // Every claim, leadpool's and the shell's, must have landed with its event.
        let connection = try bench.query(database)
        let expected = floor == nil ? Self.runs : 2 * Self.runs
        let landed = try connection.int("SELECT count(*) FROM events WHERE kind = 'claimed'")
        let owned = try connection.int("SELECT count(*) FROM leads WHERE owner IS NOT NULL")
        guard landed == expected, owned == expected else {
            throw BenchError("expected \(expected) claims, found \(landed) claimed events and \(owned) owned leads")
        }
        return Measurement(
            name: "claim (1 process)",
            size: bench.leads.count,
            units: nil,
            runSeconds: seconds,
            peakRSSBytes: peak,
            floorRunSeconds: floor == nil ? nil : floors,
            target: .init(text: "<= 4x", maxRatio: 4),
            note: floor == nil
                ? "median of \(Self.runs); sqlite3 NOT INSTALLED, no floor (apt-get install -y sqlite3)"
                : bench.postgres == nil
                    ? "median of \(Self.runs) processes each; floor = `sqlite3 DB \"BEGIN IMMEDIATE; UPDATE …; INSERT …; COMMIT\"`"
                    : "median of \(Self.runs) processes each; floor = `psql URL -c \"BEGIN; WITH claimed AS (UPDATE … RETURNING id) INSERT …; COMMIT\"`"
        )
    }

    /// The shell's script: leadpool's connection settings, then its conditional write.
    private func shellSQL(_ claim: Claim) -> String {
        """
        PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;
        BEGIN IMMEDIATE;
        UPDATE leads SET owner = '\(claim.rep)', claimed_at = \(bench.reclaimNow) WHERE id = \(claim.lead) AND owner IS NULL AND status = 'open';
        INSERT INTO events (lead_id, at, actor, kind, from_owner, to_owner, round_id, rule, reason, detail, recorded_at, recorded_by)
        SELECT \(claim.lead), \(bench.reclaimNow), '\(claim.rep)', 'claimed', NULL, '\(claim.rep)', NULL, NULL, NULL,
            '{"capacity":\(claim.capacity),"daily_limit":null}', CAST(strftime('%s', 'now') AS INTEGER), '\(bench.actor)'
        WHERE changes() = 1;
        COMMIT;
        """
    }

    /// psql's one message: the same conditional UPDATE, and the INSERT of the event only when
    /// it took the lead.
    private func postgresSQL(_ claim: Claim) -> String {
        let rep = PostgresTarget.literal(claim.rep)
        return """
            BEGIN;
            WITH claimed AS (
                UPDATE leads SET owner = \(rep), claimed_at = \(bench.reclaimNow) WHERE id = \(claim.lead) AND owner IS NULL AND status = 'open'
                RETURNING id
            )
            INSERT INTO events (lead_id, at, actor, kind, from_owner, to_owner, round_id, rule, reason, detail, recorded_at, recorded_by)
            SELECT id, \(bench.reclaimNow), \(rep), 'claimed', NULL, \(rep), NULL, NULL, NULL,
                '{"capacity":\(claim.capacity),"daily_limit":null}', extract(epoch FROM now())::bigint, \(PostgresTarget.literal(bench.actor))
            FROM claimed;
            COMMIT;
            """
    }

    /// Active reps in handle order, each with a distinct pool lead from the top of the pool
    /// that it did not hold before (so no cooldown refuses it).
    private func pickClaims(_ path: String, count: Int) throws -> [Claim] {
        let connection = try bench.query(path)
        let defaultCapacity = Int64(BenchContext.defaultCapacity(leads: bench.leads.count, reps: bench.repCount))
        let reps = try connection.rows(
            """
            SELECT handle, capacity FROM reps WHERE role = 'rep' AND active ORDER BY handle LIMIT \(count)
            """
        )
        let pool = try connection.rows(
            """
            SELECT id, previous_owner FROM leads WHERE owner IS NULL AND status = 'open'
            ORDER BY score DESC, created_at, id LIMIT \(count * 4)
            """
        )
        var used = Set<Int64>()
        var claims: [Claim] = []
        for rep in reps {
            let handle = rep[0].text!
            guard let lead = pool.first(where: { !used.contains($0[0].int!) && $0[1].text != handle }) else { break }
            used.insert(lead[0].int!)
            claims.append(Claim(rep: handle, lead: lead[0].int!, capacity: rep[1].int ?? defaultCapacity))
        }
        guard claims.count == count else { throw BenchError("not enough reps or pool leads for \(count) claims") }
        return claims
    }

    /// The `sqlite3` shell on the PATH, or nil.
    static func sqlite3Path() -> String? { ChildProcess.onPath("sqlite3") }
}

import Foundation
import GRDBSQLite

/// `leadpool import` of the generated CSV as a child process, next to the floor: the same
/// rows written by hand with prepared statements in one transaction on a fresh copy of the
/// same database, with nothing parsed or checked, the way a bulk import goes: dedup indexes
/// dropped, duplicates found in an in-memory set of the keys, lead rows and `imported` events
/// 64 per INSERT, indexes built at the end. On PostgreSQL the floor is `COPY` through psql.
struct ImportSection {
    let bench: BenchContext

    /// Measures the import and returns it with the database the first run produced (the
    /// imported leads, which the later sections start from).
    func measure() throws -> (Measurement, imported: String) {
        let csv = bench.directory + "/leads.csv"
        try SampleLeads.writeCSV(bench.leads, to: csv)
        let expectedNew: Int
        if bench.postgres == nil {
            let calibration = try bench.freshDatabase("floor-0")
            expectedNew = try floorRun(calibration).new
            bench.remove(calibration)
        } else {
            expectedNew = Self.newLeads(bench.leads).count
        }

        var seconds: [Double] = []
        var peak = 0
        var imported = ""
        for run in 1...bench.runs {
            let database = try bench.freshDatabase("import-\(run)")
            let child = try ChildProcess.check(
                bench.leadpool,
                ["--db", database, "--json", "--now", bench.nowISO, "import", csv]
            )
            let summary = try JSONSerialization.jsonObject(with: Data(child.stdout.utf8)) as? [String: Any]
            guard let new = summary?["new"] as? Int, new == expectedNew else {
                throw BenchError("import reported \(summary?["new"] ?? "nothing") new leads, the floor \(expectedNew): \(child.stdout)")
            }
            bench.log("  import run \(run): \(String(format: "%.3f", child.seconds)) s, \(child.peakRSSBytes / 1_048_576) MiB, \(new) new")
            seconds.append(child.seconds)
            peak = max(peak, child.peakRSSBytes)
            if run == 1 { imported = database } else { bench.remove(database) }
        }
        let floors = try bench.floorRuns(copying: bench.baseDatabase, as: "floor") { database in
            if let postgres = bench.postgres { return try postgresFloorRun(database, postgres) }
            return try floorRun(database).seconds
        }
        let measurement = Measurement(
            name: "import",
            size: bench.leads.count,
            units: bench.leads.count,
            runSeconds: seconds,
            peakRSSBytes: peak,
            floorRunSeconds: floors,
            target: .init(text: ">= 200k rows/s", minUnitsPerSecond: 200_000),
            note: "\(expectedNew) new leads from \(bench.leads.count) CSV rows (3% duplicates)"
        )
        return (measurement, imported)
    }

    // MARK: - Floor

    /// The rows an import keeps, in file order, with the ids they get and their line in the
    /// CSV: duplicates found in a set of the keys in memory, as a bulk import by hand would.
    static func newLeads(_ leads: [SampleLead]) -> [(id: Int64, line: Int, lead: SampleLead)] {
        var kept: [(id: Int64, line: Int, lead: SampleLead)] = []
        var keys: Set<String> = []
        for (index, lead) in leads.enumerated() {
            // SPEC: the external id, else the email (also when the id matches nothing), else the
            // domain: of any lead for a row with neither, of a lead with neither for the others.
            let bare = lead.externalID == nil && lead.emailNorm == nil
            if let value = lead.externalID, keys.contains("x" + value) { continue }
            if let value = lead.emailNorm, keys.contains("e" + value) { continue }
            if let value = lead.domain, keys.contains((bare ? "d" : "o") + value) { continue }
            if let value = lead.externalID { keys.insert("x" + value) }
            if let value = lead.emailNorm { keys.insert("e" + value) }
            if let value = lead.domain {
                keys.insert("d" + value)
                if bare { keys.insert("o" + value) }
            }
            kept.append((Int64(kept.count + 1), index + 2, lead))
        }
        return kept
    }

    /// One timed floor run on PostgreSQL, on `database`, a fresh copy of the base schema: the
    /// new rows and their `imported` events by `COPY` in one transaction holding the leads
    /// table as the import does, through psql. The script (and the duplicates in it) is
    /// written before the clock starts; the psql process is timed.
    private func postgresFloorRun(_ database: String, _ postgres: PostgresTarget) throws -> Double {
        let script = "\(bench.directory)/import-floor.sql"
        FileManager.default.createFile(atPath: script, contents: nil)
        let file = try FileHandle(forWritingTo: URL(fileURLWithPath: script))
        defer { try? FileManager.default.removeItem(atPath: script) }
        let rows = Self.newLeads(bench.leads)
        let field = PostgresTarget.copyField
        var text = """
            BEGIN;
            LOCK TABLE leads IN SHARE ROW EXCLUSIVE MODE;
            COPY leads (id, external_id, company, first_name, last_name, title, email, email_norm, phone, website, domain, country,
                region, city, industry, employees, revenue, source, status, score, tier, created_at, attrs) FROM STDIN;

            """
        func flush(_ force: Bool = false) {
            guard force || text.utf8.count > 1 << 20 else { return }
            file.write(Data(text.utf8))
            text = ""
        }
        for (id, _, lead) in rows {
            let cells: [String?] = [
                String(id), lead.externalID, lead.company, lead.firstName, lead.lastName, lead.title, lead.email, lead.emailNorm,
                lead.phone, lead.website, lead.domain, lead.country, lead.region, lead.city, lead.industry,
                lead.employees.map(String.init), lead.revenue.map { String($0) }, lead.source, "open", "0", nil, String(bench.now),
                lead.attributesJSON,
            ]
            text += cells.map(field).joined(separator: "\t") + "\n"
            flush()
        }
        text += "\\.\nCOPY events (lead_id, at, actor, kind, detail, recorded_at, recorded_by) FROM STDIN;\n"
        let recordedAt = String(Int64(Date().timeIntervalSince1970))
        for (id, line, _) in rows {
            text +=
                "\(id)\t\(bench.now)\t\(field(bench.actor))\timported\t{\"file\":\"leads.csv\",\"line\":\(line)}\t\(recordedAt)\t\(field(bench.actor))\n"
            flush()
        }
        text += """
            \\.
            SELECT setval(pg_get_serial_sequence('leads', 'id'), greatest(max(id), 1)) FROM leads;
            COMMIT;

            """
        flush(true)
        try file.close()
        return try postgres.run(file: script, in: database).seconds
    }

    /// One timed floor run on `path`, a fresh copy of the base database.
    private func floorRun(_ path: String) throws -> (seconds: Double, new: Int) {
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let db = connection else {
            throw BenchError("cannot open \(path)")
        }
        var open = true
        defer { if open { sqlite3_close_v2(db) } }
        // The same connection settings as leadpool's bulk import (Store.swift, Store+Import.swift).
        try exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON")
        try exec(db, "PRAGMA temp_store = FILE")

        let started = DispatchTime.now()
        try exec(db, "BEGIN IMMEDIATE")
        try exec(db, "DROP INDEX leads_external_id; DROP INDEX leads_email_norm; DROP INDEX leads_domain")
        // 64 rows per INSERT, as the import writes them (ids given, so events can name them).
        let batch = 64
        let leadSQL = """
            INSERT INTO leads (id, external_id, company, first_name, last_name, title, email, email_norm, phone, website,
                domain, country, region, city, industry, employees, revenue, source, status, score, tier, created_at, attrs)
            VALUES
            """
        let leadRow = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', 0, NULL, ?, ?)"
        // The wall clock and the login: numbered parameters after the rows' own, bound once.
        let eventSQL = "INSERT INTO events (lead_id, at, actor, kind, detail, recorded_at, recorded_by) VALUES "
        func eventRows(_ rows: Int) -> String {
            (0..<rows).map { row in
                let n = row * 4
                return "(?\(n + 1), ?\(n + 2), ?\(n + 3), 'imported', ?\(n + 4), ?\(rows * 4 + 1), ?\(rows * 4 + 2))"
            }.joined(separator: ",")
        }
        let insertLeads = try prepare(db, leadSQL + Array(repeating: leadRow, count: batch).joined(separator: ","))
        let insertLead = try prepare(db, leadSQL + leadRow)
        let insertEvents = try prepare(db, eventSQL + eventRows(batch))
        let insertEvent = try prepare(db, eventSQL + eventRows(1))
        for (statement, rows) in [(insertEvents, batch), (insertEvent, 1)] {
            sqlite3_bind_int64(statement, Int32(rows * 4 + 1), Int64(Date().timeIntervalSince1970))
            bind(statement, Int32(rows * 4 + 2), bench.actor)
        }

        var pending: [(id: Int64, line: Int, lead: SampleLead)] = []
        func write() throws {
            let whole = pending.count == batch
            for (row, item) in pending.enumerated() {
                let (statement, base) = whole ? (insertLeads, Int32(row * 20)) : (insertLead, 0)
                let lead = item.lead
                sqlite3_bind_int64(statement, base + 1, item.id)
                let texts: [String?] = [
                    lead.externalID, lead.company, lead.firstName, lead.lastName, lead.title, lead.email, lead.emailNorm,
                    lead.phone, lead.website, lead.domain, lead.country, lead.region, lead.city, lead.industry,
                ]
                for (offset, text) in texts.enumerated() { bind(statement, base + Int32(offset + 2), text) }
                if let employees = lead.employees {
                    sqlite3_bind_int64(statement, base + 16, employees)
                } else {
                    sqlite3_bind_null(statement, base + 16)
                }
                if let revenue = lead.revenue { sqlite3_bind_double(statement, base + 17, revenue) } else { sqlite3_bind_null(statement, base + 17) }
                bind(statement, base + 18, lead.source)
                sqlite3_bind_int64(statement, base + 19, bench.now)
                bind(statement, base + 20, lead.attributesJSON)
                if !whole { try step(db, statement) }
            }
            if whole { try step(db, insertLeads) }
            for (row, item) in pending.enumerated() {
                let (statement, base) = whole ? (insertEvents, Int32(row * 4)) : (insertEvent, 0)
                sqlite3_bind_int64(statement, base + 1, item.id)
                sqlite3_bind_int64(statement, base + 2, bench.now)
                bind(statement, base + 3, bench.actor)
                bind(statement, base + 4, "{\"file\":\"leads.csv\",\"line\":\(item.line)}")
                if !whole { try step(db, statement) }
            }
            if whole { try step(db, insertEvents) }
            pending.removeAll(keepingCapacity: true)
        }

        let rows = Self.newLeads(bench.leads)
        for row in rows {
            pending.append(row)
            if pending.count == batch { try write() }
        }
        try write()
        try exec(
            db,
            """
            CREATE UNIQUE INDEX leads_external_id ON leads(external_id) WHERE external_id IS NOT NULL;
            CREATE INDEX leads_email_norm ON leads(email_norm) WHERE email_norm IS NOT NULL;
            CREATE INDEX leads_domain ON leads(domain) WHERE domain IS NOT NULL;
            COMMIT
            """
        )
        // Closing checkpoints the WAL into the database, as leadpool's process does when it ends.
        for statement in [insertLeads, insertLead, insertEvents, insertEvent] { sqlite3_finalize(statement) }
        open = false
        sqlite3_close_v2(db)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return (seconds, rows.count)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func bind(_ statement: OpaquePointer, _ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(statement, index)
            return
        }
        value.withUTF8 { bytes in
            _ = sqlite3_bind_text(statement, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
        }
    }

    private func step(_ db: OpaquePointer, _ statement: OpaquePointer) throws {
        defer { sqlite3_reset(statement) }
        guard sqlite3_step(statement) == SQLITE_DONE else { throw failure(db) }
    }

    private func prepare(_ db: OpaquePointer, _ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw failure(db) }
        return statement
    }

    private func exec(_ db: OpaquePointer, _ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw failure(db) }
    }

    private func failure(_ db: OpaquePointer) -> BenchError {
        BenchError("SQLite: \(String(cString: sqlite3_errmsg(db)))")
    }
}

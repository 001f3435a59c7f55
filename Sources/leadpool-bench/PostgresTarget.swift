import Foundation

/// The PostgreSQL database the benchmark runs in (`--db postgresql://…`). Each database the
/// sections pass around is a schema of it, named with this run's prefix and given to leadpool
/// as `?schema=NAME`; the benchmark itself reaches it through `psql`, `pg_dump` and
/// `pg_restore`, and drops every schema it made when it ends.
struct PostgresTarget {
    /// The database's URL as given, without `schema`: what `psql` connects to.
    let url: String
    /// Every schema of this run starts with it (`bench_` and 8 hex digits).
    let prefix: String
    let psql: String
    let pgDump: String
    let pgRestore: String
    /// Where the dumps that copy a schema are kept.
    let directory: String

    init(url: String, directory: String) throws {
        guard url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") else {
            throw BenchError("--db: \(url) is no postgresql:// URL")
        }
        guard !url.contains("schema=") else {
            throw BenchError("--db: leave out ?schema=: every run works in schemas of its own, dropped afterwards")
        }
        func tool(_ name: String) throws -> String {
            guard let path = ChildProcess.onPath(name) else {
                throw BenchError("\(name) is not on the PATH: the PostgreSQL floors run through it (apt-get install -y postgresql-client)")
            }
            return path
        }
        self.url = url
        self.directory = directory
        prefix = "bench_" + UUID().uuidString.prefix(8).lowercased()
        psql = try tool("psql")
        pgDump = try tool("pg_dump")
        pgRestore = try tool("pg_restore")
    }

    /// leadpool's `--db` for the schema `NAME` of this run.
    func database(_ name: String) -> String {
        url + (url.contains("?") ? "&" : "?") + "schema=" + schemaName(name)
    }

    /// The schema of a `--db` that ``database(_:)`` made.
    func schema(of database: String) -> String {
        String(database[database.range(of: "schema=")!.upperBound...])
    }

    private func schemaName(_ name: String) -> String {
        prefix + "_" + name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    /// The role the URL connects as: the acting rep of every leadpool run (`session_user`).
    func role() throws -> String {
        guard let role = try query(nil).rows("SELECT session_user").first?.first?.text else {
            throw BenchError("cannot read session_user from \(url)")
        }
        return role
    }

    /// Runs a psql script file with `database`'s schema first on the search_path, stopping at
    /// the first error; returns the psql process (its wall time is what a floor reports).
    @discardableResult
    func run(file: String, in database: String?) throws -> ChildRun {
        try ChildProcess.check(psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file, url], environment: environment(database))
    }

    /// Writes `script` to a file named `NAME.sql` beside the dumps, runs it as
    /// ``run(file:in:)`` and returns psql's wall time.
    func time(_ script: String, as name: String, in database: String) throws -> Double {
        let file = "\(directory)/\(name).sql"
        try script.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try run(file: file, in: database).seconds
    }

    /// Runs SQL given on the command line (one simple-query message), as ``run(file:in:)``.
    @discardableResult
    func run(sql: String, in database: String?) throws -> ChildRun {
        try ChildProcess.check(psql, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql, url], environment: environment(database))
    }

    func query(_ database: String?) -> any BenchQueries { PsqlQueries(target: self, database: database) }

    fileprivate func environment(_ database: String?) -> [String: String] {
        database.map { ["PGOPTIONS": "-c search_path=\(schema(of: $0))"] } ?? [:]
    }

    /// Copies the schema of `source` to a new schema `NAME` (replacing an earlier one) and
    /// returns its `--db`: a dump of the source (made once, kept beside the others), restored
    /// while the source is renamed out of its way, then both renamed back; its functions'
    /// search_path pointed at the copy; then analyzed, as
    /// the source was (a restore leaves no statistics, and autovacuum would gather them at
    /// some random moment of a measured run).
    func copy(_ source: String, to name: String) throws -> String {
        let target = database(name)
        remove(target)
        let from = schema(of: source)
        let dump = "\(directory)/\(from).dump"
        if !FileManager.default.fileExists(atPath: dump) {
            try ChildProcess.check(pgDump, ["--schema=\(from)", "--format=custom", "--compress=0", "--file=\(dump)", url])
        }
        let aside = schema(of: database("aside"))
        try run(sql: "ALTER SCHEMA \(from) RENAME TO \(aside)", in: nil)
        do {
            try ChildProcess.check(pgRestore, ["--dbname=\(url)", "--exit-on-error", dump])
            try run(sql: "ALTER SCHEMA \(from) RENAME TO \(schema(of: target)); ALTER SCHEMA \(aside) RENAME TO \(from)", in: nil)
            // Functions created with `SET search_path FROM CURRENT` name the schema they were
            // made in: the copy's must name the copy.
            let name = schema(of: target)
            try run(
                sql: """
                    DO $$DECLARE t text; f regprocedure; BEGIN
                      FOR f IN SELECT oid::regprocedure FROM pg_proc
                               WHERE pronamespace = '\(name)'::regnamespace AND proconfig IS NOT NULL LOOP
                        EXECUTE format('ALTER FUNCTION %s SET search_path = %I, pg_temp', f, '\(name)');
                      END LOOP;
                      FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = '\(name)' LOOP
                        EXECUTE format('ANALYZE %I.%I', '\(name)', t);
                      END LOOP;
                    END$$
                    """,
                in: nil
            )
        } catch {
            _ = try? run(sql: "DROP SCHEMA IF EXISTS \(from) CASCADE; ALTER SCHEMA \(aside) RENAME TO \(from)", in: nil)
            throw error
        }
        return target
    }

    /// Drops the schema of `database` and its dump.
    func remove(_ database: String) {
        let name = schema(of: database)
        _ = try? run(sql: "DROP SCHEMA IF EXISTS \(name) CASCADE", in: nil)
        try? FileManager.default.removeItem(atPath: "\(directory)/\(name).dump")
    }

    /// Drops every schema of this run.
    func removeAll() {
        _ = try? run(
            sql: """
                DO $$DECLARE s text; BEGIN
                  FOR s IN SELECT nspname FROM pg_namespace WHERE starts_with(nspname, '\(prefix)_') LOOP
                    EXECUTE format('DROP SCHEMA %I CASCADE', s);
                  END LOOP;
                END$$
                """,
            in: nil
        )
    }

    /// `value` as an SQL literal (standard_conforming_strings: only quotes are doubled).
    static func literal(_ value: String?) -> String {
        guard let value else { return "NULL" }
        return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func literal(_ value: Int64?) -> String { value.map(String.init) ?? "NULL" }

    /// `value` as a field of COPY's text format.
    static func copyField(_ value: String?) -> String {
        guard let value else { return "\\N" }
        guard value.contains(where: { $0 == "\\" || $0 == "\t" || $0 == "\n" || $0 == "\r" }) else { return value }
        return value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    }
}

/// What the sections read back from a database they measured: counts and rows.
protocol BenchQueries {
    /// The first column of the first row as an integer (0 when NULL or no row).
    func int(_ sql: String) throws -> Int64
    /// Every row of a query, each as its columns' values.
    func rows(_ sql: String) throws -> [[RawSQLite.Value]]
}

extension RawSQLite: BenchQueries {}

/// Queries through `psql --csv`: every value comes back as text (or NULL), which
/// ``RawSQLite/Value/int`` reads as a number.
private struct PsqlQueries: BenchQueries {
    let target: PostgresTarget
    let database: String?

    func int(_ sql: String) throws -> Int64 {
        try rows(sql).first?.first?.int ?? 0
    }

    func rows(_ sql: String) throws -> [[RawSQLite.Value]] {
        let run = try ChildProcess.check(
            target.psql,
            ["-X", "-q", "--csv", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql, target.url],
            environment: target.environment(database)
        )
        return Self.parseCSV(run.stdout)
    }

    /// RFC 4180 as psql writes it: a NULL is an empty unquoted field, an empty text `""`.
    static func parseCSV(_ text: String) -> [[RawSQLite.Value]] {
        var rows: [[RawSQLite.Value]] = []
        var row: [RawSQLite.Value] = []
        var field: [UInt8] = []
        var quoted = false
        var inQuotes = false
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return [] }
        if bytes.last != 0x0A { bytes.append(0x0A) }
        var index = 0
        func endField() {
            row.append(!quoted && field.isEmpty ? .null : .text(String(decoding: field, as: UTF8.self)))
            field.removeAll(keepingCapacity: true)
            quoted = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inQuotes {
                if byte == 0x22 {
                    if index < bytes.count, bytes[index] == 0x22 {
                        field.append(0x22)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case 0x22:
                inQuotes = true
                quoted = true
            case 0x2C: endField()
            case 0x0A:
                endField()
                rows.append(row)
                row = []
            case 0x0D: break
            default: field.append(byte)
            }
        }
        return rows
    }
}

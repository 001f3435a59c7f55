import Foundation
import LeadPoolCore
import LeadPoolStorage
import PostgresNIO

// MARK: - Rows

extension Rep {
    static let postgresSelection = """
        SELECT handle, name, email, team, role, capacity, daily_limit, weight, active, away_from, away_until, created_at,
               timezone, working_hours,
               (SELECT string_agg(code, ',' ORDER BY code) FROM rep_territories t WHERE t.rep = reps.handle) AS territories
        FROM reps
        """

    init(postgres row: PostgresRandomAccessRow) throws {
        let territories: String? = try row["territories"]
        let hours: String? = try row["working_hours"]
        self.init(
            handle: try row["handle"],
            name: try row["name"],
            email: try row["email"],
            team: try row["team"],
            role: Role(rawValue: try row["role"]) ?? .rep,
            capacity: try row["capacity"],
            dailyLimit: try row["daily_limit"],
            weight: try row["weight"],
            territories: territories.map { $0.split(separator: ",").map(String.init) } ?? [],
            active: try row["active"],
            awayFrom: (try row["away_from", as: Int64?.self]).map(Date.init(storedSeconds:)),
            awayUntil: (try row["away_until", as: Int64?.self]).map(Date.init(storedSeconds:)),
            timeZone: try row["timezone"],
            workingHours: hours.flatMap { try? WorkingHours.parse($0) },
            createdAt: Date(storedSeconds: try row["created_at"])
        )
    }
}

extension PostgresSQL {
    func rep(_ handle: String) throws -> Rep? {
        try rows(PostgresQuery(unsafeSQL: Rep.postgresSelection + " WHERE handle = $1", binds: binds(handle))).first.map(Rep.init(postgres:))
    }

    func requireRep(_ handle: String) throws -> Rep {
        guard let rep = try rep(handle) else {
            if let other = try handleIgnoringCase(handle) {
                throw LeadPoolError.notFound("no rep with handle '\(handle)'", hint: "handles match exactly: did you mean '\(other)'?")
            }
            throw LeadPoolError.notFound("no rep with handle '\(handle)'", hint: "`leadpool rep list` shows the reps")
        }
        return rep
    }

    /// The handle that equals `handle` but for case (hints, and refusing `Alice` beside `alice`).
    func handleIgnoringCase(_ handle: String) throws -> String? {
        try value("SELECT handle FROM reps WHERE lower(handle) = lower(\(handle))", as: String.self)
    }

    /// The leads a rep holds against capacity: open and qualified.
    static let held = "status IN ('open', 'qualified')"

    func heldCount(_ handle: String) throws -> Int {
        try value(PostgresQuery(unsafeSQL: "SELECT count(*) FROM leads WHERE owner = $1 AND \(Self.held)", binds: binds(handle)), as: Int.self) ?? 0
    }

    /// Refuses a change that would leave no active admin (the count read under a lock on the
    /// admins, so two demotions at once cannot both pass).
    func keepAnAdmin(losing rep: Rep) throws {
        guard rep.role == .admin, rep.active else { return }
        let admins = try values("SELECT handle FROM reps WHERE role = 'admin' AND active FOR UPDATE", as: String.self).count
        try Rep.keepAnAdmin(losing: rep, activeAdmins: admins)
    }

    func setTerritories(_ handle: String, _ codes: [String]) throws {
        try execute("DELETE FROM rep_territories WHERE rep = \(handle)")
        for code in Set(codes) { try execute("INSERT INTO rep_territories (rep, code) VALUES (\(handle), \(code))") }
    }

    /// Creates the login role `handle` (`rep add --login`). The statement is built by the
    /// server (`format` with %I and %L), so the handle and password are quoted by PostgreSQL.
    func createLogin(_ handle: String, _ login: DatabaseLogin) throws {
        guard try value("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = session_user", as: Bool.self) == true else {
            throw LeadPoolError.permission(
                "--login creates a database role, and your role may not create roles",
                hint: "a database superuser can allow it (`ALTER ROLE <you> CREATEROLE`), or create the role and run `rep add` without --login"
            )
        }
        if try value("SELECT count(*) FROM pg_roles WHERE rolname = \(handle)", as: Int.self) != 0 {
            throw LeadPoolError.refused(
                "a database role '\(handle)' exists already",
                hint: "that role logs in as the rep already: run `rep add \(handle)` without --login"
            )
        }
        let statement =
            try value(
                "SELECT format('CREATE ROLE %I LOGIN' || CASE WHEN \(login.password)::text IS NULL THEN '' ELSE ' PASSWORD %L' END, \(handle), \(login.password)::text)",
                as: String.self
            ) ?? ""
        try execute(PostgresQuery(unsafeSQL: statement))
    }

    func binds(_ values: String...) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { bindings.append(value) }
        return bindings
    }
}

// MARK: - LeadStorage: reps

extension PostgresStore {
    public func rep(_ handle: String) throws -> Rep? {
        try transaction(readOnly: true) { try $0.rep(handle) }
    }

    public func repHandle(ignoringCase handle: String) throws -> String? {
        try transaction(readOnly: true) { try $0.handleIgnoringCase(handle) }
    }

    public func repStandings() throws -> [RepStanding] {
        try transaction(readOnly: true) { sql in
            var held: [String: Int] = [:]
            for row in try sql.rows(
                PostgresQuery(unsafeSQL: "SELECT owner, count(*) AS n FROM leads WHERE owner IS NOT NULL AND \(PostgresSQL.held) GROUP BY owner")
            ) {
                held[try row["owner"]] = try row["n"]
            }
            return try sql.rows(PostgresQuery(unsafeSQL: Rep.postgresSelection + " ORDER BY handle")).map { row in
                let rep = try Rep(postgres: row)
                return RepStanding(rep: rep, held: held[rep.handle] ?? 0)
            }
        }
    }

    public func repStanding(_ handle: String) throws -> RepStanding {
        try transaction(readOnly: true) { sql in
            RepStanding(rep: try sql.requireRep(handle), held: try sql.heldCount(handle))
        }
    }

    public func addRep(_ rep: Rep) throws {
        try addRep(rep, login: nil)
    }

    /// Adds the rep and its login role (a role named as the handle that may log in, with the
    /// password given, else none), all or nothing. Needs a role that may create roles.
    public func addRep(_ rep: Rep, login: DatabaseLogin) throws {
        try addRep(rep, login: Optional(login))
    }

    private func addRep(_ rep: Rep, login: DatabaseLogin?) throws {
        try rep.validateForAdding()
        try transaction { sql in
            // Serialises adds, so two `Alice`/`alice` at once cannot both pass the case check.
            try sql.execute("LOCK TABLE reps IN SHARE ROW EXCLUSIVE MODE")
            if let existing = try sql.handleIgnoringCase(rep.handle) { throw Rep.handleTaken(rep.handle, by: existing) }
            try sql.execute(
                """
                INSERT INTO reps (handle, name, email, team, role, capacity, daily_limit, weight, active, away_from, away_until, created_at,
                                  timezone, working_hours)
                VALUES (\(rep.handle), \(rep.name), \(rep.email), \(rep.team), \(rep.role.rawValue), \(rep.capacity), \(rep.dailyLimit),
                        \(rep.weight), \(rep.active), \(rep.awayFrom?.storedSeconds), \(rep.awayUntil?.storedSeconds),
                        \(rep.createdAt.storedSeconds), \(rep.timeZone), \(rep.workingHours?.description))
                """
            )
            try sql.setTerritories(rep.handle, rep.territories)
            if let login { try sql.createLogin(rep.handle, login) }
        }
    }

    @discardableResult
    public func updateRep(_ handle: String, _ changes: RepChanges) throws -> Rep {
        try changes.validate()
        return try transaction { sql in
            let rep = try sql.requireRep(handle)
            if changes.role == .rep { try sql.keepAnAdmin(losing: rep) }
            var assignments: [String] = []
            var bindings = PostgresBindings()
            func set(_ column: String, _ value: String?) {
                bindings.append(value)
                assignments.append("\(column) = $\(bindings.count)")
            }
            func set(_ column: String, _ value: Int?) {
                bindings.append(value)
                assignments.append("\(column) = $\(bindings.count)")
            }
            if let name = changes.name { set("name", name) }
            if let email = changes.email { set("email", email.isEmpty ? nil : email) }
            if let team = changes.team { set("team", team.isEmpty ? nil : team) }
            if let role = changes.role { set("role", role.rawValue) }
            if let capacity = changes.capacity { set("capacity", capacity.number) }
            if let dailyLimit = changes.dailyLimit { set("daily_limit", dailyLimit.number) }
            if let weight = changes.weight { set("weight", weight) }
            if let timeZone = changes.timeZone { set("timezone", timeZone) }
            if let hours = changes.workingHours { set("working_hours", hours?.description) }
            if !assignments.isEmpty {
                bindings.append(handle)
                try sql.execute(
                    PostgresQuery(
                        unsafeSQL: "UPDATE reps SET \(assignments.joined(separator: ", ")) WHERE handle = $\(bindings.count)",
                        binds: bindings
                    )
                )
            }
            if let territories = changes.territories { try sql.setTerritories(handle, territories) }
            return try sql.requireRep(handle)
        }
    }

    @discardableResult
    public func setAway(_ handle: String, from: Date?, until: Date?) throws -> Rep {
        try transaction { sql in
            _ = try sql.requireRep(handle)
            try sql.execute(
                "UPDATE reps SET away_from = \(from?.storedSeconds), away_until = \(until?.storedSeconds) WHERE handle = \(handle)"
            )
            return try sql.requireRep(handle)
        }
    }

    @discardableResult
    public func setActive(_ handle: String, _ active: Bool) throws -> Rep {
        try transaction { sql in
            let rep = try sql.requireRep(handle)
            if !active { try sql.keepAnAdmin(losing: rep) }
            try sql.execute("UPDATE reps SET active = \(active) WHERE handle = \(handle)")
            return try sql.requireRep(handle)
        }
    }
}

import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

// MARK: - Rows

extension Rep {
    static let selection = """
        SELECT handle, name, email, team, role, capacity, daily_limit, weight, active, away_from, away_until, created_at,
               timezone, working_hours,
               (SELECT group_concat(code, ',') FROM (SELECT code FROM rep_territories t WHERE t.rep = reps.handle ORDER BY code)) AS territories
        FROM reps
        """

    init(row: Row) {
        let territories: String? = row["territories"]
        self.init(
            handle: row["handle"],
            name: row["name"],
            email: row["email"],
            team: row["team"],
            role: Role(rawValue: row["role"]) ?? .rep,
            capacity: row["capacity"],
            dailyLimit: row["daily_limit"],
            weight: row["weight"],
            territories: territories.map { $0.split(separator: ",").map(String.init) } ?? [],
            active: row["active"],
            awayFrom: (row["away_from"] as Int64?).map(Date.init(storedSeconds:)),
            awayUntil: (row["away_until"] as Int64?).map(Date.init(storedSeconds:)),
            timeZone: row["timezone"],
            workingHours: (row["working_hours"] as String?).flatMap { try? WorkingHours.parse($0) },
            createdAt: Date(storedSeconds: row["created_at"])
        )
    }
}

extension Store {
    static func fetchRep(_ db: Database, handle: String) throws -> Rep? {
        try Row.fetchOne(db, sql: Rep.selection + " WHERE handle = ?", arguments: [handle]).map(Rep.init(row:))
    }

    static func requireRep(_ db: Database, handle: String) throws -> Rep {
        guard let rep = try fetchRep(db, handle: handle) else {
            if let other = try handleIgnoringCase(db, handle) {
                throw LeadPoolError.notFound(
                    "no rep with handle '\(handle)'",
                    hint: "handles match exactly: did you mean '\(other)'?"
                )
            }
            throw LeadPoolError.notFound("no rep with handle '\(handle)'", hint: "`leadpool rep list` shows the reps")
        }
        return rep
    }

    /// The handle that equals `handle` but for case. Lookups are exact, as OS logins are; this
    /// only feeds hints and the refusal of a second `Alice` beside `alice`.
    static func handleIgnoringCase(_ db: Database, _ handle: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT handle FROM reps WHERE handle = ? COLLATE NOCASE", arguments: [handle])
    }

    /// The leads a rep holds against capacity: open and qualified (a qualified lead is still
    /// being worked; converted and disqualified ones are done).
    static let held = "status IN ('open', 'qualified')"

    static func heldCount(_ db: Database, handle: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM leads WHERE owner = ? AND \(held)", arguments: [handle]) ?? 0
    }

    /// Refuses a change that would leave no active admin.
    static func keepAnAdmin(_ db: Database, losing rep: Rep) throws {
        guard rep.role == .admin, rep.active else { return }
        let admins = try Int.fetchOne(db, sql: "SELECT count(*) FROM reps WHERE role = 'admin' AND active = 1") ?? 0
        try Rep.keepAnAdmin(losing: rep, activeAdmins: admins)
    }

    static func setTerritories(_ db: Database, handle: String, _ codes: [String]) throws {
        try db.execute(sql: "DELETE FROM rep_territories WHERE rep = ?", arguments: [handle])
        for code in Set(codes) {
            try db.execute(sql: "INSERT INTO rep_territories (rep, code) VALUES (?, ?)", arguments: [handle, code])
        }
    }
}

// MARK: - Store API

extension Store {
    /// The rep with `handle`, or nil.
    public func rep(_ handle: String) throws -> Rep? {
        try read { try Store.fetchRep($0, handle: handle) }
    }

    /// Every rep in handle order, with the leads each holds.
    public func repStandings() throws -> [RepStanding] {
        try read { db in
            let held = try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(
                    db,
                    sql: "SELECT owner, count(*) AS n FROM leads WHERE owner IS NOT NULL AND \(Store.held) GROUP BY owner"
                ).map { ($0["owner"] as String, $0["n"] as Int) }
            )
            return try Row.fetchAll(db, sql: Rep.selection + " ORDER BY handle").map { row in
                let rep = Rep(row: row)
                return RepStanding(rep: rep, held: held[rep.handle] ?? 0)
            }
        }
    }

    /// One rep with the leads it holds; `notFound` when there is none.
    public func repStanding(_ handle: String) throws -> RepStanding {
        try read { db in
            RepStanding(rep: try Store.requireRep(db, handle: handle), held: try Store.heldCount(db, handle: handle))
        }
    }

    /// The handle of the rep whose handle equals `handle` but for case, if any.
    public func repHandle(ignoringCase handle: String) throws -> String? {
        try read { try Store.handleIgnoringCase($0, handle) }
    }

    /// SQLite has no database logins: a rep acts as its OS login, which the system makes.
    public func addRep(_ rep: Rep, login: DatabaseLogin) throws {
        throw LeadPoolError.configuration(
            "--login makes a PostgreSQL login role; a SQLite database (\(path)) has no logins of its own",
            hint: "on SQLite a rep acts as their OS login: create the OS account (useradd), then `leadpool rep add \(rep.handle)` without --login"
        )
    }

    /// Adds a rep; refuses a handle that exists, also in another case, and the reserved one.
    public func addRep(_ rep: Rep) throws {
        try rep.validateForAdding()
        try write { db in
            if let existing = try Store.handleIgnoringCase(db, rep.handle) { throw Rep.handleTaken(rep.handle, by: existing) }
            try db.execute(
                sql: """
                    INSERT INTO reps (handle, name, email, team, role, capacity, daily_limit, weight, active, away_from, away_until, created_at,
                                      timezone, working_hours)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    rep.handle, rep.name, rep.email, rep.team, rep.role.rawValue, rep.capacity, rep.dailyLimit, rep.weight,
                    rep.active, rep.awayFrom?.storedSeconds, rep.awayUntil?.storedSeconds, rep.createdAt.storedSeconds,
                    rep.timeZone, rep.workingHours?.description,
                ]
            )
            try Store.setTerritories(db, handle: rep.handle, rep.territories)
        }
    }

    /// Changes the given fields of a rep and returns it as it now is.
    @discardableResult
    public func updateRep(_ handle: String, _ changes: RepChanges) throws -> Rep {
        try changes.validate()
        return try write { db in
            let rep = try Store.requireRep(db, handle: handle)
            if changes.role == .rep { try Store.keepAnAdmin(db, losing: rep) }
            var assignments: [String] = []
            var arguments: StatementArguments = []
            func set(_ column: String, _ value: (any DatabaseValueConvertible)?) {
                assignments.append("\(column) = ?")
                arguments += [value]
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
                arguments += [handle]
                try db.execute(sql: "UPDATE reps SET \(assignments.joined(separator: ", ")) WHERE handle = ?", arguments: arguments)
            }
            if let territories = changes.territories { try Store.setTerritories(db, handle: handle, territories) }
            return try Store.requireRep(db, handle: handle)
        }
    }

    /// Sets (or with nils, clears) a rep's away window.
    @discardableResult
    public func setAway(_ handle: String, from: Date?, until: Date?) throws -> Rep {
        try write { db in
            _ = try Store.requireRep(db, handle: handle)
            try db.execute(
                sql: "UPDATE reps SET away_from = ?, away_until = ? WHERE handle = ?",
                arguments: [from?.storedSeconds, until?.storedSeconds, handle]
            )
            return try Store.requireRep(db, handle: handle)
        }
    }

    /// Activates or deactivates a rep. Refuses to deactivate the last active admin.
    @discardableResult
    public func setActive(_ handle: String, _ active: Bool) throws -> Rep {
        try write { db in
            let rep = try Store.requireRep(db, handle: handle)
            if !active { try Store.keepAnAdmin(db, losing: rep) }
            try db.execute(sql: "UPDATE reps SET active = ? WHERE handle = ?", arguments: [active, handle])
            return try Store.requireRep(db, handle: handle)
        }
    }
}

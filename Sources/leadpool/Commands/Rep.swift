import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStore

/// A capacity or daily limit on the command line: a number, or `default` for the ruleset's.
enum LimitArgument: ExpressibleByArgument, Equatable {
    case value(Int)
    case ruleset

    init?(argument: String) {
        if argument == "default" {
            self = .ruleset
        } else if let n = Int(argument) {
            self = .value(n)
        } else {
            return nil
        }
    }

    static var defaultCompletionKind: CompletionKind { .list(["default"]) }

    var change: RepChanges.Limit {
        switch self {
        case .value(let n): .value(n)
        case .ruleset: .ruleset
        }
    }

    var number: Int? {
        if case .value(let n) = self { return n }
        return nil
    }
}

extension Role: ExpressibleByArgument {}

/// Options `rep add` and `rep update` share.
struct RepFields: ParsableArguments {
    @Option(help: "Display name.")
    var name: String?

    @Option(help: "Email address.")
    var email: String?

    @Option(help: "Team, as rules name it with team:NAME.")
    var team: String?

    @Option(help: "rep or admin.")
    var role: Role?

    // Unconditional: "-5" is a value to refuse with a reason, not an unknown option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Most open and qualified leads held at once, or 'default' for the ruleset's.", valueName: "n"))
    var capacity: LimitArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("Most self-claims per day, or 'default' for the ruleset's.", valueName: "n"))
    var dailyLimit: LimitArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("Share for the weighted strategy (1 or more).", valueName: "w"))
    var weight: Int?

    @Option(help: ArgumentHelp("Country or region codes, comma-separated (DE,FR,Bavaria).", valueName: "codes"))
    var territories: String?

    func validate() throws {
        if let weight, weight < 1 { throw ValidationError("--weight must be 1 or more, got \(weight)") }
        for (option, limit) in [("--capacity", capacity), ("--daily-limit", dailyLimit)] {
            if let n = limit?.number, n < 0 { throw ValidationError("\(option) must be 0 or more, or 'default'; got \(n)") }
        }
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
        if let territories, territoryCodes(territories) == nil {
            throw ValidationError("--territories takes codes of letters, digits, '-' or '_', comma-separated (e.g. DE,FR,US-CA)")
        }
    }

    /// Upper-cased, de-duplicated, sorted codes; nil when one is malformed.
    func territoryCodes(_ text: String) -> [String]? {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
        let codes = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
        guard codes.allSatisfy({ $0.allSatisfy(allowed.contains) }) else { return nil }
        return Array(Set(codes)).sorted()
    }

    var changes: RepChanges {
        RepChanges(
            name: name, email: email, team: team, role: role, capacity: capacity?.change,
            dailyLimit: dailyLimit?.change, weight: weight, territories: territories.flatMap(territoryCodes))
    }
}

extension LeadPool {
    struct RepCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rep",
            abstract: "Add, list, show and change reps.",
            subcommands: [Add.self, List.self, Show.self, Update.self, Away.self, Deactivate.self, Activate.self])
    }
}

// MARK: - Output

extension RepStanding {
    var json: JSON {
        .object([
            ("handle", .string(rep.handle)),
            ("name", .string(rep.name)),
            ("email", .of(rep.email)),
            ("team", .of(rep.team)),
            ("role", .string(rep.role.rawValue)),
            ("capacity", .of(rep.capacity)),
            ("daily_limit", .of(rep.dailyLimit)),
            ("weight", .of(rep.weight)),
            ("territories", .of(rep.territories)),
            ("active", .bool(rep.active)),
            ("away_from", .of(rep.awayFrom.map(Timestamp.firstDay))),
            ("away_until", .of(rep.awayUntil.map(Timestamp.lastDay))),
            ("created_at", .of(rep.createdAt)),
            ("held", .of(held)),
        ])
    }

    /// "active", "inactive", or "away until 2026-12-01".
    func state(at now: Date) -> String {
        if !rep.active { return "inactive" }
        if rep.isAway(at: now) { return rep.awayUntil.map { "away \(Timestamp.until($0))" } ?? "away" }
        if let from = rep.awayFrom, from > now { return "away from \(Timestamp.day(from))" }
        return "active"
    }
}

func show(_ standing: RepStanding, in session: Session) throws {
    let rep = standing.rep
    let budget = try session.store.claimBudget(for: rep, policy: try session.claimPolicy(), at: session.now)
    if session.output.json {
        guard case .object(let fields) = standing.json else { return }
        session.output.print(JSON.object(fields + [
            ("effective_capacity", .of(budget.capacity)), ("effective_daily_limit", .of(budget.dailyLimit)),
            ("claimed_today", .of(budget.claimedToday)), ("can_claim", .of(budget.room == .max ? nil : budget.room)),
        ]))
        return
    }
    func limit(_ own: Int?, _ effective: Int?) -> String {
        let value = effective.map(String.init) ?? "unlimited"
        return own == nil ? "\(value) (the ruleset's default)" : value
    }
    session.output.print(fields: [
        ("handle", rep.handle),
        ("name", rep.name),
        ("email", rep.email ?? "-"),
        ("team", rep.team ?? "-"),
        ("role", rep.role.rawValue),
        ("state", standing.state(at: session.now)),
        ("held", "\(standing.held) open or qualified"),
        ("capacity", limit(rep.capacity, budget.capacity)),
        ("daily limit", limit(rep.dailyLimit, budget.dailyLimit)),
        ("claimed today", "\(budget.claimedToday) (UTC day of \(Timestamp.day(session.now)))"),
        ("can claim", budget.room == .max ? "no limit" : "\(budget.room) more \(budget.refusal.map { "(\($0))" } ?? "now")"),
        ("weight", String(rep.weight)),
        ("territories", rep.territories.isEmpty ? "-" : rep.territories.joined(separator: ",")),
        ("away", rep.awayFrom == nil && rep.awayUntil == nil
            ? "-" : "\(rep.awayFrom.map(Timestamp.firstDay) ?? "…") \(rep.awayUntil.map(Timestamp.until) ?? "until …")"),
        ("added", Timestamp.string(rep.createdAt)),
    ])
}

// MARK: - Commands

extension LeadPool.RepCommand {
    struct Add: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a rep.")
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The rep's handle (by default reps act as their OS login name).")
        var handle: String

        @OptionGroup var fields: RepFields

        func validate() throws {
            if fields.name == nil { throw ValidationError("missing --name: give the rep's display name") }
        }

        func run(in session: Session) throws {
            try Rep.validateHandle(handle)
            let changes = fields.changes
            let rep = Rep(
                handle: handle, name: changes.name!, email: fields.email, team: fields.team, role: fields.role ?? .rep,
                capacity: fields.capacity?.number, dailyLimit: fields.dailyLimit?.number, weight: fields.weight ?? 1,
                territories: changes.territories ?? [], createdAt: session.now)
            try session.store.addRep(rep)
            if session.output.json {
                try show(try session.store.repStanding(handle), in: session)
            } else {
                session.output.print("Added \(rep.role.rawValue) '\(handle)' (\(rep.name)).")
            }
        }
    }

    struct List: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List reps with their load and state.")
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Option(help: "Only this team.")
        var team: String?

        func run(in session: Session) throws {
            let reps = try session.store.repStandings().filter { team == nil || $0.rep.team == team }
            if session.output.json {
                session.output.print(JSON.array(reps.map(\.json)))
                return
            }
            var table = Table([
                ("HANDLE", .left), ("NAME", .left), ("TEAM", .left), ("ROLE", .left), ("HELD", .right),
                ("CAPACITY", .right), ("DAILY", .right), ("WEIGHT", .right), ("TERRITORIES", .left), ("STATE", .left),
            ])
            for standing in reps {
                let rep = standing.rep
                table.add([
                    rep.handle, rep.name, rep.team ?? "-", rep.role.rawValue, String(standing.held),
                    rep.capacity.map(String.init) ?? "default", rep.dailyLimit.map(String.init) ?? "default",
                    String(rep.weight), rep.territories.isEmpty ? "-" : rep.territories.joined(separator: ","),
                    standing.state(at: session.now),
                ])
            }
            session.output.print(table)
        }
    }

    struct Show: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show one rep.")
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The rep's handle.")
        var handle: String

        func run(in session: Session) throws {
            try show(try session.store.repStanding(handle), in: session)
        }
    }

    struct Update: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "update", abstract: "Change a rep's fields.")
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The rep's handle.")
        var handle: String

        @OptionGroup var fields: RepFields

        func validate() throws {
            if fields.changes.isEmpty { throw ValidationError("nothing to change: give at least one of --name, --email, --team, --role, --capacity, --daily-limit, --weight, --territories") }
        }

        func run(in session: Session) throws {
            try session.store.updateRep(handle, fields.changes)
            if session.output.json {
                try show(try session.store.repStanding(handle), in: session)
            } else {
                session.output.print("Updated '\(handle)'.")
            }
        }
    }

    struct Away: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "away",
            abstract: "Mark a rep away (no round gives them leads), or end it with --clear.",
            discussion: "A date alone for --until means through that day. Reps may set their own away window.")
        static let access = Access.rep

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The rep's handle.")
        var handle: String

        @Option(help: ArgumentHelp("First away day or time (default: now).", valueName: "date"))
        var from: String?

        @Option(help: ArgumentHelp("Last away day, or the time the rep is back.", valueName: "date"))
        var until: String?

        @Flag(help: "End the away window.")
        var clear = false

        func validate() throws {
            if clear, from != nil || until != nil { throw ValidationError("--clear takes no --from or --until") }
            if !clear, until == nil { throw ValidationError("missing --until: when is the rep back? (or --clear)") }
        }

        func run(in session: Session) throws {
            if handle != session.actor.handle, session.actor.role != .admin {
                throw LeadPoolError.permission("only admins may set someone else's away window")
            }
            if clear {
                try session.store.setAway(handle, from: nil, until: nil)
                if session.output.json { try show(try session.store.repStanding(handle), in: session) } else { session.output.print("'\(handle)' is no longer away.") }
                return
            }
            let start = try from.map { try date($0, option: "--from") } ?? session.now
            var end = try date(until!, option: "--until")
            if Timestamp.isDateOnly(until!) { end = end.addingTimeInterval(86_400) }
            guard start < end else {
                throw LeadPoolError.usage("--until must be after --from (\(Timestamp.string(start)))")
            }
            try session.store.setAway(handle, from: start, until: end)
            if session.output.json {
                try show(try session.store.repStanding(handle), in: session)
            } else {
                session.output.print("'\(handle)' is away from \(Timestamp.string(start)) \(Timestamp.until(end)).")
            }
        }

        private func date(_ text: String, option: String) throws -> Date {
            guard let date = Timestamp.parse(text) else {
                throw LeadPoolError.usage("\(option): '\(text)' is not an ISO-8601 date or time", hint: "write e.g. 2026-12-24")
            }
            return date
        }
    }

    struct Deactivate: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "deactivate",
            abstract: "Deactivate a rep: no more rounds or claims; the nightly reclaim returns their leads.",
            discussion: "--release returns their leads to the pool now; --transfer-to hands them to another rep now.")
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The rep's handle.")
        var handle: String

        @Flag(help: "Return the rep's open leads to the pool now.")
        var release = false

        @Option(help: ArgumentHelp("Give the rep's open leads to this rep now.", valueName: "handle"))
        var transferTo: String?

        func validate() throws {
            if release, transferTo != nil { throw ValidationError("--release and --transfer-to exclude each other") }
            if transferTo == handle { throw ValidationError("--transfer-to must name another rep") }
        }

        func run(in session: Session) throws {
            if let transferTo {
                // Check the receiver before changing anything, so a bad handle leaves all as it was.
                let receiver = try session.store.repStanding(transferTo).rep
                guard receiver.active else { throw LeadPoolError.refused("'\(transferTo)' is deactivated too") }
            }
            let wasActive = try session.store.repStanding(handle).rep.active
            try session.store.setActive(handle, false)
            let held = try session.store.heldLeadIDs(of: handle)
            var outcomes: [LeadOutcome] = []
            if release, !held.isEmpty {
                outcomes = try session.store.perform(
                    .release(reason: "rep \(handle) deactivated"), on: held, by: session.actor, at: session.now)
            } else if let transferTo, !held.isEmpty {
                outcomes = try session.store.transfer(
                    held, to: transferTo, reason: "rep \(handle) deactivated", actor: session.actor.handle, at: session.now)
                if outcomes.contains(where: \.succeeded) { try warnAboveCapacity(transferTo, session: session) }
            }
            if session.output.json {
                try show(try session.store.repStanding(handle), in: session)
                return
            }
            let moved = outcomes.filter(\.succeeded).count
            var text = wasActive ? "Deactivated '\(handle)'." : "'\(handle)' was already deactivated."
            if release { text += " Released \(moved) lead(s) to the pool." }
            if let transferTo { text += " Transferred \(moved) lead(s) to \(transferTo)." }
            if !release, transferTo == nil, !held.isEmpty {
                text += " They hold \(held.count) lead(s); the next reclaim returns them to the pool."
            }
            session.output.print(text)
        }
    }

    struct Activate: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "activate", abstract: "Activate a rep again.")
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The rep's handle.")
        var handle: String

        func run(in session: Session) throws {
            let wasActive = try session.store.repStanding(handle).rep.active
            try session.store.setActive(handle, true)
            if session.output.json {
                try show(try session.store.repStanding(handle), in: session)
            } else {
                session.output.print(wasActive ? "'\(handle)' was already active." : "Activated '\(handle)'.")
            }
        }
    }
}

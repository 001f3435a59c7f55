import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStore

/// Filters shared by `lead list`, `export` and `pool`.
/// Which leads, by condition: `--where`, `--segment`, `--tag`. Every command that picks leads
/// takes these; the options around them depend on the command (help lists only those it takes).
struct LeadConditions: ParsableArguments {
    @Option(name: .customLong("where"), help: ArgumentHelp("Only leads matching this condition, e.g. 'country = \"DE\" and score >= 60'.", valueName: "expr"))
    var condition: String?

    @Option(help: ArgumentHelp("Only leads in this segment of the current ruleset.", valueName: "name"))
    var segment: String?

    @Option(help: ArgumentHelp("Only leads with this tag (repeatable: all must match).", valueName: "tag"))
    var tag: [String] = []

    /// Whether any was given.
    var isSet: Bool { condition != nil || segment != nil || !tag.isEmpty }
}

/// How many leads, in which order: `--sort`, `--limit`.
struct LeadOrder: ParsableArguments {
    @Option(help: "Order: score (best first), age (oldest first), idle (longest idle first), id.")
    var sort: LeadQuery.Sort?

    @Option(help: "At most this many leads.")
    var limit: Int?

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }
}

/// `lead list` and `export`: conditions, whose leads (`--owner`, `--pooled`), order and count.
struct LeadFilters: ParsableArguments {
    @OptionGroup var conditions: LeadConditions

    @Option(help: ArgumentHelp("Only leads this rep owns.", valueName: "handle"))
    var owner: String?

    @Flag(help: "Only pool leads: open and unowned.")
    var pooled = false

    @OptionGroup var order: LeadOrder

    func validate() throws {
        if owner != nil, pooled { throw ValidationError("--owner and --pooled exclude each other") }
    }

    /// The query with `--where`/`--segment` resolved against the ruleset in force.
    func query(defaultSort: LeadQuery.Sort, in session: Session) throws -> LeadQuery {
        var query = LeadQuery(
            ownership: pooled ? .pooled : owner.map(LeadQuery.Ownership.ownedBy) ?? .any,
            sort: order.sort ?? defaultSort, limit: order.limit)
        try conditions.narrow(&query, in: session)
        return query
    }
}

extension LeadQuery.Sort: ExpressibleByArgument {}

extension LeadPool {
    struct LeadCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lead",
            abstract: "Show, list and tag leads.",
            subcommands: [Add.self, Update.self, Show.self, List.self, Tag.self, Untag.self])
    }

    struct History: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "history", abstract: "Every event of a lead, oldest first.")
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The lead's id.")
        var id: Int64

        func run(in session: Session) throws {
            let history = try session.store.history(id)
            let lead = try session.store.lead(id)
            let ruleset = try session.ruleset()
            let hiddenRules = Set(ruleset.rulesHidingOutcome(on: lead, from: session.actor).map(\.name))
            let events = history.map { ruleset.visibility.event($0, of: lead, seenBy: session.actor, hiddenRules: hiddenRules) }
            if session.output.json {
                session.output.print(JSON.array(events.map { event, hidden -> JSON in
                    var fields: [(String, JSON)] = [
                        ("id", .int(event.id)), ("lead_id", .int(event.leadID)), ("at", .of(event.at)),
                        ("actor", .string(event.actor)), ("kind", .string(event.kind)), ("from_owner", .of(event.fromOwner)),
                        ("to_owner", .of(event.toOwner)), ("round_id", .of(event.roundID)),
                    ]
                    if !hidden.contains("rule") { fields.append(("rule", .of(event.rule))) }
                    if !hidden.contains("reason") { fields.append(("reason", .of(event.reason))) }
                    fields += [("detail", event.detail.map(JSON.raw) ?? .null), ("hidden", .of(hidden))]
                    return .object(fields)
                }))
                return
            }
            var table = Table([("AT", .fixed), ("KIND", .left), ("ACTOR", .left), ("OWNER", .left), ("WHY", .left)])
            for (event, hidden) in events {
                let owner = event.fromOwner == event.toOwner
                    ? event.toOwner ?? "" : "\(event.fromOwner ?? "pool") → \(event.toOwner ?? "pool")"
                var why = [event.rule.map { "rule \($0)" }, event.roundID.map { "round \($0)" }, event.reason].compactMap { $0 }
                if let words = event.detailWords { why.append(words) }
                if !hidden.isEmpty { why.append("(\(hidden.map { $0.replacingOccurrences(of: "detail.", with: "") }.joined(separator: ", ")) hidden)") }
                table.add([Timestamp.string(event.at), event.kind, event.actor, owner, why.joined(separator: "; ")])
            }
            session.output.print(table)
        }
    }
}

extension LeadPool.LeadCommand {
    struct Add: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add one lead by hand.",
            discussion: """
                Fields are checked as an import checks them: --field employees=250 --field email=a@b.com \
                --field attr.plan=trial. The lead is scored with the current ruleset.
                """)
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions

        @Option(help: "The company (required).")
        var company: String

        @Option(name: .customLong("field"), help: ArgumentHelp("A field: name=value, name a lead field or attr.NAME (repeatable).", valueName: "name=value"))
        var fields: [String] = []

        @Option(help: ArgumentHelp("Tag the lead (repeatable).", valueName: "tag"))
        var tag: [String] = []

        func run(in session: Session) throws {
            let given = try FieldOption.parse(fields, allowCompany: false)
            let header = ["company"] + given.map(\.name), values = [company] + given.map(\.value)
            var draft = try FieldOption.draft(header: header, values: values, command: "lead add")
            draft.tags += tag
            let id = try session.store.addLead(draft.makeLead(createdAt: session.now), actor: session.actor.handle, at: session.now)
            if session.output.json {
                session.output.print(try session.leadPresenter().json(try session.store.lead(id)))
            } else {
                let lead = try session.store.lead(id)
                session.output.print("Added lead \(id) (\(lead.company)): score \(lead.score), tier \(lead.tier ?? "-").")
            }
        }
    }



    struct Show: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show one lead, every field.")
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The lead's id.")
        var id: Int64

        func run(in session: Session) throws {
            let lead = try session.store.lead(id)
            let presenter = try session.leadPresenter()
            if session.output.json {
                session.output.print(presenter.json(lead))
            } else {
                session.output.print(fields: presenter.fields(lead))
            }
        }
    }

    struct List: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List leads matching filters.")
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions
        @OptionGroup var filters: LeadFilters

        func run(in session: Session) throws {
            let query = try filters.query(defaultSort: .id, in: session)
            let leads = try session.store.leads(query, now: session.now)
            let presenter = try session.leadPresenter()
            if session.output.json {
                session.output.print(JSON.array(leads.map(presenter.json)))
                return
            }
            session.output.print(presenter.table(leads))
            let total = try session.store.countLeads(query, now: session.now)
            if total > leads.count { session.output.note("\(leads.count) of \(total) leads shown (--limit)") }
        }
    }

    struct Tag: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "tag", abstract: "Add tags to a lead.")
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The lead's id.")
        var id: Int64

        @Argument(help: "Tags to add.")
        var tags: [String]

        func validate() throws { try validateTags(tags) }

        func run(in session: Session) throws {
            let changed = try session.store.tag([id], tags, actor: session.actor.handle, at: session.now)
            report(changed: changed, verb: "Tagged", session: session)
        }
    }

    struct Untag: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "untag", abstract: "Remove tags from a lead.")
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The lead's id.")
        var id: Int64

        @Argument(help: "Tags to remove.")
        var tags: [String]

        func validate() throws { try validateTags(tags) }

        func run(in session: Session) throws {
            let changed = try session.store.tag([id], tags, remove: true, actor: session.actor.handle, at: session.now)
            report(changed: changed, verb: "Untagged", session: session)
        }
    }
}

private func validateTags(_ tags: [String]) throws {
    if tags.isEmpty { throw ValidationError("give at least one tag") }
    if let bad = tags.first(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.contains(",") || $0.contains(";") }) {
        throw ValidationError("tag '\(bad)' is empty or holds ',' or ';'")
    }
}

private func report(changed: Int, verb: String, session: Session) {
    if session.output.json {
        session.output.print(JSON.object([("changed", .of(changed))]))
    } else {
        session.output.print(changed == 0 ? "Nothing changed." : "\(verb) \(changed) lead(s).")
    }
}

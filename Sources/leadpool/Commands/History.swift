import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct History: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "Every event of a lead, oldest first."
        )
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
                session.output.print(
                    JSON.array(
                        events.map { event, hidden -> JSON in
                            var fields: [(String, JSON)] = [
                                ("id", .int(event.id)), ("lead_id", .int(event.leadID)), ("at", .of(event.at)),
                                ("actor", .string(event.actor)), ("kind", .string(event.kind.rawValue)), ("from_owner", .of(event.fromOwner)),
                                ("to_owner", .of(event.toOwner)), ("round_id", .of(event.roundID)),
                            ]
                            if !hidden.contains("rule") { fields.append(("rule", .of(event.rule))) }
                            if !hidden.contains("reason") { fields.append(("reason", .of(event.reason))) }
                            fields += [("detail", event.detail.map(JSON.raw) ?? .null), ("hidden", .of(hidden))]
                            return .object(fields)
                        }
                    )
                )
                return
            }
            var table = Table([("AT", .fixed), ("KIND", .left), ("ACTOR", .left), ("OWNER", .left), ("WHY", .left)])
            for (event, hidden) in events {
                let owner =
                    event.fromOwner == event.toOwner
                    ? event.toOwner ?? "" : "\(event.fromOwner ?? "pool") → \(event.toOwner ?? "pool")"
                var why = [event.rule.map { "rule \($0)" }, event.roundID.map { "round \($0)" }, event.reason].compactMap { $0 }
                if let words = event.detailWords(clock: session.clock) { why.append(words) }
                if !hidden.isEmpty {
                    why.append("(\(hidden.map { $0.replacingOccurrences(of: "detail.", with: "") }.joined(separator: ", ")) hidden)")
                }
                table.add([session.time(event.at), event.kind.rawValue, event.actor, owner, why.joined(separator: "; ")])
            }
            session.output.print(table)
        }
    }
}

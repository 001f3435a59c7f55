import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension Session {
    /// Prints each lead's outcome; fails with exit 1 when any was refused (66 when the only
    /// failures are unknown ids), so scripts can tell a partial success. `leads` adds company,
    /// score and tier to the leads done (claims show what was taken); `owner` (`.some(nil)`: the
    /// pool) says where the leads done went, when the command chose it (`transfer`, `reopen`),
    /// and `pool` the pool they went to (`lead move`).
    /// In JSON, `reason` is the one the command was given (kept in history) and `refusal` why a
    /// lead was not done.
    func report(
        _ outcomes: [LeadOutcome],
        done verb: String,
        leads: [Int64: Lead] = [:],
        owner: String?? = nil,
        pool: String? = nil,
        reason: String? = nil
    ) throws {
        if output.json {
            output.print(
                JSON.array(
                    outcomes.map { outcome in
                        var fields: [(String, JSON)] = [("id", .int(outcome.leadID))]
                        switch outcome.result {
                        case .done:
                            fields.append(("result", .string(verb)))
                            if let lead = leads[outcome.leadID] {
                                fields += [("company", .string(lead.company)), ("score", .of(lead.score)), ("tier", .of(lead.tier))]
                            }
                            if let owner { fields.append(("owner", .of(owner))) }
                            if let pool { fields.append(("pool", .string(pool))) }
                            return .object(fields + [("reason", .of(reason)), ("refusal", .null)])
                        case .refused(let refusal), .denied(let refusal):
                            return .object(fields + [("result", .string("refused")), ("reason", .of(reason)), ("refusal", .string(refusal))])
                        case .notFound:
                            return .object(
                                fields + [("result", .string("not_found")), ("reason", .of(reason)), ("refusal", .string("no such lead"))]
                            )
                        }
                    }
                )
            )
        } else {
            output.print(
                outcomes.map { outcome in
                    switch outcome.result {
                    case .done:
                        let what = leads[outcome.leadID].map { "  \($0.company)  score \($0.score)\($0.tier.map { " (\($0))" } ?? "")" }
                        let to = owner.map { "  to \($0 ?? "the pool")" } ?? pool.map { "  to pool \($0)" }
                        return "\(verb)  \(outcome.leadID)\(what ?? "")\(to ?? "")"
                    case .refused(let reason), .denied(let reason): return "refused  \(outcome.leadID): \(reason)"
                    case .notFound: return "refused  \(outcome.leadID): no such lead"
                    }
                }.joined(separator: "\n")
            )
        }
        let failed = outcomes.filter { !$0.succeeded }
        guard !failed.isEmpty else { return }
        let summary = "\(failed.count) of \(outcomes.count) lead(s) not \(verb)"
        if failed.allSatisfy({ $0.result == .notFound }) { throw LeadPoolError.notFound(summary) }
        // Only permission refusals (and unknown ids): 77, as for a command the actor may not run.
        if failed.allSatisfy({ if case .refused = $0.result { false } else { true } }) { throw LeadPoolError.permission(summary) }
        throw LeadPoolError.refused(summary)
    }
}

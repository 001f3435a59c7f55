import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Notify: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "notify",
            abstract: "Mail each rep one digest of what is new for them (from cron, after reclaim).",
            discussion: """
                One plain-text mail per active rep with an email address, of what no earlier \
                mail told them: leads given to them (by a round, a transfer or an escalation) \
                in the last 7 days that they still hold, first-touch deadlines close (within warn-before) or missed, \
                leads taken from them by an escalation in the last 7 days, and leads going back \
                to the pool within warn-days. Sent through the rules file's notify.sendmail \
                (default /usr/sbin/sendmail) as `sendmail -i -- ADDRESS`. Each rep's items are \
                recorded as mailed only after sendmail exits 0, so a run killed or refused midway \
                sends them again next time rather than losing them. Reps without an email are \
                listed on stderr. --dry-run prints the mails and records nothing.
                """
        )
        static let access = Access.admin
        var writes: Bool { !dryRun }

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print the mails; send and record nothing.")
        var dryRun = false

        func run(in session: Session) throws {
            let ruleset = try session.ruleset()
            let host = ProcessInfo.processInfo.hostName
            let from = ruleset.notify.from ?? "leadpool@\(host)"
            let sendmail = Sendmail(program: ruleset.notify.sendmail)
            var results: [(digest: Digest, mail: DigestMail?, error: String?)] = []
            var failures: [LeadPoolError] = []
            // A dry run sends nothing, so it need not wait for a run that does.
            func notify() throws {
                for digest in try session.store.digests(ruleset, at: session.now) {
                    guard digest.rep.email != nil else {
                        session.output.note(
                            "notify: \(digest.rep.handle) has no email: \(digest.items.count) item(s) not mailed; set one with `leadpool rep update \(digest.rep.handle) --email ADDRESS`"
                        )
                        results.append((digest, nil, nil))
                        continue
                    }
                    let mail = DigestMail(
                        rep: digest.rep,
                        items: digest.items,
                        from: from,
                        clock: ruleset.clock(of: digest.rep),
                        now: session.now,
                        host: host
                    )
                    if dryRun {
                        results.append((digest, mail, nil))
                        continue
                    }
                    do {
                        try sendmail.send(mail.text, to: mail.to)
                        try session.store.recordNotified(digest.rep.handle, keys: digest.items.map(\.key), at: session.now)
                        results.append((digest, mail, nil))
                    } catch let error as LeadPoolError where error.kind == .busy || error.kind == .configuration {
                        session.output.note("notify: \(error.message)")
                        failures.append(error)
                        results.append((digest, mail, error.message))
                    }
                }
            }
            if dryRun { try notify() } else { try session.store.whileNotifying(notify) }
            print(results, in: session)
            if let first = failures.first {
                throw failures.count == 1
                    ? first
                    : LeadPoolError.busy("sendmail refused \(failures.count) digests (the first: \(first.message))", hint: first.hint)
            }
        }

        private func print(_ results: [(digest: Digest, mail: DigestMail?, error: String?)], in session: Session) {
            if session.output.json {
                session.output.print(
                    JSON.object([
                        ("now", .of(session.now)),
                        ("dry_run", .bool(dryRun)),
                        (
                            "mails",
                            .array(
                                results.compactMap { result in
                                    guard let mail = result.mail else { return nil }
                                    return .object([
                                        ("handle", .string(result.digest.rep.handle)), ("email", .string(mail.to)),
                                        ("subject", .string(mail.subject)), ("message_id", .string(mail.messageID)),
                                        ("sent", .bool(!dryRun && result.error == nil)), ("error", .of(result.error)),
                                        (
                                            "items",
                                            .array(
                                                result.digest.items.map { item in
                                                    .object([
                                                        ("kind", .string(item.kind.rawValue)), ("id", .int(item.leadID)),
                                                        ("company", .string(item.company)), ("at", .of(item.at)),
                                                        ("detail", .string(item.detail)),
                                                    ])
                                                }
                                            )
                                        ),
                                        ("message", .string(mail.text)),
                                    ])
                                }
                            )
                        ),
                        ("without_email", .of(results.filter { $0.mail == nil }.map(\.digest.rep.handle))),
                    ])
                )
                return
            }
            if dryRun {
                for mail in results.compactMap(\.mail) {
                    session.output.print("--- mail to \(mail.to) (dry run) ---\n" + mail.text)
                }
            }
            let mailed = results.filter { $0.mail != nil && $0.error == nil }
            let failed = results.count { $0.error != nil }
            var line = "notify \(session.time(session.now))\(dryRun ? " (dry run)" : ""): "
            line += "\(mailed.count) digest(s) \(dryRun ? "to send" : "sent"), \(mailed.reduce(0) { $0 + $1.digest.items.count }) item(s)"
            let without = results.filter { $0.mail == nil }.map(\.digest.rep.handle)
            if !without.isEmpty { line += "; no email: " + without.joined(separator: ", ") }
            if failed > 0 { line += "; \(failed) refused by sendmail (sent again next time)" }
            session.output.print(line)
        }
    }
}

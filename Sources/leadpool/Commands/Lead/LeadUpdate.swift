import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.LeadCommand {
    struct Update: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Correct fields of a lead: --field name=value (empty clears it).",
            discussion: """
                Values are checked as an import checks them. Admins may correct any lead; a rep the leads \
                they own, and there the company and its contact's fields (not external_id or source). \
                The lead's history gets one `updated` event with each change, old → new, and the lead is \
                scored again.
                """
        )
        static let access = Access.rep

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The lead's id.")
        var id: Int64

        @Option(
            name: .customLong("field"),
            help: ArgumentHelp("A field to set: name=value, name a lead field or attr.NAME; name= clears it (repeatable).", valueName: "name=value")
        )
        var fields: [String] = []

        func validate() throws {
            if fields.isEmpty { throw ValidationError("nothing to change: give at least one --field name=value") }
        }

        func run(in session: Session) throws {
            let given = try FieldOption.parse(fields, allowCompany: true)
            if let company = given.first(where: { $0.name.lowercased() == "company" }), company.value.trimmingCharacters(in: .whitespaces).isEmpty {
                throw LeadPoolError.usage("--field company=: a lead always has a company; give its name")
            }
            let lead = try session.store.lead(id)
            // The draft needs a company: the lead's own when it is not being changed.
            let needsCompany = !given.contains { $0.name.lowercased() == "company" }
            let header = (needsCompany ? ["company"] : []) + given.map(\.name)
            let values = (needsCompany ? [lead.company] : []) + given.map(\.value)
            let edit = LeadEdit(
                fields: Set(given.compactMap { LeadField(rawValue: $0.name.lowercased()) }),
                // `attr.Plan Type` names the attribute `plan_type`, as an `attr.` header of an import does.
                attributes: Set(
                    given.filter { $0.name.lowercased().hasPrefix("attr.") }.map { HeaderAliases.attributeName(String($0.name.dropFirst(5))) }
                ),
                draft: try FieldOption.draft(header: header, values: values, command: "lead update")
            )
            let changes = try session.store.updateLead(id, edit, by: session.actor, at: session.now)
            if session.output.json {
                session.output.print(
                    JSON.object([
                        ("id", .int(id)),
                        ("changes", .array(changes.map { .object([("field", .string($0.name)), ("old", .of($0.old)), ("new", .of($0.new))]) })),
                    ])
                )
                return
            }
            guard !changes.isEmpty else {
                session.output.print("Lead \(id) already has these values; nothing changed.")
                return
            }
            let updated = try session.store.lead(id)
            session.output.print(changes.map { "\($0.name): \($0.old ?? "-") → \($0.new ?? "-")" }.joined(separator: "\n"))
            session.output.print("Updated lead \(id) (\(updated.company)): score \(updated.score), tier \(updated.tier ?? "-").")
        }
    }
}

import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.LeadCommand {
    struct Add: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add one lead by hand.",
            discussion: """
                Fields are checked as an import checks them: --field employees=250 --field email=a@b.com \
                --field attr.plan=trial. The lead is scored with the current ruleset.
                """
        )
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions

        @Option(help: "The company (required).")
        var company: String

        @Option(
            name: .customLong("field"),
            help: ArgumentHelp("A field: name=value, name a lead field or attr.NAME (repeatable).", valueName: "name=value")
        )
        var fields: [String] = []

        @Option(help: ArgumentHelp("Tag the lead (repeatable).", valueName: "tag"))
        var tag: [String] = []

        func run(in session: Session) throws {
            let given = try FieldOption.parse(fields, allowCompany: false)
            let header = ["company"] + given.map(\.name)
            let values = [company] + given.map(\.value)
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
}

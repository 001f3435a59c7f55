import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.RepCommand {
    struct Add: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a rep."
        )
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
                handle: handle,
                name: changes.name!,
                email: fields.email,
                team: fields.team,
                role: fields.role ?? .rep,
                capacity: fields.capacity?.number,
                dailyLimit: fields.dailyLimit?.number,
                weight: fields.weight ?? 1,
                territories: changes.territories ?? [],
                timeZone: changes.timeZone ?? nil,
                workingHours: changes.workingHours ?? nil,
                createdAt: session.now
            )
            try session.store.addRep(rep)
            if session.output.json {
                try show(try session.store.repStanding(handle), in: session)
            } else {
                session.output.print("Added \(rep.role.rawValue) '\(handle)' (\(rep.name)).")
            }
        }
    }
}

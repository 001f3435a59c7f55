import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool.RepCommand {
    struct Add: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a rep.",
            discussion: """
                On PostgreSQL a rep acts as the database role of the same name. --login creates \
                that login role with the rep, all or nothing (your role needs CREATEROLE); \
                with --password-stdin its password is read from standard input, else it has \
                none (for peer authentication, or one a database admin sets). The role needs \
                no GRANT: leadpool's schema gives reps what they may do. On SQLite a rep acts \
                as their OS login, and --login is refused.
                """
        )
        static let access = Access.admin

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The rep's handle (by default reps act as their OS login name).")
        var handle: String

        @OptionGroup var fields: RepFields

        @Flag(help: "On PostgreSQL, also create the rep's database login role, named as the handle.")
        var login = false

        @Flag(help: "With --login: read the role's password from standard input (its first line).")
        var passwordStdin = false

        func validate() throws {
            if fields.name == nil { throw ValidationError("missing --name: give the rep's display name") }
            if passwordStdin, !login { throw ValidationError("--password-stdin sets the password of the role --login creates: add --login") }
        }

        /// The password given on standard input: its first line, which must not be empty.
        private func readPassword() throws -> String {
            let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            let password = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map {
                String($0.hasSuffix("\r") ? $0.dropLast() : $0)
            }
            guard let password, !password.isEmpty else {
                throw LeadPoolError.badInput("--password-stdin read no password: give it as the first line of standard input")
            }
            return password
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
            if login {
                try session.store.addRep(rep, login: DatabaseLogin(password: passwordStdin ? try readPassword() : nil))
            } else {
                try session.store.addRep(rep)
            }
            if session.output.json {
                try show(try session.store.repStanding(handle), in: session)
            } else {
                session.output.print("Added \(rep.role.rawValue) '\(handle)' (\(rep.name))" + (login ? " and the login role '\(handle)'." : "."))
            }
        }
    }
}

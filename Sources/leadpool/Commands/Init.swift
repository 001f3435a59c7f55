import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStore

extension LeadPool {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create the database, apply migrations, make the caller (or HANDLE) the first admin.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("The first admin's handle (default: your login).", valueName: "handle"))
        var admin: String?

        @Option(help: "The first admin's display name (default: the handle).")
        var name: String?

        @Option(help: ArgumentHelp(
            "Share the database with this OS group: the file 0660 in the group, its directory setgid 2770 (an empty directory of yours, or one already shared so).",
            valueName: "group"))
        var group: String?

        func run() throws {
            try Failure.report(json: global.json) {
                let now = try global.clock()
                let handle = admin ?? Identity.loginName
                try Rep.validateHandle(handle)
                let rep = Rep(handle: handle, name: name ?? handle, role: .admin, createdAt: now)
                let store = try Store.create(path: global.databasePath, firstAdmin: rep, group: group)
                let status = try store.migrationStatus()
                let output = Output(json: global.json)
                if global.json {
                    output.print(JSON.object([
                        ("database", .string(store.path)),
                        ("schema_version", .of(status.applied.last?.version)),
                        ("admin", .string(handle)),
                        ("group", .of(group)),
                    ]))
                } else {
                    output.print("Created \(store.path) (schema version \(status.applied.last?.version ?? 0)); '\(handle)' is the first admin.")
                    if let group { output.print("Shared with group '\(group)': the file and its directory are the group's to read and write.") }
                }
            }
        }
    }
}

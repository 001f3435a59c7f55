import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStore

#if canImport(Glibc)
import Glibc
#endif

extension LeadPool {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create the database, apply migrations, make the caller (or HANDLE) the first admin.",
            discussion: "--now sets when the first admin was added: the database is new, so anyone may."
        )

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("The first admin's handle (default: your login).", valueName: "handle"))
        var admin: String?

        @Option(help: "The first admin's display name (default: the handle).")
        var name: String?

        @Option(
            help: ArgumentHelp(
                "Share the database with this OS group: the file 0660 in the group, its directory setgid 2770 (an empty directory of yours, or one already shared so).",
                valueName: "group"
            )
        )
        var group: String?

        func run() throws {
            try Failure.report(json: global.json) {
                let now = try global.clock()
                // Naming the admin needs no login; defaulting to it does.
                let login = admin == nil ? try Identity.login() : try? Identity.login()
                let handle = admin ?? login!
                try Rep.validateHandle(handle)
                let rep = Rep(handle: handle, name: name ?? handle, role: .admin, createdAt: now)
                let store = try Store.create(path: global.databasePath, firstAdmin: rep, group: group)
                let status = try store.migrationStatus()
                let output = Output(json: global.json)
                if global.json {
                    output.print(
                        JSON.object([
                            ("database", .string(store.path)),
                            ("schema_version", .of(status.applied.last?.version)),
                            ("admin", .string(handle)),
                            ("group", .of(group)),
                        ])
                    )
                } else {
                    output.print("Created \(store.path) (schema version \(status.applied.last?.version ?? 0)); '\(handle)' is the first admin.")
                    if let group { output.print("Shared with group '\(group)': the file and its directory are the group's to read and write.") }
                    if login != handle { output.print(Init.howToUse(store.path, admin: handle, login: login, group: group)) }
                }
            }
        }

        /// What works when the caller's login is not the admin: leadpool acts as the OS login,
        /// and only an admin's login may act as someone else, so the caller can do nothing with
        /// the new database until the admin lets them in.
        static func howToUse(_ path: String, admin: String, login: String?, group: String?) -> String {
            let db = shellQuoted(URL(fileURLWithPath: path).standardizedFileURL.path)
            let directory = shellQuoted(URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path)
            let you = login.map { "Your login '\($0)' is not a rep in it" } ?? "Your uid has no login"
            var lines = [
                "\(you), and only an admin's login may act as someone else (--as). To use it:",
                "  run leadpool as the OS user \(admin):  sudo -u \(admin) leadpool --db \(db) rep list",
            ]
            if let login {
                lines.append(
                    "  or, as \(admin), add your login as an admin:  sudo -u \(admin) leadpool --db \(db) rep add \(login) --name \"\(login)\" --role admin"
                )
            }
            if getpwnam(admin) == nil {
                lines.append("There is no OS user '\(admin)' on this host: create it first (sudo useradd \(admin)).")
            }
            if let group {
                lines.append("\(admin) needs to be in the group '\(group)' to write it.")
            } else {
                lines.append(
                    "\(admin) needs write access to \(db) and to its directory \(directory), where SQLite keeps its -wal and -shm files."
                )
            }
            return lines.joined(separator: "\n")
        }

        private static func shellQuoted(_ text: String) -> String {
            let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:@")
            return text.allSatisfy(plain.contains) ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
    }
}

import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolPostgres
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
                if PostgresLocation.isURL(global.databasePath) { return try initPostgres(now: now) }
                // Naming the admin needs no login; defaulting to it does.
                let login = admin == nil ? try Identity.login() : try? Identity.login()
                let handle = admin ?? login!
                try Rep.validateHandle(handle)
                let rep = Rep(handle: handle, name: name ?? handle, role: .admin, createdAt: now)
                let store = try Store.create(path: global.databasePath, firstAdmin: rep, group: group)
                let output = Output(json: global.json)
                let created = try describeCreated(store.path, version: store.migrationStatus().applied.last?.version, admin: handle, output: output)
                if !global.json {
                    output.print("Created \(created); '\(handle)' is the first admin.")
                    if let group { output.print("Shared with group '\(group)': the file and its directory are the group's to read and write.") }
                    if login != handle { output.print(Init.howToUse(store.path, admin: handle, login: login, group: group)) }
                }
            }
        }

        /// Prints what was created as JSON (with `--json`); returns it in words otherwise:
        /// `PATH (schema version N)`.
        private func describeCreated(_ database: String, version: Int?, admin: String, output: Output) -> String {
            if global.json {
                output.print(
                    JSON.object([
                        ("database", .string(database)), ("schema_version", .of(version)), ("admin", .string(admin)), ("group", .of(group)),
                    ])
                )
            }
            return "\(database) (schema version \(version ?? 0))"
        }

        /// Creates leadpool's schema in an existing PostgreSQL database; the first admin is
        /// `--admin` or the role the connection authenticated as.
        private func initPostgres(now: Date) throws {
            if group != nil {
                throw LeadPoolError.usage(
                    "--group shares a SQLite file; on PostgreSQL the database's roles and privileges decide who may work",
                    hint: "drop --group; docs/postgresql.md says how to set up the roles"
                )
            }
            if let admin { try Rep.validateHandle(admin) }
            var login = ""
            let store = try PostgresStore.create(url: global.databasePath) { role in
                login = role
                let handle = admin ?? role
                try Rep.validateHandle(handle)
                return Rep(handle: handle, name: name ?? handle, role: .admin, createdAt: now)
            }
            let handle = admin ?? login
            let output = Output(json: global.json)
            let created = try describeCreated(store.path, version: store.migrationStatus().applied.last?.version, admin: handle, output: output)
            if !global.json {
                output.print("Created leadpool's schema in \(created); '\(handle)' is the first admin.")
                if login != handle {
                    output.print(
                        "Your role '\(login)' is not a rep in it: connect as the database role '\(handle)' (e.g. postgresql://\(handle)@…) to use it."
                    )
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

import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Apply pending migrations, or list applied and pending ones with --status.",
            discussion: "A migration is recorded with the wall clock when it was applied; --now does not change that."
        )

        @OptionGroup var global: GlobalOptions

        @Flag(help: "List applied and pending migrations; change nothing.")
        var status = false

        func run() throws {
            try Failure.report(json: global.json) {
                let store = try StorageFactory.migrating(database: global.databasePath, readOnly: status)
                let output = Output(json: global.json)
                /// Applied migrations (all of them, or those this run applied) and pending ones.
                func json(_ current: MigrationStatus, appliedNow: Set<String>? = nil) -> JSON {
                    JSON.object([
                        (
                            "applied",
                            .array(
                                current.applied.filter { appliedNow?.contains($0.fileName) ?? true }.map {
                                    .object([
                                        ("version", .of($0.version)), ("file", .string($0.fileName)),
                                        ("checksum", .string($0.checksum)), ("applied_at", .of($0.appliedAt)),
                                    ])
                                }
                            )
                        ),
                        (
                            "pending",
                            .array(
                                current.pending.map {
                                    .object([("version", .of($0.version)), ("file", .string($0.fileName))])
                                }
                            )
                        ),
                    ])
                }
                if status {
                    let current = try store.migrationStatus()
                    if global.json {
                        output.print(json(current))
                        return
                    }
                    var table = Table([("VERSION", .right), ("MIGRATION", .left), ("STATE", .left)])
                    for m in current.applied { table.add([String(m.version), m.fileName, "applied \(Timestamp.string(m.appliedAt))"]) }
                    for m in current.pending { table.add([String(m.version), m.fileName, "pending"]) }
                    output.print(table)
                    return
                }
                // When the schema changed is a fact of the file, not an effective time to set.
                let applied = try store.migrate(at: Date())
                if global.json {
                    output.print(json(try store.migrationStatus(), appliedNow: Set(applied.map(\.fileName))))
                } else if applied.isEmpty {
                    output.print("Nothing to do: \(store.path) is up to date.")
                } else {
                    output.print("Applied \(applied.map(\.fileName).joined(separator: ", ")).")
                }
            }
        }
    }
}

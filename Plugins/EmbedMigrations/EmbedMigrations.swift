import Foundation
import PackagePlugin

/// Embeds files of the package into a target at build time: `Migrations/*.sql` into the
/// SQLite store and `Migrations/postgresql/*.sql` into the PostgreSQL store (the schema's
/// single source of truth stays the `.sql` files) and
/// `examples/*.yaml` into the CLI (the demo's rules), so the binary needs no source tree.
@main
struct EmbedMigrations: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let (folder, suffix, variable): (String, String, String) =
            switch target.name {
            case "LeadPoolStore": ("Migrations", "sql", "embeddedMigrations")
            case "LeadPoolPostgres": ("Migrations/postgresql", "sql", "embeddedPostgresMigrations")
            default: ("examples", "yaml", "embeddedExamples")
            }
        let directory = context.package.directoryURL.appending(path: folder)
        let inputs = try FileManager.default
            .contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == suffix }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "Embedded\(variable.dropFirst("embedded".count)).swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) \(folder) files into \(target.name)",
                executable: try context.tool(named: "embed-migrations").url,
                arguments: [variable, output.path, directory.path, suffix],
                inputFiles: inputs + [directory],
                outputFiles: [output]
            )
        ]
    }
}

import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Backup: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup",
            abstract: "Write a consistent copy of the database while others keep working.",
            discussion: """
                The copy is written beside FILE and renamed into place when complete. An existing FILE is \
                left alone unless --force; a directory, device or FIFO is refused (exit 73).
                """
        )
        static let access = Access.admin
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Where to write the copy.")
        var file: String

        @Flag(help: "Replace FILE when it exists (only once the new copy is complete).")
        var force = false

        func validate() throws {
            // A backup is a SQLite file, written and renamed in place; "-" is no file.
            if file == "-" { throw ValidationError("backup writes a file: name one (./- for a file called '-')") }
        }

        func run(in session: Session) throws {
            // The copy holds every contact field: it gets no wider permissions than the database.
            var database = stat()
            let mode = stat(session.store.path, &database) == 0 ? database.st_mode & 0o666 : 0o600
            let output = try OutputFile(
                file,
                existing: force ? .replace : .refuse(hint: "choose a new name, or add --force to replace it"),
                protecting: [session.store.path],
                newFileMode: mode
            )
            try output.write { temporary in
                try session.store.backup(to: file, through: temporary.path)
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            if session.output.json {
                session.output.print(JSON.object([("file", .string(file)), ("bytes", .of(size))]))
            } else {
                session.output.print("Wrote \(file) (\(size) bytes), a consistent copy of \(session.store.path).")
            }
        }
    }
}

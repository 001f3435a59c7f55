import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStore

extension LeadPool {
    struct Check: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check the database's integrity and leadpool's invariants; exit 0 only if all hold.")
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        func run(in session: Session) throws {
            let results = try session.store.check()
            if session.output.json {
                session.output.print(JSON.object([
                    ("ok", .bool(results.allSatisfy(\.passed))),
                    ("checks", .array(results.map {
                        .object([
                            ("name", .string($0.name)), ("passed", .bool($0.passed)), ("problems", .of($0.problems)),
                            ("notes", .of($0.notes)),
                        ])
                    })),
                ]))
            } else {
                var text = ""
                for result in results {
                    text += "\(result.passed ? "ok  " : "FAIL")  \(result.name)\n"
                    for problem in result.problems { text += "      - \(problem)\n" }
                    for note in result.notes { text += "      note: \(note)\n" }
                }
                session.output.print(text)
            }
            let failed = results.filter { !$0.passed }
            if !failed.isEmpty {
                throw LeadPoolError.refused("\(failed.count) of \(results.count) checks failed: \(failed.map(\.name).joined(separator: "; "))")
            }
        }
    }

    struct Backup: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "backup",
            abstract: "Write a consistent copy of the database while others keep working.")
        static let access = Access.admin
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "Where to write the copy.")
        var file: String

        func run(in session: Session) throws {
            let source = URL(fileURLWithPath: session.store.path).standardizedFileURL.resolvingSymlinksInPath()
            let target = URL(fileURLWithPath: file).standardizedFileURL.resolvingSymlinksInPath()
            if source == target {
                throw LeadPoolError.usage("the backup file \(file) is the database itself; choose another path")
            }
            try session.store.backup(to: file)
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            if session.output.json {
                session.output.print(JSON.object([("backup", .string(file)), ("bytes", .of(size))]))
            } else {
                session.output.print("Wrote \(file) (\(size) bytes), a consistent copy of \(session.store.path).")
            }
        }
    }
}

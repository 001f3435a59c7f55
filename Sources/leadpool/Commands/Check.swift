import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Check: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check the database's integrity and leadpool's invariants; exit 0 only if all hold."
        )
        static let access = Access.rep
        var writes: Bool { false }

        @OptionGroup var global: GlobalOptions

        func run(in session: Session) throws {
            let results = try session.store.check()
            if session.output.json {
                session.output.print(
                    JSON.object([
                        ("ok", .bool(results.allSatisfy(\.passed))),
                        (
                            "checks",
                            .array(
                                results.map {
                                    .object([
                                        ("name", .string($0.name)), ("passed", .bool($0.passed)), ("problems", .of($0.problems)),
                                        ("notes", .of($0.notes)),
                                    ])
                                }
                            )
                        ),
                    ])
                )
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
}

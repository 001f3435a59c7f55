import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct ReportCommand: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "What a sales admin looks at: pool health, rep load, conversion, aging, rounds, speed to lead.",
            discussion: """
                Sections: pool (open unowned leads by tier, segment, source and age), reps (load vs capacity, \
                claims today, touches in 7 days, idle leads, closes, releases, reclaims, hoarding), conversion \
                (converted/closed by source, segment, tier and rep), aging (days from import to first owner, \
                claim to first touch, claim to conversion: median and 90th percentile), rounds (the recent \
                assignment rounds), sla (speed to lead per rep: leads given to them, the share touched within \
                the first-touch deadline, misses, escalations, the median time to first touch in their working \
                hours). No section: all of them. csv takes exactly one section; html is one \
                self-contained file with charts. --json is the same as --format json (and refuses another --format).
                """
        )
        static let access = Access.admin
        var writes: Bool { false }

        enum Section: String, ExpressibleByArgument, CaseIterable {
            case pool, reps, conversion, aging, rounds, sla
            var section: ReportSection { ReportSection(rawValue: rawValue)! }
        }

        enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv, html }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The sections: pool, reps, conversion, aging, rounds, sla (default: all).")
        var sections: [Section] = []

        @Option(help: "table (default), json, csv (one section) or html.")
        var format: Format?

        @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
        var output: String?

        @Option(help: "How many recent rounds the rounds section lists.")
        var limit: Int = 10

        /// The format asked for: --format, else json with --json, else table.
        var resolvedFormat: Format { format ?? (global.json ? .json : .table) }

        /// The sections asked for, each once, in the order given; all of them when none was.
        var resolvedSections: [ReportSection] {
            var seen = Set<Section>()
            let chosen = sections.filter { seen.insert($0).inserted }.map(\.section)
            return chosen.isEmpty ? ReportSection.allCases : chosen
        }

        func validate() throws {
            if limit < 1 { throw ValidationError("--limit must be 1 or more") }
            // --json promises one JSON document on stdout; a table, CSV or HTML there would break it.
            if global.json, let format, format != .json {
                throw ValidationError("--json and --format \(format.rawValue) disagree: drop one of them")
            }
            if resolvedFormat == .csv, Set(sections).count != 1 {
                throw ValidationError(
                    "csv holds one section: name exactly one of \(Section.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
        }

        func run(in session: Session) throws {
            // The output path is checked before the report is computed, which may take a while.
            try TextSink.write(to: output, protecting: [session.store.path]) { sink in
                let ruleset = try session.ruleset()
                let sections = resolvedSections
                let report = try session.store.report(sections, ruleset: ruleset, now: session.now, roundLimit: limit)
                let presenter = ReportPresenter(report: report, sections: sections, ruleset: ruleset, clock: session.clock)
                switch resolvedFormat {
                case .table:
                    let terminal = output == nil || output == "-"
                    try sink.write(presenter.text(styled: terminal && session.output.styled, width: terminal ? session.output.width : nil))
                case .json: try sink.write(presenter.json.text)
                case .csv: try sink.write(presenter.csv(sections[0]))
                case .html: try sink.write(ReportHTML(presenter: presenter).document)
                }
            }
            if let output, output != "-" { session.output.note("Wrote the \(resolvedFormat.rawValue) report to \(output).") }
        }
    }
}

import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension LeadPool {
    struct Export: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write leads as CSV (which `import` reads back) or JSON.",
            discussion: """
                CSV columns are the canonical field names, then attr.NAME for every attribute; tags are \
                joined with ';'. `import` recognises such a file by its external_id column: it reads the \
                lead data back and ignores what leadpool computes or owns (id, status, score, tier, owner, times). \
                A cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR), or one \
                starting with ', gets a leading ' in the file; `import` of the file takes it off again. \
                -o replaces an existing file only once the new one is complete.
                """
        )
        static let access = Access.admin
        var writes: Bool { false }

        enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

        @OptionGroup var global: GlobalOptions
        @OptionGroup var filters: LeadFilters

        @Option(help: "csv (default) or json; --json is the same as --format json.")
        var format: Format?

        @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
        var output: String?

        /// Export columns: every stored canonical field (not the clock-relative ones).
        static let fields = LeadField.allCases.filter { !$0.isComputed }

        /// --format, else json with --json, else csv.
        var resolvedFormat: Format { format ?? (global.json ? .json : .csv) }

        func validate() throws {
            // --json promises one JSON document on stdout; CSV there would break that promise.
            if global.json, let format, format != .json {
                throw ValidationError("--json and --format \(format.rawValue) disagree: drop one of them")
            }
        }

        func run(in session: Session) throws {
            let query = try filters.query(defaultSort: .id, in: session)
            let presenter = try session.leadPresenter()
            var count = 0
            try TextSink.write(to: output, protecting: [session.store.path]) { sink in
                switch resolvedFormat {
                case .csv:
                    let attributes = try session.store.attributeNames(query, now: session.now)
                    try sink.write(CSVText.line(Self.fields.map(\.rawValue) + attributes.map { "attr." + $0 }, cell: CSVCell.exported))
                    try session.store.forEachLead(query, now: session.now) { lead in
                        try sink.write(
                            CSVText.line(
                                Self.fields.map { lead.value(of: $0) ?? "" } + attributes.map { lead.attributes[$0] ?? "" },
                                cell: CSVCell.exported
                            )
                        )
                        count += 1
                    }
                case .json:
                    try sink.write("[")
                    try session.store.forEachLead(query, now: session.now) { lead in
                        try sink.write((count == 0 ? "\n" : ",\n") + presenter.json(lead).text.dropLast())
                        count += 1
                    }
                    try sink.write(count == 0 ? "]\n" : "\n]\n")
                }
            }
            if let output, output != "-" { session.output.note("Exported \(count) lead(s) to \(output).") }
        }
    }
}

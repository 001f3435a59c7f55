import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

extension DuplicatePolicy: ExpressibleByArgument {}
extension CSVReader.Encoding: ExpressibleByArgument {}

/// `--on-error`: what a bad row does to the import.
enum BadRowPolicy: String, ExpressibleByArgument, CaseIterable {
    /// Nothing is imported; every bad row is listed.
    case abort
    /// The good rows are imported; the bad ones are counted (and written to --rejects).
    case skip
}

extension LeadPool {
    struct Import: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import leads from a CSV export (Salesforce, HubSpot, trade-show scanners, lists).",
            discussion: """
                Headers match canonical fields and the usual CRM aliases, ignoring case and punctuation; \
                other columns become attr.NAME. Duplicates are found by external_id, else email, else \
                domain, against the database and within the file. A file with any bad row imports \
                nothing and lists every bad row, unless --on-error skip imports the good ones \
                (--rejects FILE keeps the bad ones, to fix and import again).
                """
        )
        static let access = Access.admin
        // A dry run imports inside a transaction it rolls back: it changes nothing, but it takes
        // the write lock, so it opens the database as a writer (and needs write access).
        var writes: Bool { true }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The CSV file (UTF-8, UTF-16 or Windows-1252; comma, semicolon or tab separated).")
        var file: String

        @Option(help: ArgumentHelp("Tag every imported lead (repeatable).", valueName: "tag"))
        var tag: [String] = []

        @Option(help: ArgumentHelp("Source for rows that give none.", valueName: "source"))
        var source: String?

        @Option(help: ArgumentHelp("Put the new leads into this pool of the rules file (default main).", valueName: "pool"))
        var pool: String?

        @Option(
            help: ArgumentHelp(
                "Map a header to a field: \"Header=field\", \"Header=attr.name\" or \"Header=-\" to skip (repeatable).",
                valueName: "Header=field"
            )
        )
        var map: [String] = []

        @Option(help: "What to do with a duplicate: skip, update (overwrite given fields, add tags) or error.")
        var onDuplicate: DuplicatePolicy = .skip

        @Option(
            help: ArgumentHelp(
                "The column names, for a file without a header line (its first row is then data): \"Company,Email,Country\".",
                valueName: "names"
            )
        )
        var header: String?

        @Option(help: "The file's encoding: auto (UTF-8, UTF-16 by its byte-order mark, else Windows-1252), utf-8, utf-16 or windows-1252.")
        var encoding: CSVReader.Encoding = .auto

        @Option(help: "What a bad row does: abort (import nothing, list every bad row) or skip (import the good rows).")
        var onError: BadRowPolicy = .abort

        @Option(
            help: ArgumentHelp("Write the bad rows to FILE as CSV (their columns, _line and _reason), to fix and import again.", valueName: "file")
        )
        var rejects: String?

        @Option(
            help: ArgumentHelp(
                "Write each duplicate row to FILE as CSV: its columns, _line, the lead it matched (_lead) and by which key (_matched_by).",
                valueName: "file"
            )
        )
        var duplicates: String?

        @Flag(help: "Check and count everything; write nothing to the database.")
        var dryRun = false

        /// A CRM export's row is 150 to 500 bytes: the low end, to guess the rows a file holds.
        static let typicalRowBytes = 150

        func run(in session: Session) throws {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw LeadPoolError.notFound("no such file: \(file)")
            }
            try TextLimit.label.check(tag, "--tag")
            try TextLimit.label.check(source.map { [$0] } ?? [], "--source")
            let pool = try pool.map { try session.ruleset().requirePool($0).name } ?? Ruleset.mainPool
            let overrides = try map.map { try ColumnOverride(parsing: $0) }
            let reader = try openReader()
            let columns = try HeaderMap(reader: reader, overrides: overrides)
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            let progress = Progress("importing", total: size)
            let name = (file as NSString).lastPathComponent
            let started = Date()
            var rows = 0
            var unrecognisedCountries: [String: Int] = [:]
            let summary = try session.store.importLeads(
                file: name,
                source: source,
                pool: pool,
                policy: onDuplicate,
                dryRun: dryRun,
                keepGoodRows: onError == .skip,
                recordDuplicates: duplicates != nil,
                actor: session.actor.handle,
                at: session.now,
                expectedRows: size / Self.typicalRowBytes
            ) { batch in
                // Rows are read and checked on another thread while this one writes. With
                // --on-duplicate update, the file is read a second time for the updates.
                let again = batch.updating
                let feed = DraftFeed(reader: again ? try openReader() : reader, columns: columns)
                defer { feed.cancel() }
                var seen = 0
                while let next = try feed.next() {
                    for result in next.results {
                        seen += 1
                        switch result {
                        case .draft(var draft):
                            if !again && draft.countryUnrecognised { unrecognisedCountries[draft.country ?? "", default: 0] += 1 }
                            draft.tags += tag
                            if draft.source == nil { draft.source = source }
                            try batch.add(draft)
                        case .rejected(let problems):
                            batch.reject(problems)
                        }
                    }
                    progress.update(next.bytesRead, detail: again ? "updating: \(seen) rows" : "\(seen) rows")
                }
                if !again { rows = seen }
                // What is left (scores, indexes, the commit) can take a few seconds at a million rows.
                progress.update(size, detail: "\(rows) rows; finishing (scores, indexes, commit)", final: true)
            }
            progress.finish()
            if rows == 0 {
                FileHandle.standardError.write(Data("leadpool: warning: \(file) has a header but no rows; nothing was imported\n".utf8))
            }
            if reader.converted {
                FileHandle.standardError.write(Data("leadpool: note: \(file) is not UTF-8: read as \(reader.encodingRead)\n".utf8))
            }
            if let rejects {
                let reasons = IntakeProblem.reasonsByLine(summary.problems)
                try writeRows(atLines: Set(reasons.keys), to: rejects, extra: ["_line", "_reason"]) { [String($0), reasons[$0] ?? ""] }
            }
            if let duplicates {
                var found: [Int: ImportSummary.Duplicate] = [:]
                for duplicate in summary.duplicates { found[duplicate.line] = duplicate }
                try writeRows(atLines: Set(found.keys), to: duplicates, extra: ["_line", "_lead", "_matched_by"]) { line in
                    [String(line), found[line].map { String($0.lead) } ?? "", found[line]?.key ?? ""]
                }
            }
            if !summary.problems.isEmpty {
                if onError == .abort {
                    if session.output.json {
                        report(
                            summary,
                            rows: rows,
                            columns: columns,
                            encoding: reader.encodingRead,
                            unrecognisedCountries: unrecognisedCountries,
                            seconds: Date().timeIntervalSince(started),
                            session: session
                        )
                    }
                    throw LeadPoolError.badRows(summary.problems, file: file)
                }
                let rows = summary.badRows
                FileHandle.standardError.write(
                    Data(
                        """
                        leadpool: \(file): \(rows) bad row\(rows == 1 ? "" : "s") skipped (--on-error skip)\(rejects.map { "; written to \($0)" } ?? "")
                        \(IntakeProblem.listing(summary.problems, file: file))

                        """.utf8
                    )
                )
            }
            report(
                summary,
                rows: rows,
                columns: columns,
                encoding: reader.encodingRead,
                unrecognisedCountries: unrecognisedCountries,
                seconds: Date().timeIntervalSince(started),
                session: session
            )
        }

        /// The file, read as the options say.
        private func openReader() throws -> CSVReader {
            try CSVReader(path: file, encoding: encoding, header: try header.map(Self.columnNames))
        }

        /// `--header "A,B,C"`: the names, read as one CSV line (comma, semicolon or tab separated).
        static func columnNames(_ text: String) throws -> [String] {
            let reader = try CSVReader(bytes: Array(text.utf8), name: "--header")
            guard reader.header.contains(where: { IntakeValue.trimmed($0) != nil }) else {
                throw LeadPoolError.usage("--header \"\(text)\": no column names", hint: "e.g. --header \"Company,Email,Country\"")
            }
            return reader.header
        }

        /// Rows of the file as CSV, copied as they were: their columns (padded to the header's),
        /// then `extra` columns with `values(line)`. Written beside the target and renamed into
        /// place; never over the file being imported or the database. Cells as the file has them
        /// (not neutralised): the rows are there to be fixed and imported again.
        private func writeRows(
            atLines lines: Set<Int>,
            to path: String,
            extra: [String],
            values: (Int) -> [String]
        ) throws {
            try TextSink.write(to: path, protecting: [file, global.databasePath]) { sink in
                let reader = try openReader()
                let width = reader.header.count
                try sink.write(CSVText.line(reader.header + extra, cell: { $0 }))
                try reader.forEachRecord(atLines: lines) { record in
                    var fields = record.fields
                    if fields.count < width { fields += Array(repeating: "", count: width - fields.count) }
                    try sink.write(CSVText.line(fields + values(record.line), cell: { $0 }))
                }
            }
        }

        private func report(
            _ summary: ImportSummary,
            rows: Int,
            columns: HeaderMap,
            encoding: String,
            unrecognisedCountries: [String: Int],
            seconds: Double,
            session: Session
        ) {
            let skipped = summary.skipped.sorted { $0.key < $1.key }
            // Most frequent first: the values worth a look (or a --map) come first.
            let countries = unrecognisedCountries.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            let unrecognisedTotal = countries.reduce(0) { $0 + $1.value }
            if session.output.json {
                session.output.print(
                    JSON.object([
                        ("file", .string(file)),
                        ("dry_run", .bool(dryRun)),
                        ("encoding", .string(encoding)),
                        ("rows", .of(rows)),
                        ("new", .of(summary.new)),
                        ("updated", .of(summary.updated)),
                        ("skipped", .of(summary.skippedTotal)),
                        ("skipped_by_reason", .object(skipped.map { ($0.key, .of($0.value)) })),
                        ("imported", .bool(!dryRun && (summary.problems.isEmpty || onError == .skip))),
                        ("rejected", .of(summary.badRows)),
                        (
                            "bad_rows",
                            .array(
                                summary.problems.sorted { $0.line < $1.line }.map { problem in
                                    .object([("line", .of(problem.line)), ("column", .of(problem.column)), ("reason", .string(problem.reason))])
                                }
                            )
                        ),
                        (
                            "columns",
                            .array(
                                columns.columns.map { column in
                                    .object([
                                        ("column", .of(column.index + 1)), ("header", .string(column.header)), ("name", .string(column.name)),
                                        ("field", .string(column.target.description)),
                                        ("stands_in_for", .of(columns.standInField(column)?.rawValue)),
                                    ])
                                }
                            )
                        ),
                        ("countries_unrecognised", .object(countries.map { ($0.key, .of($0.value)) })),
                    ])
                )
                return
            }
            var text = dryRun ? "Dry run of \(file): nothing was written.\n" : "Imported \(file).\n"
            if encoding != "UTF-8" { text += "  encoding \(encoding) (converted to UTF-8)\n" }
            text += "  rows     \(rows)\n  new      \(summary.new)\n  updated  \(summary.updated)\n  skipped  \(summary.skippedTotal)"
            if !skipped.isEmpty { text += " (" + skipped.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ")" }
            if summary.badRows > 0 {
                text += "\n  rejected \(summary.badRows) bad row\(summary.badRows == 1 ? "" : "s")" + (rejects.map { " (in \($0))" } ?? "")
            }
            if unrecognisedTotal > 0 {
                let shown = countries.prefix(10).map { "\"\($0.key)\" (\($0.value))" }.joined(separator: ", ")
                text +=
                    "\n  country  \(unrecognisedTotal) value\(unrecognisedTotal == 1 ? "" : "s") not recognised, kept as written: \(shown)"
                    + (countries.count > 10 ? ", …" : "")
            }
            text += "\n  columns  " + columns.summary.joined(separator: "\n           ")
            text += String(format: "\n  took     %.1f s", seconds)
            session.output.print(text)
        }
    }
}

import ArgumentParser
import Foundation
import LeadPoolCore
import LeadPoolStorage

/// `--field name=value` options of `lead add` and `lead update`.
enum FieldOption {
    /// The options as (name, value) pairs, each name a field one may set or `attr.NAME`.
    static func parse(_ options: [String], allowCompany: Bool) throws -> [(name: String, value: String)] {
        try options.map { option in
            guard let equals = option.firstIndex(of: "=") else {
                throw LeadPoolError.usage("--field \(option): expected name=value, e.g. --field country=DE")
            }
            let name = String(option[..<equals]).trimmingCharacters(in: .whitespaces)
            let known = LeadField(rawValue: name.lowercased())
            guard known?.isImportable == true && (allowCompany || known != .company) || name.lowercased().hasPrefix("attr.") else {
                let settable = LeadField.allCases.filter { $0.isImportable && (allowCompany || $0 != .company) }.map(\.rawValue)
                throw LeadPoolError.usage(
                    "--field \(option): '\(name)' is not a field you can set",
                    hint: NameSuggestion.nearest(to: name, among: settable).map { "did you mean '\($0)'?" }
                        ?? "fields: \(settable.joined(separator: ", ")), or attr.NAME"
                )
            }
            return (name, String(option[option.index(after: equals)...]))
        }
    }

    /// The values read as an import reads a row with this header (typed on the command line:
    /// a leading `'` is kept).
    static func draft(header: [String], values: [String], command: String) throws -> LeadDraft {
        switch try HeaderMap(header: header, file: command, fromCommandLine: true).draft(from: CSVRecord(line: 1, fields: values)) {
        case .rejected(let problems):
            throw LeadPoolError.badInput(problems.map { "--field \($0.column ?? "?"): \($0.reason)" }.joined(separator: "\n"))
        case .draft(let draft):
            return draft
        }
    }
}

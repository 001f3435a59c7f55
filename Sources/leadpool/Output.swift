import Foundation
import LeadPoolCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A JSON value with keys kept in the order written, so documents read like the tables.
indirect enum JSON: Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])
    /// JSON text written by leadpool itself (event details), passed through as is.
    case raw(String)

    static func of(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }
    static func of(_ value: Int?) -> JSON { value.map { .int(Int64($0)) } ?? .null }
    static func of(_ value: Int64?) -> JSON { value.map(JSON.int) ?? .null }
    static func of(_ value: Double?) -> JSON { value.map(JSON.number) ?? .null }
    static func of(_ value: Date?) -> JSON { value.map { .string(Timestamp.string($0)) } ?? .null }
    static func of(_ values: [String]) -> JSON { .array(values.map(JSON.string)) }

    /// Compact text with a final newline.
    var text: String {
        var out = ""
        write(to: &out, indent: 0)
        return out + "\n"
    }

    private func write(to out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closePad = String(repeating: "  ", count: indent)
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let n): out += String(n)
        case .number(let d):
            out += d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)) : "null"
        case .string(let s): JSON.quote(s, into: &out)
        case .raw(let text): out += text
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(to: &out, indent: indent + 1)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "]"
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (key, value)) in fields.enumerated() {
                out += pad
                JSON.quote(key, into: &out)
                out += ": "
                value.write(to: &out, indent: indent + 1)
                out += i == fields.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "}"
        }
    }

    static func quote(_ s: String, into out: inout String) { JSONText.quote(s, into: &out) }
}

/// A table for people: aligned columns, numbers to the right.
struct Table {
    enum Alignment { case left, right }

    var columns: [(title: String, alignment: Alignment)]
    var rows: [[String]] = []

    init(_ columns: [(String, Alignment)]) {
        self.columns = columns.map { (title: $0.0, alignment: $0.1) }
    }

    mutating func add(_ cells: [String]) { rows.append(cells) }

    func render(bold: Bool) -> String {
        let widths = columns.indices.map { i in
            ([columns[i].title] + rows.map { i < $0.count ? $0[i] : "" }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            columns.indices.map { i -> String in
                let cell = i < cells.count ? cells[i] : ""
                let padding = String(repeating: " ", count: widths[i] - cell.count)
                let isLast = i == columns.count - 1
                switch columns[i].alignment {
                case .left: return isLast ? cell : cell + padding
                case .right: return padding + cell
                }
            }.joined(separator: "  ")
        }
        let header = line(columns.map(\.title))
        var out = (bold ? "\u{1B}[1m\(header)\u{1B}[0m" : header) + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}

/// Where a command's results go: tables and text for people, or one JSON document.
struct Output {
    let json: Bool

    /// Styling only on a terminal, and never with NO_COLOR set to something (https://no-color.org:
    /// an empty NO_COLOR does not count).
    var styled: Bool {
        isatty(STDOUT_FILENO) == 1 && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
    }

    func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    func print(_ table: Table) { print(table.render(bold: styled)) }

    func print(_ document: JSON) { print(document.text) }

    /// Label/value lines, labels aligned.
    func print(fields: [(String, String)]) {
        let width = fields.map(\.0.count).max() ?? 0
        print(fields.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n"))
    }

    /// Writes a notice to stderr (kept off stdout so pipes get data only).
    func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

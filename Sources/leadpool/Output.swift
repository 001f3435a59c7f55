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
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(to: &out, indent: indent + 1)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "]"
        case .object(let fields):
            if fields.isEmpty {
                out += "{}"
                return
            }
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
    /// `left` text may be cut to fit a terminal; `fixed` (times, dates) is left-aligned and never
    /// cut; `right` (numbers) keeps its values whole.
    enum Alignment { case left, fixed, right }

    var columns: [(title: String, alignment: Alignment)]
    var rows: [[String]] = []
    /// Titles of columns a narrow terminal may leave out, the first given first, before any
    /// text is cut below its title's width.
    var optional: [String] = []

    init(_ columns: [(String, Alignment)], optional: [String] = []) {
        self.columns = columns.map { (title: $0.0, alignment: $0.1) }
        self.optional = optional
    }

    mutating func add(_ cells: [String]) { rows.append(cells) }

    /// The table as text; with `width` (a terminal's), the widest text columns give way until it
    /// fits, their long cells cut with `…`. Numbers and short columns keep their width.
    func render(bold: Bool, width: Int? = nil) -> String {
        if let width, let dropped = droppingOptionalColumn(toFit: width) { return dropped.render(bold: bold, width: width) }
        let natural = columns.indices.map { i in
            ([columns[i].title] + rows.map { i < $0.count ? $0[i] : "" }).map(Terminal.displayWidth).max() ?? 0
        }
        let widths = width.map { fit(natural, into: $0) } ?? natural
        func line(_ cells: [String]) -> String {
            columns.indices.map { i -> String in
                var cell = i < cells.count ? cells[i] : ""
                if Terminal.displayWidth(cell) > widths[i] { cell = Terminal.clip(cell, to: widths[i]) }
                let padding = String(repeating: " ", count: max(0, widths[i] - Terminal.displayWidth(cell)))
                let isLast = i == columns.count - 1
                switch columns[i].alignment {
                case .left, .fixed: return isLast ? cell : cell + padding
                case .right: return padding + cell
                }
            }.joined(separator: "  ")
        }
        let header = line(columns.map(\.title))
        var out = (bold ? "\u{1B}[1m\(header)\u{1B}[0m" : header) + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }

    /// This table without its first optional column, when it does not fit `width` with its text
    /// columns cut to 12 columns (or their title's width).
    private func droppingOptionalColumn(toFit width: Int) -> Table? {
        guard let title = optional.first(where: { t in columns.contains { $0.title == t } }),
            let index = columns.firstIndex(where: { $0.title == title })
        else { return nil }
        let comfortable = columns.indices.map { i in
            let cells = ([columns[i].title] + rows.map { i < $0.count ? $0[i] : "" }).map(Terminal.displayWidth)
            let natural = cells.max() ?? 0
            return columns[i].alignment == .left ? min(natural, max(12, cells[0])) : natural
        }
        guard comfortable.reduce(0, +) + 2 * max(0, columns.count - 1) > width else { return nil }
        var table = Table([], optional: optional.filter { $0 != title })
        table.columns = columns.enumerated().filter { $0.offset != index }.map(\.element)
        table.rows = rows.map { row in row.enumerated().filter { $0.offset != index }.map(\.element) }
        return table
    }

    /// Narrows columns until the line fits `width`, the least harmful cut first: text columns
    /// down to their title (at least 6), then titles wider than every cell below them, then text
    /// columns down to 4. A table that still does not fit is printed as narrow as it got.
    private func fit(_ natural: [Int], into width: Int) -> [Int] {
        var widths = natural
        var total = widths.reduce(0, +) + 2 * max(0, widths.count - 1)
        let titles = columns.map { Terminal.displayWidth($0.title) }
        let cells = columns.indices.map { i in rows.map { i < $0.count ? Terminal.displayWidth($0[i]) : 0 }.max() ?? 0 }
        let text = columns.indices.filter { columns[$0].alignment == .left }
        let textFloor = columns.indices.map { min(natural[$0], max(6, titles[$0])) }
        let floors: [[Int]] = [
            columns.indices.map { text.contains($0) ? textFloor[$0] : natural[$0] },
            columns.indices.map { text.contains($0) ? textFloor[$0] : max(cells[$0], 4) },
            columns.indices.map { text.contains($0) ? min(natural[$0], 4) : max(cells[$0], 4) },
        ]
        for floor in floors {
            while total > width {
                let candidates = columns.indices.filter { widths[$0] > floor[$0] }
                guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
                widths[widest] -= 1
                total -= 1
            }
        }
        return widths
    }
}

/// What leadpool knows of the terminal it writes to.
enum Terminal {
    /// The width in columns of the terminal `fd` writes to, or nil when it is not a terminal (a
    /// pipe or file gets whole lines): the window's size, else COLUMNS, else 80.
    static func width(of fd: Int32) -> Int? {
        guard isatty(fd) == 1 else { return nil }
        var size = winsize()
        if ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap({ Int($0) }), columns > 0 { return columns }
        return 80
    }

    /// Columns `text` takes on a terminal: East Asian wide characters (CJK, Hangul, full-width
    /// forms) take two.
    static func displayWidth(_ text: String) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// `text` cut to `width` columns, the last one an ellipsis.
    static func clip(_ text: String, to width: Int) -> String {
        guard displayWidth(text) > width else { return text }
        guard width > 0 else { return "" }
        var out = ""
        var used = 0
        for character in text {
            let w = Self.width(of: character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    private static func width(of character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first?.value else { return 0 }
        switch scalar {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
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
        do {
            try FileHandle.standardOutput.write(contentsOf: Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
        } catch {
            Self.standardOutputFailed(error, json: json)
        }
    }

    /// Standard output takes no more (it goes to a full disk, say): the command stops with 75,
    /// as for a full disk under the database, instead of trapping. Whatever it wrote to the
    /// database is committed; only its report is cut short.
    static func standardOutputFailed(_ error: any Error, json: Bool) -> Never {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        let full = isDiskFull(error)
        let failure = LeadPoolError.busy(
            "cannot write to standard output: \(full ? "the disk is full" : underlying?.localizedDescription ?? "\(error)")",
            hint: "free some space or write elsewhere, and run the command again"
        )
        Failure.print(error: failure, json: json)
        exit(failure.exitCode)
    }

    /// Whether a Foundation write failed for want of space (ENOSPC, EDQUOT).
    static func isDiskFull(_ error: any Error) -> Bool {
        let error = error as NSError
        let posix = error.domain == NSPOSIXErrorDomain ? error : error.userInfo[NSUnderlyingErrorKey] as? NSError
        guard let posix, posix.domain == NSPOSIXErrorDomain else { return false }
        return posix.code == Int(ENOSPC) || posix.code == Int(EDQUOT)
    }

    /// The terminal's width when stdout is one; tables are fitted to it.
    var width: Int? { Terminal.width(of: STDOUT_FILENO) }

    func print(_ table: Table) { print(table.render(bold: styled, width: width)) }

    func print(_ document: JSON) { print(document.text) }

    /// Label/value lines, labels aligned.
    func print(fields: [(String, String)]) {
        let width = fields.map(\.0.count).max() ?? 0
        print(fields.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n"))
    }

    /// Writes a notice to stderr (kept off stdout so pipes get data only).
    func note(_ text: String) {
        // Nowhere left to complain to when stderr itself fails.
        try? FileHandle.standardError.write(contentsOf: Data((text + "\n").utf8))
    }
}

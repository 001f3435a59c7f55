import Foundation
import LeadPoolCore

/// Buffered text output to standard output or to an ``OutputFile``, which appears whole or
/// not at all.
final class TextSink {
    /// Where the bytes go: a temporary file, or nil for standard output.
    private let file: OutputFile.Temporary?
    private var buffer = Data()

    private init(file: OutputFile.Temporary?) { self.file = file }

    /// Runs `body` with a sink writing to `path`: standard output for nil or `-`, else the
    /// file, replaced only once `body` returned and every byte is on disk.
    ///
    /// - Parameters:
    ///   - protecting: files `path` must not be (the database), see ``OutputFile``.
    static func write(to path: String?, protecting: [String] = [], _ body: (TextSink) throws -> Void) throws {
        guard let path, path != "-" else {
            let sink = TextSink(file: nil)
            try body(sink)
            try sink.flush()
            return
        }
        let output = try OutputFile(
            path,
            existing: .replace,
            protecting: protecting,
            alternative: "or write to standard output with -o - and redirect it"
        )
        try output.write { file in
            let sink = TextSink(file: file)
            try body(sink)
            try sink.flush()
        }
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { try flush() }
    }

    private func flush() throws {
        defer { buffer.removeAll(keepingCapacity: true) }
        if let file {
            try buffer.withUnsafeBytes { try file.write($0) }
        } else {
            try FileHandle.standardOutput.write(contentsOf: buffer)
        }
    }
}

/// CSV writing (RFC 4180): fields quoted when they hold a comma, quote, newline or edge spaces,
/// and spreadsheet formulas neutralised (``CSVCell``).
enum CSVText {
    static func field(_ value: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character and equals neither "\r" nor "\n".
        let needsQuotes =
            value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || value.first == " " || value.last == " "
        return needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    /// One record. `cell` marks what a spreadsheet would run: ``CSVCell/neutralised(_:)`` for
    /// CSV read by people, ``CSVCell/exported(_:)`` for the export `import` reads back.
    static func line(_ values: [String], cell: (String) -> String = CSVCell.neutralised) -> String {
        values.map { field(cell($0)) }.joined(separator: ",") + "\r\n"
    }
}

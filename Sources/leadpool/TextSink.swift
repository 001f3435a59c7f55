import Foundation
import LeadPoolCore

/// Buffered text output to stdout or to a file that appears whole or not at all
/// (written beside the target, renamed into place on `finish`).
final class TextSink {
    private let handle: FileHandle
    private let target: String?
    private let partial: String?
    private var buffer = Data()

    init(path: String?) throws {
        guard let path, path != "-" else {
            handle = .standardOutput
            target = nil
            partial = nil
            return
        }
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil),
            let handle = FileHandle(forWritingAtPath: partial)
        else {
            throw LeadPoolError.notFound("cannot write \(path)", hint: "check that the directory exists and is writable")
        }
        self.handle = handle
        self.target = path
        self.partial = partial
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    private func flush() {
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() throws {
        flush()
        guard let target, let partial else { return }
        try handle.close()
        if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
        try FileManager.default.moveItem(atPath: partial, toPath: target)
    }

    /// Removes a half-written file after a failure.
    func abandon() {
        guard let partial else { return }
        try? handle.close()
        try? FileManager.default.removeItem(atPath: partial)
    }
}

/// CSV writing (RFC 4180): fields quoted when they hold a comma, quote, newline or edge spaces.
enum CSVText {
    static func field(_ value: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character and equals neither "\r" nor "\n".
        let needsQuotes = value.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || value.first == " " || value.last == " "
        return needsQuotes ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    static func line(_ values: [String]) -> String {
        values.map(field).joined(separator: ",") + "\r\n"
    }
}

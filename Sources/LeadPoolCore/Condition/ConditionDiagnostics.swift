/// Turns a position in condition text into the user-facing error: `file:line:column: message`,
/// the source line, a caret under the problem, and a hint.
struct ConditionDiagnostics {
    let origin: ConditionOrigin
    private let lines: [String]

    init(text: String, origin: ConditionOrigin) {
        self.origin = origin
        self.lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    }

    /// The position in the file (1-based), counting the origin's offset on the text's first line.
    func filePosition(_ position: SourcePosition) -> (line: Int, column: Int) {
        (origin.line + position.line, (position.line == 0 ? origin.column : 1) + position.column)
    }

    func error(_ message: String, at position: SourcePosition, hint: String? = nil) -> LeadPoolError {
        let (line, column) = filePosition(position)
        var text = "\(origin.name):\(line):\(column): \(message)"
        if position.line < lines.count {
            let (quoted, caret) = excerpt(Array(lines[position.line]), column: position.column)
            text += "\n    " + quoted + "\n    " + caret + "^"
        }
        return .badInput(text, hint: hint)
    }

    func error(_ message: String, at position: SourcePosition, suggesting suggestion: String?) -> LeadPoolError {
        error(message, at: position, hint: suggestion.map { "did you mean '\($0)'?" })
    }

    /// The source line (a window of it when long) and the padding that puts a caret under `column`.
    private func excerpt(_ line: [Character], column: Int) -> (String, String) {
        let width = 100
        var start = 0
        var end = line.count
        var prefix = ""
        var suffix = ""
        if line.count > width {
            start = max(0, min(column - width / 2, line.count - width))
            end = min(line.count, start + width)
            if start > 0 { prefix = "…" }
            if end < line.count { suffix = "…" }
        }
        let shown = line[start..<end]
        let caretColumn = min(max(column, start), end)
        let padding = prefix.map { _ in " " } + line[start..<caretColumn].map { $0 == "\t" ? "\t" : " " }
        return (prefix + String(shown) + suffix, padding.joined())
    }
}

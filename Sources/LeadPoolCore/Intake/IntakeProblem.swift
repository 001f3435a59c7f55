/// One thing wrong with one CSV record: where it is and why it cannot be imported.
///
/// Intake reports problems as values so an import can list every bad row of a file
/// (the SPEC: "a file with any bad row imports nothing and lists every bad row").
public struct IntakeProblem: Sendable, Equatable, CustomStringConvertible {
    /// The 1-based physical line where the record starts.
    public var line: Int
    /// The header of the column at fault, when the problem is about one column.
    public var column: String?
    /// What is wrong, for a person to act on.
    public var reason: String

    public init(line: Int, column: String? = nil, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `line 12: Email: "bob@" is not an email address`.
    public var description: String {
        if let column { return "line \(line): \(column): \(reason)" }
        return "line \(line): \(reason)"
    }

    /// `FILE:12: Email: "bob@" is not an email address`, the form the CLI prints.
    public func description(file: String) -> String {
        if let column { return "\(file):\(line): \(column): \(reason)" }
        return "\(file):\(line): \(reason)"
    }
}

extension IntakeProblem {
    /// The problem without the value that caused it, to count problems of one kind:
    /// `Email: is not an email address` for `Email: "bob@" is not an email address`.
    public var kind: String {
        var reason = Substring(self.reason)
        if reason.first == "\"", let end = reason.range(of: "\" is ") ?? reason.range(of: "\" are ") {
            reason = reason[reason.index(after: end.lowerBound)...].drop { $0 == " " }
        }
        return column.map { "\($0): \(reason)" } ?? String(reason)
    }

    /// Every bad row's problems as one text per line, in line order (`Email: "x" is not …; …`).
    public static func reasonsByLine(_ problems: [IntakeProblem]) -> [Int: String] {
        var reasons: [Int: String] = [:]
        for problem in problems {
            let text = problem.column.map { "\($0): \(problem.reason)" } ?? problem.reason
            reasons[problem.line] = reasons[problem.line].map { $0 + "; " + text } ?? text
        }
        return reasons
    }

    /// The list of bad rows a person reads: every problem (`file:line: column: reason`) up to
    /// `limit` rows; beyond that a count per kind of problem with the first lines of each.
    public static func listing(_ problems: [IntakeProblem], file: String, limit: Int = 20) -> String {
        let sorted = problems.enumerated().sorted {
            ($0.element.line, $0.offset) < ($1.element.line, $1.offset)
        }.map(\.element)
        let rows = Set(sorted.map(\.line)).count
        if rows <= limit { return sorted.map { $0.description(file: file) }.joined(separator: "\n") }
        var kinds: [String] = []
        var lines: [String: [Int]] = [:]
        for problem in sorted {
            let kind = problem.kind
            if lines[kind] == nil { kinds.append(kind) }
            if lines[kind, default: []].last != problem.line { lines[kind, default: []].append(problem.line) }
        }
        kinds.sort { (lines[$0]!.count, $1) > (lines[$1]!.count, $0) }
        return kinds.map { kind in
            let found = lines[kind]!
            let first = found.prefix(5).map(String.init).joined(separator: ", ")
            return
                "\(found.count) row\(found.count == 1 ? "" : "s"): \(kind) (line\(found.count == 1 ? "" : "s") \(first)\(found.count > 5 ? ", …" : ""))"
        }.joined(separator: "\n")
    }
}

extension LeadPoolError {
    /// A `badInput` error listing every bad row of `file` (beyond 20, a count per kind).
    public static func badRows(_ problems: [IntakeProblem], file: String) -> LeadPoolError {
        let rows = Set(problems.map(\.line)).count
        return .badInput(
            "\(file): \(rows) bad row\(rows == 1 ? "" : "s"); nothing was imported\n\(IntakeProblem.listing(problems, file: file))",
            hint:
                "fix the rows (or map a column elsewhere with --map \"Header=field\") and import again; --on-error skip imports the good rows, --rejects FILE writes the bad ones to fix"
        )
    }
}

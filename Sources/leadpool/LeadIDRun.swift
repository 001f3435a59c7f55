import ArgumentParser

/// Lead ids as one command-line value: a single id, or a run of ids that ``folded(_:)`` joined
/// with spaces before parsing.
///
/// ArgumentParser removes each parsed value from its argument list in an order that makes the
/// work quadratic in their number (20,000 ids took 12 s to parse); joining runs of ids into
/// one value first keeps it linear.
struct LeadIDRun: ExpressibleByArgument {
    let ids: [Int64]

    init?(argument: String) {
        var ids: [Int64] = []
        for part in argument.split(separator: " ") {
            guard let id = Int64(part) else { return nil }
            ids.append(id)
        }
        guard !ids.isEmpty else { return nil }
        self.ids = ids
    }

    /// Commands whose positional arguments are all lead ids (``LeadIDs`` or `claim`'s).
    static let commands: Set<String> = ["claim", "release", "qualify", "convert", "disqualify", "transfer"]
    /// Global options that take a value, which may stand before the command.
    static let globalOptionsWithValue: Set<String> = ["--db", "--as", "--now"]

    /// `arguments` with each run of plain numbers after one of ``commands`` joined into one
    /// value. A number right after an option (`-n 5`, `--reason 42`) may be that option's value
    /// and is left as it is; so is everything of other commands.
    static func folded(_ arguments: [String]) -> [String] {
        var index = 0
        while index < arguments.count, arguments[index].hasPrefix("-") {
            index += globalOptionsWithValue.contains(arguments[index]) ? 2 : 1
        }
        guard index < arguments.count, commands.contains(arguments[index]) else { return arguments }
        var result = Array(arguments[...index])
        var run: [Substring] = []
        func flush() {
            if !run.isEmpty { result.append(run.joined(separator: " ")) }
            run.removeAll()
        }
        for position in (index + 1)..<arguments.count {
            let argument = arguments[position]
            let isNumber = !argument.isEmpty && argument.utf8.allSatisfy { (48...57).contains($0) }
            if isNumber, !arguments[position - 1].hasPrefix("-") {
                run.append(Substring(argument))
            } else {
                flush()
                result.append(argument)
            }
        }
        flush()
        return result
    }
}

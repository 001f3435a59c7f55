/// The one error type users see. Every module throws it (or has its errors mapped to it),
/// and the CLI turns `kind` into the SPEC's exit code in one place.
public struct LeadPoolError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong, in the SPEC's terms. Each kind has one exit code.
    public enum Kind: String, Sendable, Equatable {
        /// Refused by a business rule (already owned, capacity, daily limit, cooldown, not yours). Exit 1.
        case refused
        /// The command line is wrong. Exit 64.
        case usage
        /// Bad input data: CSV, YAML, a condition. Exit 65.
        case badInput
        /// No such file, lead, rep, round or segment. Exit 66.
        case notFound
        /// A bug. Exit 70.
        case `internal`
        /// The output file cannot be created: the path is a directory, a device, a FIFO or a
        /// socket, its directory is missing or not writable, or it exists and may not be replaced. Exit 73.
        case cannotCreate
        /// Database locked beyond the timeout, or another reclaim running. Exit 75.
        case busy
        /// The acting handle may not do this. Exit 77.
        case permission
        /// Database missing, not migrated, newer than this binary, or not a leadpool database. Exit 78.
        case configuration
    }

    public let kind: Kind
    /// What happened, saying where and what.
    public let message: String
    /// What to do about it, when there is something to say.
    public let hint: String?

    public init(_ kind: Kind, _ message: String, hint: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    public var description: String {
        if let hint { return "\(message)\nhint: \(hint)" }
        return message
    }

    /// The SPEC's exit code for this error.
    public var exitCode: Int32 {
        switch kind {
        case .refused: 1
        case .usage: 64
        case .badInput: 65
        case .notFound: 66
        case .internal: 70
        case .cannotCreate: 73
        case .busy: 75
        case .permission: 77
        case .configuration: 78
        }
    }
}

extension LeadPoolError {
    public static func refused(_ message: String, hint: String? = nil) -> Self { .init(.refused, message, hint: hint) }
    public static func usage(_ message: String, hint: String? = nil) -> Self { .init(.usage, message, hint: hint) }
    public static func badInput(_ message: String, hint: String? = nil) -> Self { .init(.badInput, message, hint: hint) }
    public static func notFound(_ message: String, hint: String? = nil) -> Self { .init(.notFound, message, hint: hint) }
    public static func bug(_ message: String) -> Self { .init(.internal, message) }
    public static func cannotCreate(_ message: String, hint: String? = nil) -> Self { .init(.cannotCreate, message, hint: hint) }
    public static func busy(_ message: String, hint: String? = nil) -> Self { .init(.busy, message, hint: hint) }
    public static func permission(_ message: String, hint: String? = nil) -> Self { .init(.permission, message, hint: hint) }
    public static func configuration(_ message: String, hint: String? = nil) -> Self { .init(.configuration, message, hint: hint) }
}

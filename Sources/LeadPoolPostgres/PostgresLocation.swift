import Foundation
import LeadPoolCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a PostgreSQL database is: `postgresql://[user[:password]@][host][:port]/dbname[?schema=NAME&host=/socket/dir]`.
///
/// As with libpq: no user means the OS login, no host means the server's Unix socket in
/// `/var/run/postgresql` (or the `host` parameter's directory, for peer authentication), no
/// port means 5432, no password means `PGPASSWORD` (or none). `schema` names leadpool's schema
/// inside the database (default `leadpool`).
public struct PostgresLocation: Sendable, Equatable {
    public var user: String
    public var password: String?
    /// A TCP host, or nil for the Unix socket in ``socketDirectory``.
    public var host: String?
    public var socketDirectory: String
    public var port: Int
    public var database: String
    public var schema: String

    public static let defaultSchema = "leadpool"

    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isURL(text), let url = URLComponents(string: text) else {
            throw LeadPoolError.usage(
                "--db: '\(Self.redacted(text))' is not a PostgreSQL URL",
                hint: "write postgresql://[user@]host[:port]/dbname, e.g. postgresql://alice@db.example.com/sales"
            )
        }
        let parameters = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let database = String(url.percentEncodedPath.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else {
            throw LeadPoolError.usage(
                "--db: '\(Self.redacted(text))' names no database",
                hint: "end the URL with the database's name, e.g. postgresql://db.example.com/sales"
            )
        }
        for name in parameters.keys where !["schema", "host", "port", "user", "password"].contains(name) {
            throw LeadPoolError.usage(
                "--db: unknown parameter '\(name)' in the PostgreSQL URL",
                hint: "leadpool reads schema, host, port, user and password"
            )
        }
        let schema = parameters["schema"] ?? Self.defaultSchema
        guard Self.isPlainName(schema) else {
            throw LeadPoolError.usage(
                "--db: schema '\(schema)' is not a plain name",
                hint: "use lower-case letters, digits and _ (starting with a letter or _), at most 63 characters"
            )
        }
        let portText = parameters["port"] ?? url.port.map(String.init)
        guard let port = portText.map({ Int($0) }) ?? 5432, (1...65_535).contains(port) else {
            throw LeadPoolError.usage("--db: '\(portText ?? "")' is not a port number")
        }
        let host = parameters["host"] ?? url.host.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        self.user = parameters["user"] ?? url.user?.removingPercentEncoding ?? Self.osLogin() ?? "postgres"
        self.password = parameters["password"] ?? url.password?.removingPercentEncoding ?? environment["PGPASSWORD"]
        if let host, host.hasPrefix("/") {
            self.host = nil
            self.socketDirectory = host
        } else {
            self.host = host
            self.socketDirectory = "/var/run/postgresql"
        }
        self.port = port
        self.database = database
        self.schema = schema
    }

    /// The URL without its password: what messages and hints show.
    public var description: String {
        var text = "postgresql://\(user)@\(host ?? "")"
        if host != nil, port != 5432 { text += ":\(port)" }
        text += "/\(database)"
        var parameters: [String] = []
        if host == nil { parameters.append("host=\(socketDirectory)") }
        if host == nil, port != 5432 { parameters.append("port=\(port)") }
        if schema != Self.defaultSchema { parameters.append("schema=\(schema)") }
        return parameters.isEmpty ? text : text + "?" + parameters.joined(separator: "&")
    }

    /// The Unix socket file the server listens on, when there is no TCP host.
    var socketPath: String { "\(socketDirectory)/.s.PGSQL.\(port)" }

    /// A name safe to write into SQL unquoted (schemas, roles): it cannot carry SQL.
    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, (1...63).contains(name.unicodeScalars.count) else { return false }
        let letters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz_")
        let rest = letters.union(CharacterSet(charactersIn: "0123456789"))
        return letters.contains(first) && name.unicodeScalars.allSatisfy(rest.contains)
    }

    private static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "…"
        return url.string ?? text
    }

    private static func osLogin() -> String? {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }
}

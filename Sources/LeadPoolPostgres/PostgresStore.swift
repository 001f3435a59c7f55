import Foundation
import LeadPoolCore
import LeadPoolStorage
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresNIO

/// leadpool on a PostgreSQL database: one connection per process, one method per transaction,
/// every value bound (never spliced into the SQL text), leadpool's tables in their own schema.
///
/// ``LeadStorage`` is synchronous; PostgresNIO runs on NIO event loops. Each statement is
/// sent on the connection's event loop and its future awaited with `wait()` on the calling
/// thread, which is never one of the event loop's threads (nor a Swift-concurrency task
/// waiting on itself), so a caller blocks only itself.
///
/// The acting rep is the database role the connection authenticated as (`session_user`):
/// ``login``.
public final class PostgresStore: Sendable {
    let connection: PostgresConnection
    let location: PostgresLocation
    /// Transactions of this process, one at a time on its connection.
    private let lock = NIOLock()
    let logger: Logger

    /// The database role this connection authenticated as: the acting rep's login.
    public let login: String

    /// Where the data lives, without a password: for messages.
    public var path: String { location.description }

    private init(connection: PostgresConnection, location: PostgresLocation, login: String, logger: Logger) {
        self.connection = connection
        self.location = location
        self.login = login
        self.logger = logger
    }

    deinit {
        try? connection.close().wait()
    }

    // MARK: - Opening

    /// Connects to the database at `url` and refuses a schema that is missing or has pending
    /// migrations (unless `allowPending`, for `migrate`). A read-only store runs every
    /// transaction `READ ONLY`.
    public static func open(url: String, allowPending: Bool = false) throws -> PostgresStore {
        let store = try connect(try PostgresLocation(url: url))
        guard try store.schemaExists() else {
            throw LeadPoolError.configuration(
                "the database \(store.path) has no leadpool schema '\(store.location.schema)'",
                hint: "create it with `leadpool --db \(store.path) init`, or name yours with ?schema=NAME in the URL"
            )
        }
        let status = try store.migrationStatus()
        if !allowPending, !status.pending.isEmpty {
            throw MigrationRules.pendingError(status, database: store.path)
        }
        return store
    }

    /// Creates leadpool's schema in the existing database at `url`, applies every migration
    /// and adds the first admin, made from the connected role's name, all or nothing. Refuses
    /// a schema that exists already.
    public static func create(url: String, firstAdmin: (_ login: String) throws -> Rep) throws -> PostgresStore {
        let store = try connect(try PostgresLocation(url: url))
        let admin = try firstAdmin(store.login)
        guard try !store.schemaExists() else {
            throw LeadPoolError.configuration(
                "a schema '\(store.location.schema)' already exists in the database \(store.path); init only creates new ones",
                hint: "use `leadpool --db \(store.path) migrate` to upgrade it, or name another schema with ?schema=NAME"
            )
        }
        do {
            try store.transaction { sql in
                // The name is checked to be a plain identifier (PostgresLocation.isPlainName).
                try sql.execute(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(store.location.schema)"))
            }
            try store.migrate()
            try store.addRep(admin)
            return store
        } catch {
            _ = try? store.transaction { sql in
                try sql.execute(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(store.location.schema) CASCADE"))
            }
            throw error
        }
    }

    private static func connect(_ location: PostgresLocation) throws -> PostgresStore {
        var configuration =
            if let host = location.host {
                PostgresConnection.Configuration(
                    host: host,
                    port: location.port,
                    username: location.user,
                    password: location.password,
                    database: location.database,
                    tls: .disable
                )
            } else {
                PostgresConnection.Configuration(
                    unixSocketPath: location.socketPath,
                    username: location.user,
                    password: location.password,
                    database: location.database
                )
            }
        configuration.options.additionalStartupParameters = [("application_name", "leadpool")]
        var logger = Logger(label: "leadpool.postgres")
        logger.logLevel = .critical
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(),
                configuration: configuration,
                id: 1,
                logger: logger
            ).wait()
        } catch {
            throw PostgresStore.translate(error, database: location.description, connecting: true)
        }
        do {
            let role = try connection.query("SELECT session_user::text, set_config('search_path', \(location.schema), false)", logger: logger)
                .wait().rows.first?.makeRandomAccess()[0].decode(String.self)
            guard let role else { throw LeadPoolError.bug("SELECT session_user returned no row") }
            return PostgresStore(connection: connection, location: location, login: role, logger: logger)
        } catch {
            try? connection.close().wait()
            throw PostgresStore.translate(error, database: location.description)
        }
    }

    private func schemaExists() throws -> Bool {
        try transaction(readOnly: true) { sql in
            try sql.value("SELECT count(*) FROM pg_namespace WHERE nspname = \(location.schema)", as: Int.self) == 1
        }
    }

    // MARK: - Transactions

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// `readOnly` reads one snapshot (REPEATABLE READ) and may write nothing.
    @discardableResult
    func transaction<T>(readOnly: Bool = false, _ body: (PostgresSQL) throws -> T) throws -> T {
        try lock.withLock {
            let sql = PostgresSQL(connection: connection, logger: logger)
            do {
                try sql.execute(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN ISOLATION LEVEL READ COMMITTED")
                let result = try body(sql)
                try sql.execute("COMMIT")
                return result
            } catch {
                _ = try? sql.execute("ROLLBACK")
                throw PostgresStore.translate(error, database: path)
            }
        }
    }

    /// Runs `body` in one transaction, committed only when `body` says so (a dry run, or an
    /// import with bad rows, rolls back what it wrote).
    func transaction<T>(_ body: (PostgresSQL) throws -> (result: T, commit: Bool)) throws -> T {
        try lock.withLock {
            let sql = PostgresSQL(connection: connection, logger: logger)
            do {
                try sql.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
                let (result, commit) = try body(sql)
                try sql.execute(commit ? "COMMIT" : "ROLLBACK")
                return result
            } catch {
                _ = try? sql.execute("ROLLBACK")
                throw PostgresStore.translate(error, database: path)
            }
        }
    }

    /// A PostgreSQL error as the `LeadPoolError` users see (its kind gives the exit code).
    static func translate(_ error: any Error, database: String, connecting: Bool = false) -> LeadPoolError {
        if let error = error as? LeadPoolError { return error }
        guard let error = error as? PSQLError else {
            if connecting {
                return LeadPoolError.configuration(
                    "cannot connect to PostgreSQL at \(database): \(error)",
                    hint: "check that the server runs and the URL's host, port and database are right"
                )
            }
            return LeadPoolError.bug("PostgreSQL at \(database): \(error)")
        }
        let state = error.serverInfo?[.sqlState] ?? ""
        let message = error.serverInfo?[.message] ?? "\(error.code)"
        switch state {
        case "28000", "28P01":
            return LeadPoolError.permission(
                "PostgreSQL at \(database) refused the login: \(message)",
                hint: "connect as your own database role (the URL's user), with its password or from a host pg_hba.conf trusts"
            )
        case "3D000":
            return LeadPoolError.configuration(
                "no database at \(database): \(message)",
                hint: "create the database first (createdb), then `leadpool init`"
            )
        case "42501":
            return LeadPoolError.permission("PostgreSQL refused: \(message)")
        case "40001", "40P01", "55P03", "57014":
            return LeadPoolError.busy("PostgreSQL at \(database) is busy: \(message)", hint: "try again")
        case "53100":
            return LeadPoolError.busy("cannot write: the database server's disk is full", hint: "free some space and run the command again")
        case "":
            if connecting || [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown].contains(error.code) {
                return LeadPoolError.configuration(
                    "cannot connect to PostgreSQL at \(database): \(error.underlying.map { "\($0)" } ?? "\(error.code)")",
                    hint: "check that the server runs and the URL's host, port and database are right"
                )
            }
            return LeadPoolError.bug("PostgreSQL at \(database): \(error.code)")
        default:
            return LeadPoolError.bug("PostgreSQL at \(database): \(message) (SQLSTATE \(state))")
        }
    }
}

/// The statements of one transaction, run one after another on the store's connection.
struct PostgresSQL {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs a statement and returns its rows.
    func rows(_ query: PostgresQuery) throws -> [PostgresRandomAccessRow] {
        try connection.query(query, logger: logger).wait().rows.map { $0.makeRandomAccess() }
    }

    /// Runs a statement and returns how many rows it changed.
    @discardableResult
    func execute(_ query: PostgresQuery) throws -> Int {
        try connection.query(query, logger: logger).wait().metadata.rows ?? 0
    }

    /// The first column of the first row, or nil when there is no row.
    func value<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type) throws -> T? {
        try connection.query(query, logger: logger).wait().rows.first.map { try $0.makeRandomAccess()[0].decode(T.self) }
    }

    /// The first column of every row.
    func values<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type) throws -> [T] {
        try connection.query(query, logger: logger).wait().rows.map { try $0.makeRandomAccess()[0].decode(T.self) }
    }
}

extension PostgresRandomAccessRow {
    /// The column `name` as `T` (an optional type for a nullable column).
    subscript<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) -> T {
        get throws { try self[name].decode(T.self) }
    }
}

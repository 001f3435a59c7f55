import Foundation
import GRDBSQLite

/// A bare SQLite connection for the floors: statements prepared once and bound through the C
/// API, nothing between the bench and SQLite, so a floor costs SQLite's own work only.
final class RawSQLite {
    let db: OpaquePointer

    /// Opens an existing database read-write.
    init(path: String) throws {
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let connection else {
            if let connection { sqlite3_close_v2(connection) }
            throw BenchError("cannot open \(path)")
        }
        db = connection
    }

    deinit { sqlite3_close_v2(db) }

    /// Runs one or more statements that return no rows.
    func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw failure() }
    }

    /// A prepared statement; the caller finalizes it (``Statement`` does on deinit).
    func prepare(_ sql: String) throws -> Statement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw failure() }
        return Statement(handle: statement, connection: self)
    }

    /// Every row of a query, each as its columns' values (Int64, Double, String or nil).
    func rows(_ sql: String) throws -> [[Value]] {
        let statement = try prepare(sql)
        var rows: [[Value]] = []
        while try statement.step() {
            rows.append((0..<sqlite3_column_count(statement.handle)).map { statement.value($0) })
        }
        return rows
    }

    /// The first column of the first row as an integer (0 when NULL or no row).
    func int(_ sql: String) throws -> Int64 {
        let statement = try prepare(sql)
        guard try statement.step() else { return 0 }
        return sqlite3_column_int64(statement.handle, 0)
    }

    var changes: Int32 { sqlite3_changes(db) }

    func failure() -> BenchError { BenchError("SQLite: \(String(cString: sqlite3_errmsg(db)))") }

    /// A column value read back from a query.
    enum Value: Equatable {
        case int(Int64)
        case double(Double)
        case text(String)
        case null

        /// The integer, or the text read as one (psql gives every value as text).
        var int: Int64? {
            switch self {
            case .int(let v): v
            case .text(let v): Int64(v)
            default: nil
            }
        }
        var text: String? { if case .text(let v) = self { v } else { nil } }
    }

    /// One prepared statement of a ``RawSQLite`` connection.
    final class Statement {
        let handle: OpaquePointer
        private let connection: RawSQLite
        private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

        fileprivate init(handle: OpaquePointer, connection: RawSQLite) {
            self.handle = handle
            self.connection = connection
        }

        deinit { sqlite3_finalize(handle) }

        func bind(_ index: Int32, _ value: String?) {
            guard var value else {
                sqlite3_bind_null(handle, index)
                return
            }
            value.withUTF8 { bytes in
                _ = sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
            }
        }

        func bind(_ index: Int32, _ value: Int64?) {
            if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        }

        func bind(_ index: Int32, _ value: Double?) {
            if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
        }

        func bind(_ index: Int32, _ value: Value) {
            switch value {
            case .int(let v): sqlite3_bind_int64(handle, index, v)
            case .double(let v): sqlite3_bind_double(handle, index, v)
            case .text(let v): bind(index, v)
            case .null: sqlite3_bind_null(handle, index)
            }
        }

        /// Steps once: true for a row, false when done.
        func step() throws -> Bool {
            switch sqlite3_step(handle) {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            default: throw connection.failure()
            }
        }

        /// Runs a statement that returns no rows, then resets it for the next bindings.
        func execute() throws {
            defer { sqlite3_reset(handle) }
            guard sqlite3_step(handle) == SQLITE_DONE else { throw connection.failure() }
        }

        func value(_ column: Int32) -> Value {
            switch sqlite3_column_type(handle, column) {
            case SQLITE_INTEGER: .int(sqlite3_column_int64(handle, column))
            case SQLITE_FLOAT: .double(sqlite3_column_double(handle, column))
            case SQLITE_NULL: .null
            default: .text(String(cString: sqlite3_column_text(handle, column)))
            }
        }
    }
}

/// Seconds since `start`, for timing a floor inside this process.
func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

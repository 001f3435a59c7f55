import Foundation
import GRDB
import GRDBSQLite
import LeadPoolCore

/// A prepared statement bound and stepped through SQLite's C API, for loops that run a
/// million times (import, rounds, reclaim): GRDB's `StatementArguments` box every value,
/// which costs more than SQLite's own work at that scale. Same SQL, same transaction.
///
/// A loop should prepare its statements once (``init(_:preparing:)``) and keep them: even
/// the statement cache hashes the whole SQL text on every lookup.
struct BulkStatement {
    private let statement: Statement
    private let connection: OpaquePointer
    private var handle: OpaquePointer { statement.sqliteStatement }

    /// SQLite copies bound text before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// The connection's cached statement for `sql`: for statements run a few times.
    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        connection = db.sqliteConnection!
    }

    /// A statement of its own, prepared now, for a loop to keep. It must not outlive `db`'s
    /// transaction's closure.
    init(_ db: Database, preparing sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        connection = db.sqliteConnection!
    }

    /// Binds UTF-8 bytes as text (no `String` needed).
    func bind(_ index: Int32, utf8 bytes: UnsafeBufferPointer<UInt8>) {
        _ = sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), BulkStatement.transient)
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(handle, index)
            return
        }
        value.withUTF8 { bytes in
            _ = sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), BulkStatement.transient)
        }
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Int?) { bind(index, value.map(Int64.init)) }

    func bind(_ index: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds a field's value as its column holds it (times as seconds).
    func bind(_ index: Int32, _ value: LeadField.Value?) {
        switch value {
        case nil: sqlite3_bind_null(handle, index)
        case .text(let text): bind(index, text)
        case .integer(let integer): sqlite3_bind_int64(handle, index, integer)
        case .number(let number): sqlite3_bind_double(handle, index, number)
        case .time(let time): sqlite3_bind_int64(handle, index, time.storedSeconds)
        }
    }

    /// Runs a statement that returns no rows; the bindings are then reset.
    func execute() throws {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw failure(code) }
    }

    /// The first column of the first row as an integer, or nil when there is no row.
    func fetchInt64() throws -> Int64? {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return sqlite3_column_int64(handle, 0)
        case SQLITE_DONE: return nil
        default: throw failure(code)
        }
    }

    /// The first row's first `count` columns as text (NULL as nil), or nil when there is no row.
    func fetchTexts(_ count: Int32) throws -> [String?]? {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW:
            return (0..<count).map { column in sqlite3_column_text(handle, column).map { String(cString: $0) } }
        case SQLITE_DONE: return nil
        default: throw failure(code)
        }
    }

    /// The rowid of the last row this connection inserted.
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }

    private func failure(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: String(cString: sqlite3_errmsg(connection)),
            sql: statement.sql
        )
    }
}

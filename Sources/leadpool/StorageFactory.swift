import Foundation
import LeadPoolCore
import LeadPoolPostgres
import LeadPoolStorage
import LeadPoolStore

/// The one place the CLI picks a storage backend: `--db` / `LEADPOOL_DB` names a SQLite file,
/// or a PostgreSQL database by its `postgresql://` URL. Commands work with `any LeadStorage`
/// (``Session/store``); `init` and `migrate` with the backend's schema (`MigratingStorage`).
///
/// The login (who runs leadpool) comes with the store: on SQLite the OS login of the process
/// (``Identity/login()``), on PostgreSQL the database role the connection authenticated as.
enum StorageFactory {
    /// Opens the database (read-only for a command that only reads, on SQLite), recording the
    /// login as the writer of the events it writes.
    static func open(database: String, readOnly: Bool) throws -> (store: any LeadStorage, login: String) {
        if PostgresLocation.isURL(database) {
            let store = try PostgresStore.open(url: database)
            return (store, store.login)
        }
        let login = try Identity.login()
        return (try Store.open(path: database, readOnly: readOnly).recording(as: login), login)
    }

    /// Creates a new SQLite database at `path` with `firstAdmin`, recording `login` as the writer.
    static func create(path: String, firstAdmin: Rep, login: String) throws -> any LeadStorage {
        try Store.create(path: path, firstAdmin: firstAdmin).recording(as: login)
    }

    /// Opens the database for `migrate`: pending migrations allowed.
    static func migrating(database: String, readOnly: Bool) throws -> any MigratingStorage {
        if PostgresLocation.isURL(database) { return try PostgresStore.open(url: database, allowPending: true) }
        return try Store.open(path: database, allowPending: true, readOnly: readOnly)
    }
}

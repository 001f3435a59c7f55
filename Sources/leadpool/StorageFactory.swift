import Foundation
import LeadPoolCore
import LeadPoolStorage
import LeadPoolStore

/// The one place the CLI picks a storage backend: the SQLite store, at a file path. Commands
/// work with `any LeadStorage` (``Session/store``); `init` and `migrate`, which create and
/// upgrade the SQLite file itself, use the store's module directly.
enum StorageFactory {
    /// Opens the database at `path` (read-only for a command that only reads), recording
    /// `login` as the writer of the events it writes.
    static func open(path: String, readOnly: Bool, login: String) throws -> any LeadStorage {
        try Store.open(path: path, readOnly: readOnly).recording(as: login)
    }

    /// Creates a new database at `path` with `firstAdmin`, recording `login` as the writer.
    static func create(path: String, firstAdmin: Rep, login: String) throws -> any LeadStorage {
        try Store.create(path: path, firstAdmin: firstAdmin).recording(as: login)
    }
}

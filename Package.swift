// swift-tools-version: 6.1
import PackageDescription

#if os(Linux)
import Glibc

/// The release `leadpool`'s link on Linux, for a faster start of every command (a claim is
/// mostly process start-up). `-static-stdlib` links with `--export-dynamic`, which put every
/// public symbol of swift-nio and swift-crypto (40,000) into the dynamic symbol table that the
/// loader and `dladdr` search at start-up: the executable exports none. lld packs the relative
/// relocations (DT_RELR), which glibc applies from 2.36 on: only where the building glibc has
/// them, since the binary runs where it is built (an older glibc refuses a DT_RELR binary).
let startupLinkerFlags: [String] = {
    var name = [CChar](repeating: 0, count: 64)  // "glibc 2.36"
    _ = confstr(Int32(_CS_GNU_LIBC_VERSION), &name, name.count)
    let version = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    let glibc = version.split(whereSeparator: { $0 == " " || $0 == "." }).compactMap { Int($0) }
    let packed = glibc.count >= 2 && (glibc[0], glibc[1]) >= (2, 36)
    return ["-use-ld=lld", "-Xlinker", "--no-export-dynamic"] + (packed ? ["-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"] : [])
}()
#else
let startupLinkerFlags: [String] = []
#endif

let package = Package(
    name: "leadpool",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "leadpool", targets: ["leadpool"])
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        // Pure domain: models, the condition language, scoring, the round planner, CSV intake.
        // No database and no I/O beyond reading the bytes it is handed.
        .target(
            name: "LeadPoolCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // The storage seam: the protocol every store implements (one method per business
        // transaction) and the values it takes and returns. No database here.
        .target(name: "LeadPoolStorage", dependencies: ["LeadPoolCore"]),
        // Owns every SQL statement, the migrations and the transactions.
        .target(
            name: "LeadPoolStore",
            dependencies: [
                "LeadPoolCore",
                "LeadPoolStorage",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            plugins: ["EmbedMigrations"]
        ),
        // The PostgreSQL store: the same LeadStorage on a PostgreSQL database, through PostgresNIO.
        .target(
            name: "LeadPoolPostgres",
            dependencies: [
                "LeadPoolCore",
                "LeadPoolStorage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            plugins: ["EmbedMigrations"]
        ),
        // The command-line interface: parsing, roles, output, exit codes.
        .executableTarget(
            name: "leadpool",
            dependencies: [
                "LeadPoolCore",
                "LeadPoolStorage",
                // Only where the store is made (StorageFactory.swift, init, migrate).
                "LeadPoolStore",
                "LeadPoolPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: [.unsafeFlags(startupLinkerFlags, .when(platforms: [.linux], configuration: .release))],
            plugins: ["EmbedMigrations"]
        ),
        // Measures the release binary's heavy commands against the floor of the same writes: raw
        // SQLite, or psql on a PostgreSQL database given by --db (see README).
        .executableTarget(
            name: "leadpool-bench",
            dependencies: [
                // The floor of `rules apply` runs the very SQL the store compiles from the rules file.
                "LeadPoolCore",
                "LeadPoolStorage",
                "LeadPoolStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Build-time tool: turns Migrations/*.sql (and examples/*.yaml) into Swift source so the binary carries them.
        .executableTarget(name: "embed-migrations"),
        .plugin(
            name: "EmbedMigrations",
            capability: .buildTool(),
            dependencies: ["embed-migrations"]
        ),
        .testTarget(name: "LeadPoolCoreTests", dependencies: ["LeadPoolCore"], exclude: ["Fixtures"]),
        .testTarget(
            name: "LeadPoolStoreTests",
            dependencies: ["LeadPoolStore", "LeadPoolStorage", "LeadPoolCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The conformance suite every LeadStorage passes, run on each backend (SQLite, and PostgreSQL when
        // LEADPOOL_TEST_POSTGRES names a database), and the PostgreSQL store's own tests.
        .testTarget(
            name: "LeadPoolStorageTests",
            dependencies: ["LeadPoolCore", "LeadPoolStorage", "LeadPoolStore", "LeadPoolPostgres"]
        ),
        .testTarget(
            name: "LeadPoolCLITests",
            // GRDB: to insert what other engines write (rounds, reclaims) in report tests.
            dependencies: ["leadpool", "LeadPoolCore", "LeadPoolStorage", "LeadPoolStore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ]
)

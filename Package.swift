// swift-tools-version: 6.1
import PackageDescription

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

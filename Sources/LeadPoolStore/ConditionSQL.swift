import Foundation
import GRDB
import LeadPoolCore
import LeadPoolStorage

/// A condition compiled for SQLite (``CompiledCondition``, the SQLite dialect) with its
/// arguments as GRDB binds them.
struct ConditionSQL: Sendable {
    /// The boolean expression, with `?` placeholders.
    let sql: String
    /// The values for the placeholders, in order.
    let arguments: StatementArguments

    /// Compiles a condition against the context's clock and segments (see ``CompiledCondition``).
    init(_ condition: Condition, in context: ConditionContext) throws {
        let compiled = try CompiledCondition(condition, in: context, dialect: .sqlite)
        self.sql = compiled.sql
        self.arguments = StatementArguments(compiled.values)
    }
}

extension StatementArguments {
    /// Compiled values as GRDB binds them.
    init(_ values: [SQLValue]) {
        self.init(
            values.map { value -> DatabaseValue in
                switch value {
                case .text(let text): text.databaseValue
                case .integer(let n): n.databaseValue
                case .double(let d): d.databaseValue
                }
            }
        )
    }
}

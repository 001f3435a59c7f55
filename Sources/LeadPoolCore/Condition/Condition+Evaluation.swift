import Foundation

/// What evaluating a condition needs besides the lead: the clock and the segments.
public struct ConditionContext: Sendable {
    /// The clock, truncated to whole seconds like the database's times.
    public let now: Date
    /// `now` in whole seconds since 1970-01-01 UTC.
    public let nowSeconds: Int64
    /// Segment conditions by name, for `segment("x")`.
    public var segments: [String: Condition]

    /// - Parameters:
    ///   - now: the clock; its fraction of a second is dropped.
    ///   - segments: the segment conditions `segment("x")` resolves through; check them with
    ///     ``Condition/validateSegments(_:)`` first.
    public init(now: Date, segments: [String: Condition] = [:]) {
        let seconds = now.timeIntervalSince1970.rounded(.down)
        self.now = Date(timeIntervalSince1970: seconds)
        self.nowSeconds = Int64(seconds)
        self.segments = segments
    }
}

extension Condition {
    /// Whether the lead satisfies the condition at the context's `now`.
    ///
    /// The same semantics as the SQL compilation in `LeadPoolStore` (see ``Condition``). A
    /// `segment("x")` naming no segment of the context, or re-entering itself through a loop,
    /// is false. Lead times are read in whole seconds (their fraction dropped), as stored.
    public func matches(_ lead: Lead, in context: ConditionContext) -> Bool {
        var activeSegments: [String] = []
        return evaluate(lead, context, &activeSegments)
    }

    private func evaluate(_ lead: Lead, _ context: ConditionContext, _ active: inout [String]) -> Bool {
        switch self {
        case .constant(let value):
            return value
        case .and(let terms):
            for term in terms where !term.evaluate(lead, context, &active) { return false }
            return true
        case .or(let terms):
            for term in terms where term.evaluate(lead, context, &active) { return true }
            return false
        case .not(let inner):
            return !inner.evaluate(lead, context, &active)
        case .comparison(let operand, let op, let value):
            guard let order = Self.order(operand.read(lead, context), value) else { return false }
            return op.holds(for: order)
        case .oneOf(let operand, let values, let negated):
            let left = operand.read(lead, context)
            if negated {
                return values.allSatisfy { Self.order(left, $0).map { $0 != 0 } ?? false }
            }
            return values.contains { Self.order(left, $0) == 0 }
        case .isNull(let operand, let negated):
            let isNull: Bool
            if operand == .field(.tags) {
                isNull = lead.tags.isEmpty
            } else {
                isNull = operand.read(lead, context) == nil
            }
            return isNull != negated
        case .contains(let operand, let needle):
            guard let text = operand.read(lead, context)?.text else { return false }
            return Self.containsFolded(text, needle)
        case .glob(let operand, let pattern):
            guard let text = operand.read(lead, context)?.text else { return false }
            return Self.globMatches(text, pattern: pattern)
        case .tag(let tag):
            let wanted = Self.foldedBytes(tag)
            return lead.tags.contains { Self.foldedBytes($0) == wanted }
        case .segment(let name):
            guard let segment = context.segments[name], !active.contains(name) else { return false }
            active.append(name)
            defer { active.removeLast() }
            return segment.evaluate(lead, context, &active)
        }
    }

    /// The ordering of a field's value against a literal, or nil when they do not compare
    /// (null field, mismatched types, a numeric literal against a non-numeric attribute).
    private static func order(_ left: FieldValue?, _ right: Value) -> Int? {
        switch (left, right) {
        case (.text(let a)?, .text(let b)), (.attribute(let a)?, .text(let b)):
            return compareFolded(a, b)
        case (.number(let a)?, _):
            guard let b = right.number else { return nil }
            return ConditionNumber.compare(a, b)
        case (.attribute(let a)?, _):
            guard let b = right.number, let a = ConditionNumber(attributeValue: a) else { return nil }
            return ConditionNumber.compare(a, b)
        case (.time(let a)?, .time(let b)):
            return a == b ? 0 : (a < b ? -1 : 1)
        default:
            return nil
        }
    }
}

extension Condition.Value {
    fileprivate var number: ConditionNumber? {
        switch self {
        case .integer(let n): .integer(n)
        case .decimal(let d): .decimal(d)
        default: nil
        }
    }
}

/// A lead's value for an operand, typed the way the condition compares it.
private enum FieldValue {
    case text(String)
    case number(ConditionNumber)
    case time(Int64)
    /// An attribute: text, or a number when compared with a numeric literal and it reads as one.
    case attribute(String)

    var text: String? {
        switch self {
        case .text(let s), .attribute(let s): s
        default: nil
        }
    }
}

extension Condition.Operand {
    fileprivate func read(_ lead: Lead, _ context: ConditionContext) -> FieldValue? {
        switch self {
        case .attribute(let name):
            return lead.attributes[name].map(FieldValue.attribute)
        case .field(let field):
            if let figure = lead.figure(field, at: context.now) { return .number(.integer(Int64(figure))) }
            switch lead[field] {
            case .text(let text): return .text(text)
            case .integer(let integer): return .number(.integer(integer))
            case .number(let number): return .number(.decimal(number))
            case .time(let time): return .time(Int64(time.timeIntervalSince1970.rounded(.down)))
            case nil: return nil
            }
        }
    }
}

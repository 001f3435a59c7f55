// MARK: - Fields read

extension Condition {
    /// The operands this condition reads directly (not through segments), in order of first
    /// appearance. `tag("x")` reads `tags`.
    public var operands: [Operand] {
        var operands: [Operand] = []
        collectOperands(into: &operands)
        return operands
    }

    private func collectOperands(into operands: inout [Operand]) {
        func add(_ operand: Operand) { if !operands.contains(operand) { operands.append(operand) } }
        switch self {
        case .constant, .segment: break
        case .and(let terms), .or(let terms):
            for term in terms { term.collectOperands(into: &operands) }
        case .not(let inner): inner.collectOperands(into: &operands)
        case .comparison(let operand, _, _), .oneOf(let operand, _, _), .isNull(let operand, _),
            .contains(let operand, _), .glob(let operand, _):
            add(operand)
        case .tag: add(.field(.tags))
        }
    }

    /// The first of `fields` this condition reads, directly or through the segments it names,
    /// with the chain of segments it went through (empty when read directly).
    public func firstRead(of fields: Set<LeadField>, segments: [String: Condition]) -> (field: LeadField, via: [String])? {
        firstRead(where: { if case .field(let field) = $0 { fields.contains(field) } else { false } }, segments: segments)
            .map { found in
                guard case .field(let field) = found.operand else { preconditionFailure("only fields match") }
                return (field: field, via: found.via)
            }
    }

    /// The first operand satisfying `test` that this condition reads, directly or through the
    /// segments it names, with the chain of segments it went through (empty when read directly).
    public func firstRead(
        where test: (Operand) -> Bool,
        segments: [String: Condition]
    ) -> (operand: Operand, via: [String])? {
        var visited = Set<String>()
        func search(_ condition: Condition, _ path: [String]) -> (Operand, [String])? {
            for operand in condition.operands where test(operand) { return (operand, path) }
            for name in condition.referencedSegments where !visited.contains(name) {
                visited.insert(name)
                if let segment = segments[name], let found = search(segment, path + [name]) { return found }
            }
            return nil
        }
        return search(self, []).map { (operand: $0.0, via: $0.1) }
    }
}

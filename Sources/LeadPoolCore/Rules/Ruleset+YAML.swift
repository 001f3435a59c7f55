import Foundation
import Yams

// MARK: - Entry points

extension Ruleset {
    /// Parses and validates a rules file.
    ///
    /// - Parameters:
    ///   - yaml: the file's text.
    ///   - fileName: the name messages use (`rules.yaml:12:7: …`).
    /// - Throws: `LeadPoolError.badInput` (exit 65) listing every error of the file at once, each
    ///   with file, line and column; see ``check(_:fileName:)``.
    public static func parse(_ yaml: String, fileName: String) throws -> Ruleset {
        let result = check(yaml, fileName: fileName)
        guard let ruleset = result.ruleset else { throw LeadPoolError.rulesFile(fileName, issues: result.errors) }
        return ruleset
    }

    /// Parses and validates a rules file, returning every error instead of throwing.
    ///
    /// Refused: YAML syntax errors, wrong types, unknown keys (with the nearest known key
    /// suggested), an unknown strategy, duplicate rule or criterion names, negative numbers,
    /// tiers not strictly descending, ICP criteria that read `score` or `tier` (directly or
    /// through segments), conditions that do not parse or name an undefined segment, segment loops.
    ///
    /// - Returns: the ruleset when there is no error, else nil and the errors in file order.
    public static func check(_ yaml: String, fileName: String) -> (ruleset: Ruleset?, errors: [RulesetIssue]) {
        var reader = RulesetReader(source: yaml, fileName: fileName)
        let ruleset = reader.read()
        let errors = reader.errors.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        return errors.isEmpty ? (ruleset, []) : (nil, errors)
    }

    /// Problems that do not stop the file from applying: targets naming no known team or rep,
    /// pools whose members or admins name no active rep's team or no rep, and ICP criteria that
    /// read the clock (their points only change when leads are re-scored).
    ///
    /// - Parameters:
    ///   - teams: the teams reps belong to.
    ///   - handles: every rep's handle.
    ///   - activeTeams: the teams active reps belong to (nil: `teams`).
    public func warnings(
        teams: Set<String>,
        handles: Set<String>,
        activeTeams: Set<String>? = nil,
        attributes: Set<String>? = nil
    ) -> [RulesetIssue] {
        var warnings: [RulesetIssue] = []
        if let attributes { warnings += unknownAttributeWarnings(known: attributes) }
        for rule in rules {
            let location = rule.targetLocation ?? rule.location ?? Location(file: "rules", line: 1, column: 1)
            for target in rule.targets {
                switch target {
                case .team(let team) where !teams.contains(team):
                    warnings.append(
                        .unknownTeam(
                            team,
                            among: teams,
                            at: location,
                            "rule '\(rule.name)': no rep is in team '\(team)'; the rule routes nobody to it"
                        )
                    )
                case .rep(let handle) where !handles.contains(handle):
                    warnings.append(
                        .unknownHandle(handle, among: handles, at: location, "rule '\(rule.name)': no rep with handle '\(handle)'", prefix: "rep:")
                    )
                default: break
                }
            }
        }
        warnings += poolWarnings(activeTeams: activeTeams ?? teams, handles: handles)
        let clock = Set(LeadField.allCases.filter(\.isComputed))
        for criterion in icp {
            guard let (field, via) = criterion.when.firstRead(of: clock, segments: segmentConditions) else { continue }
            warnings.append(
                RulesetIssue(
                    criterion.location ?? Location(file: "rules", line: 1, column: 1),
                    "icp criterion '\(criterion.name)' reads \(field.rawValue)\(via.isEmpty ? "" : " through segment '\(via[0])'"); scores are computed when the rules are applied or leads imported, so its points go stale",
                    hint: "re-apply the rules regularly, or use a segment instead"
                )
            )
        }
        // Reps see every lead's score, so points earned on a contact field tell them something
        // about a value they may not see: the admin should know which criteria do that.
        let visibility = visibility
        let contactReads = icp.compactMap { criterion in
            criterion.when.firstRead(where: { visibility.isContact($0) }, segments: segmentConditions).map { (criterion, $0.operand) }
        }
        if let (first, _) = contactReads.first {
            let named = contactReads.map { "'\($0.0.name)' (\($0.1))" }.joined(separator: ", ")
            warnings.append(
                RulesetIssue(
                    first.location ?? Location(file: "rules", line: 1, column: 1),
                    "icp \(contactReads.count == 1 ? "criterion" : "criteria") \(named) read\(contactReads.count == 1 ? "s a contact field" : " contact fields"): reps see every lead's score, so the score tells them whether \(contactReads.count == 1 ? "it holds" : "these hold") on leads they do not own",
                    hint: "`explain` hides these criteria from reps, but a score that moves with one alone gives it away"
                )
            )
        }
        return warnings.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
    }
}

// MARK: - Reader

/// Walks the YAML node tree, collecting every error with its position instead of stopping at
/// the first.
private struct RulesetReader {
    let source: String
    let fileName: String
    var errors: [RulesetIssue] = []
    private lazy var lines: [Substring] = source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)

    init(source: String, fileName: String) {
        self.source = source
        self.fileName = fileName
    }

    static let ruleKeys = ["name", "when", "to", "pool", "strategy", "territory", "per-round", "working-only"]

    static let poolKeys = ["name", "members", "admins", "claim", "claimable-after", "reclaim", "hidden"]

    static let sections = [
        "timezone", "working-hours", "defaults", "tiers", "hidden", "release-reasons", "disqualify-reasons", "icp", "segments", "pools", "rules",
        "reclaim", "first-touch", "notify",
    ]

    /// Every pool name the file may refer to: `main` and each listed under `pools:`.
    private var poolNames: Set<String> = [Ruleset.mainPool]

    mutating func read() -> Ruleset {
        var ruleset = Ruleset.standard
        let root: Node?
        do {
            root = try Yams.compose(yaml: source)
        } catch {
            errors.append(yamlError(error))
            return ruleset
        }
        guard let root, !isNull(root) else {
            // Most likely the wrong file, or a truncated one: applying it would drop every rule.
            errors.append(
                RulesetIssue(
                    Ruleset.Location(file: fileName, line: 1, column: 1),
                    "the rules file is empty",
                    hint: "write `{}` to apply the standard settings on purpose, or start from `leadpool rules example`"
                )
            )
            return ruleset
        }
        guard let top = mapping(root, what: "the rules file", keys: Self.sections) else { return ruleset }

        // Segment names first, so every condition can check `segment("x")` against all of them.
        let segmentNames = top["segments"].flatMap { $0.mapping }.map { Set($0.keys.compactMap(\.scalar?.string)) } ?? []

        if let node = top["timezone"] { ruleset.clock = readTimeZone(node) }
        if let node = top["working-hours"] { ruleset.workingHours = readWorkingHours(node) }
        if let node = top["defaults"] { ruleset.defaults = readDefaults(node) }
        if let node = top["tiers"] { ruleset.tiers = readTiers(node) }
        if let node = top["hidden"] { ruleset.hidden = readHidden(node) }
        if let node = top["release-reasons"] { ruleset.releaseReasons = readReasons(node, what: "release-reasons") }
        if let node = top["disqualify-reasons"] { ruleset.disqualifyReasons = readReasons(node, what: "disqualify-reasons") }
        if let node = top["segments"] { ruleset.segments = readSegments(node, known: segmentNames) }
        if let node = top["icp"] { ruleset.icp = readICP(node, known: segmentNames, segments: ruleset.segmentConditions) }
        if let node = top["pools"] { ruleset.pools = readPools(node) }
        if let node = top["rules"] { ruleset.rules = readRules(node, known: segmentNames) }
        if let node = top["reclaim"] { ruleset.reclaim = readReclaim(node, known: segmentNames) }
        if let node = top["first-touch"] { ruleset.firstTouch = readFirstTouch(node, known: segmentNames) }
        if let node = top["notify"] { ruleset.notify = readNotify(node) }
        checkExpansions(segments: ruleset.segmentConditions)
        return ruleset
    }

    /// Every condition of the file, with where it starts, as read.
    private var conditions: [(condition: Condition, location: Ruleset.Location)] = []

    /// Refuses conditions too large for the database with their segments written out, and a
    /// file whose conditions together are: a round, a re-score and a report each put all the
    /// rules', criteria's or segments' conditions in one statement. A stored ruleset that made
    /// every later command fail would be worse than refusing it here.
    private mutating func checkExpansions(segments: [String: Condition]) {
        var total = 0
        for (condition, location) in conditions {
            let expansion = condition.expansion(segments: segments)
            if let problem = Condition.expansionProblem(expansion) {
                errors.append(RulesetIssue(location, problem, hint: "narrow the condition, or use fewer or smaller segments in it"))
            }
            total = total.addingReportingOverflow(expansion.terms).overflow ? .max : total + expansion.terms
        }
        if total > Ruleset.maximumExpandedTerms {
            errors.append(
                RulesetIssue(
                    Ruleset.Location(file: fileName, line: 1, column: 1),
                    "the file's conditions hold \(Condition.count(total)) predicates and list values with their segments written out; the most is \(Ruleset.maximumExpandedTerms)",
                    hint: "use fewer or smaller segments, rules and criteria"
                )
            )
        }
    }

    // MARK: - Sections

    /// `timezone: Asia/Shanghai`: an IANA name; UTC when null.
    private mutating func readTimeZone(_ node: Node) -> TeamClock {
        guard !isNull(node), let name = text(node, what: "timezone") else { return .utc }
        if let clock = TeamClock(named: name) { return clock }
        let problem = TeamClock.check(name) ?? ("unknown time zone '\(name)'", "")
        error(at: node, "timezone: \(problem.message)", hint: problem.hint)
        return .utc
    }

    /// `working-hours: { days: mon-fri, from: "09:00", to: "18:00" }`; `days` may also be a list
    /// (`[mon, tue, sat]`) whose items are days or ranges. Nil when null or wrong.
    private mutating func readWorkingHours(_ node: Node) -> WorkingHours? {
        guard !isNull(node), let fields = mapping(node, what: "working-hours", keys: ["days", "from", "to"]) else { return nil }
        var days: [Weekday]?
        if let node = required(fields, "days", in: node, what: "working-hours") {
            let items: [Node]
            if case .sequence(let sequence) = node { items = Array(sequence) } else { items = [node] }
            if items.isEmpty { error(at: node, "working-hours: days is an empty list", hint: "name at least one day, like mon-fri") }
            var found: [Weekday] = []
            for item in items {
                guard let text = nonEmptyText(item, what: "a working day") else { continue }
                switch WorkingHours.days(text) {
                case .success(let value): found += value
                case .failure(let problem): error(at: item, "working-hours: \(problem.message)", hint: problem.hint)
                }
            }
            days = found
        }
        func time(_ key: String) -> (Int, Node)? {
            guard let node = required(fields, key, in: node, what: "working-hours"),
                let text = text(node, what: "working-hours \(key)")
            else { return nil }
            guard let minutes = WorkingHours.minutes(text, allowingEndOfDay: key == "to") else {
                error(at: node, "working-hours: \(key) '\(text)' is not a time of day", hint: WorkingHours.timeHint)
                return nil
            }
            return (minutes, node)
        }
        let from = time("from")
        let to = time("to")
        guard let days, !days.isEmpty, let (start, _) = from, let (end, endNode) = to else { return nil }
        if let problem = WorkingHours.problem(from: start, to: end) {
            error(at: endNode, "working-hours: \(problem.message)", hint: problem.hint)
            return nil
        }
        return WorkingHours(days: days, from: start, to: end)
    }

    private mutating func readDefaults(_ node: Node) -> Ruleset.Defaults {
        var defaults = Ruleset.Defaults.standard
        guard !isNull(node), let fields = mapping(node, what: "defaults", keys: ["capacity", "daily-limit"]) else {
            return defaults
        }
        if let n = fields["capacity"].flatMap({ integer($0, what: "capacity", in: 0...) }) { defaults.capacity = n }
        if let n = fields["daily-limit"].flatMap({ integer($0, what: "daily-limit", in: 0...) }) { defaults.dailyLimit = n }
        return defaults
    }

    private mutating func readTiers(_ node: Node) -> [Ruleset.TierBand] {
        guard !isNull(node) else { return Ruleset.TierBand.standard }
        guard case .mapping(let map) = node else {
            error(at: node, "tiers must be a mapping of tier name to lowest score, like { A: 80, B: 60, C: 40 }")
            return Ruleset.TierBand.standard
        }
        var bands: [Ruleset.TierBand] = []
        var previous: (name: String, minimum: Int)?
        for (key, value) in map {
            guard let name = nonEmptyText(key, what: "a tier name") else { continue }
            if bands.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                error(at: key, "tier '\(name)' appears twice (tier names compare case-insensitively)")
                continue
            }
            guard let minimum = integer(value, what: "tier '\(name)'", in: 0...100) else { continue }
            if let previous, minimum >= previous.minimum {
                error(
                    at: value,
                    "tier '\(name)' starts at \(minimum), not below tier '\(previous.name)' at \(previous.minimum)",
                    hint: "list tiers best first, each lowest score strictly below the one before"
                )
            }
            previous = (name, minimum)
            bands.append(Ruleset.TierBand(name, minimum: minimum))
        }
        if bands.last?.minimum != 0 {
            let floor = Ruleset.TierBand.implicitFloorName
            if let clash = bands.first(where: { $0.name.lowercased() == floor.lowercased() }),
                let key = map.keys.first(where: { $0.scalar?.string == clash.name })
            {
                error(
                    at: key,
                    "tier '\(clash.name)' starts at \(clash.minimum), but '\(floor)' is the tier below the last band",
                    hint: "end the tiers with a band at 0 to name the floor yourself, e.g. E: 0"
                )
            }
            bands.append(Ruleset.TierBand(floor, minimum: 0, isImplicitFloor: true))
        }
        return bands
    }

    /// `hidden: [attr.wechat, title]`: canonical fields a lead describes itself with (not
    /// `company`, which names it everywhere, nor `tags`, leadpool's own labels) or `attr.NAME`.
    private mutating func readHidden(_ node: Node) -> [Condition.Operand] {
        var hidden: [Condition.Operand] = []
        let hideable = LeadField.allCases.filter { $0.isImportable && $0 != .company && $0 != .tags }
        for item in list(node, what: "hidden") {
            guard let text = nonEmptyText(item, what: "a hidden field") else { continue }
            let name = text.lowercased()
            let operand: Condition.Operand
            if name.hasPrefix("attr.") {
                let attribute = String(name.dropFirst(5))
                guard !attribute.isEmpty, attribute.utf8.allSatisfy({ (48...57).contains($0) || (97...122).contains($0) || $0 == 95 }) else {
                    error(
                        at: item,
                        "hidden: invalid attribute name '\(text)'",
                        hint: "attribute names are attr. followed by letters, digits and '_', as in conditions"
                    )
                    continue
                }
                operand = .attribute(attribute)
            } else if let field = LeadField(rawValue: name) {
                guard hideable.contains(field) else {
                    error(
                        at: item,
                        "hidden: \(field.rawValue) cannot be hidden: "
                            + (field == .company
                                ? "it names the lead in every listing" : field == .tags ? "tags are leadpool's own labels" : "leadpool sets it"),
                        hint: "hide fields a lead is imported with: " + hideable.map(\.rawValue).joined(separator: ", ") + ", or attr.NAME"
                    )
                    continue
                }
                operand = .field(field)
            } else {
                error(
                    at: item,
                    "hidden: unknown field '\(text)'",
                    hint: NameSuggestion.nearest(to: name, among: hideable.map(\.rawValue)).map { "did you mean '\($0)'?" }
                        ?? "name a lead field or attr.NAME"
                )
                continue
            }
            if hidden.contains(operand) {
                error(at: item, "hidden: \(operand) appears twice")
                continue
            }
            hidden.append(operand)
        }
        return hidden
    }

    /// `release-reasons: [no-budget, wrong-contact]`: short words, each once (ignoring case).
    private mutating func readReasons(_ node: Node, what: String) -> [String] {
        var reasons: [String] = []
        for item in list(node, what: what) {
            guard let text = nonEmptyText(item, what: "a reason") else { continue }
            if text.utf8.count > TextLimit.label.bytes {
                error(at: item, "\(what): a reason is at most \(TextLimit.label.bytes) bytes")
            } else if reasons.contains(where: { $0.lowercased() == text.lowercased() }) {
                error(at: item, "\(what): '\(text)' appears twice")
            } else {
                reasons.append(text)
            }
        }
        return reasons
    }

    private mutating func readSegments(_ node: Node, known: Set<String>) -> [Ruleset.Segment] {
        guard !isNull(node) else { return [] }
        guard case .mapping(let map) = node else {
            error(at: node, "segments must be a mapping of segment name to condition, like { emea: 'country in (\"DE\",\"FR\")' }")
            return []
        }
        var segments: [Ruleset.Segment] = []
        for (key, value) in map {
            guard let name = nonEmptyText(key, what: "a segment name") else { continue }
            guard let (condition, text) = condition(value, what: "segment '\(name)'", known: known) else { continue }
            segments.append(Ruleset.Segment(name: name, condition: condition, text: text, location: location(key)))
        }
        reportSegmentLoops(segments)
        return segments
    }

    /// Every loop once, at the first of its segments in the file.
    private mutating func reportSegmentLoops(_ segments: [Ruleset.Segment]) {
        let byName = Dictionary(segments.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var reported = Set<Set<String>>()
        for start in segments {
            // Depth-first from `start`, looking for a path back to it.
            var stack: [(name: String, path: [String])] = [(start.name, [start.name])]
            var seen = Set<String>()
            while let (name, path) = stack.popLast() {
                for next in byName[name]?.condition.referencedSegments ?? [] {
                    if next == start.name {
                        let members = Set(path)
                        if reported.insert(members).inserted {
                            errors.append(
                                RulesetIssue(
                                    start.location!,
                                    "segment loop: " + (path + [start.name]).joined(separator: " -> "),
                                    hint: "a segment may not refer to itself, directly or through others"
                                )
                            )
                        }
                    } else if byName[next] != nil, seen.insert(next).inserted {
                        stack.append((next, path + [next]))
                    }
                }
            }
        }
    }

    private mutating func readICP(_ node: Node, known: Set<String>, segments: [String: Condition]) -> [Ruleset.Criterion] {
        var criteria: [Ruleset.Criterion] = []
        var names = Set<String>()
        for item in list(node, what: "icp") {
            guard let fields = mapping(item, what: "an icp criterion", keys: ["name", "when", "points"]) else { continue }
            let name = required(fields, "name", in: item, what: "an icp criterion").flatMap { nonEmptyText($0, what: "name") }
            let label = name.map { "icp criterion '\($0)'" } ?? "an icp criterion"
            if let name, let nameNode = fields["name"], !names.insert(name).inserted {
                error(at: nameNode, "icp criterion '\(name)' appears twice", hint: "give each criterion its own name")
            }
            let points = required(fields, "points", in: item, what: label).flatMap {
                integer($0, what: "points of \(label)", in: -100...100)
            }
            let when = required(fields, "when", in: item, what: label).flatMap { condition($0, what: label, known: known) }
            if let (condition, _) = when, let whenNode = fields["when"],
                let (field, via) = condition.firstRead(of: [.score, .tier], segments: segments)
            {
                error(
                    at: whenNode,
                    "\(label) reads \(field.rawValue)\(via.isEmpty ? "" : " through segment '\(via.joined(separator: "' -> '"))'"), which the icp itself computes",
                    hint: "icp criteria may use any field but score and tier"
                )
            }
            guard let name, let points, let (condition, text) = when else { continue }
            criteria.append(Ruleset.Criterion(name: name, when: condition, text: text, points: points, location: location(item)))
        }
        return criteria
    }

    private mutating func readRules(_ node: Node, known: Set<String>) -> [Ruleset.Rule] {
        var rules: [Ruleset.Rule] = []
        var names = Set<String>()
        for item in list(node, what: "rules") {
            guard let fields = mapping(item, what: "a rule", keys: Self.ruleKeys) else { continue }
            let name = required(fields, "name", in: item, what: "a rule").flatMap { nonEmptyText($0, what: "name") }
            let label = name.map { "rule '\($0)'" } ?? "a rule"
            if let name, let nameNode = fields["name"], !names.insert(name).inserted {
                error(at: nameNode, "rule '\(name)' appears twice", hint: "give each rule its own name: rounds remember strategies by it")
            }
            let when = required(fields, "when", in: item, what: label).flatMap { condition($0, what: label, known: known) }
            let to = required(fields, "to", in: item, what: label)
            let toPool = to.flatMap { node -> String? in
                guard case .scalar(let scalar) = node, scalar.string.trimmingCharacters(in: .whitespaces).hasPrefix("pool:") else { return nil }
                return scalar.string.trimmingCharacters(in: .whitespaces).dropFirst(5).trimmingCharacters(in: .whitespaces)
            }
            let targets: [Ruleset.Target]?
            if let toPool, let to {
                targets = knownPool(toPool, at: to, what: "to: of \(label)") ? [] : nil
            } else {
                targets = to.flatMap { self.targets($0, rule: label) }
            }
            let pool = fields["pool"].flatMap { node in
                nonEmptyText(node, what: "pool of \(label)").flatMap { knownPool($0, at: node, what: "pool: of \(label)") ? $0 : nil }
            }
            var strategy = Ruleset.Strategy.roundRobin
            if let node = fields["strategy"], let text = text(node, what: "strategy of \(label)") {
                if let value = Ruleset.Strategy(rawValue: text) {
                    strategy = value
                } else {
                    let choices = Ruleset.Strategy.allCases.map(\.rawValue)
                    error(
                        at: node,
                        "unknown strategy '\(text)' in \(label)",
                        hint: NameSuggestion.nearest(to: text, among: choices).map { "did you mean '\($0)'?" }
                            ?? "one of: " + choices.joined(separator: ", ")
                    )
                }
            }
            let territory = fields["territory"].flatMap { boolean($0, what: "territory of \(label)") } ?? false
            let perRound = fields["per-round"].flatMap { integer($0, what: "per-round of \(label)", in: 1...) }
            let workingOnly = fields["working-only"].flatMap { boolean($0, what: "working-only of \(label)") } ?? false
            guard let name, let (condition, text) = when, let targets else { continue }
            rules.append(
                Ruleset.Rule(
                    name: name,
                    when: condition,
                    text: text,
                    targets: targets,
                    strategy: strategy,
                    territory: territory,
                    perRound: perRound,
                    workingOnly: workingOnly,
                    location: location(item),
                    targetLocation: fields["to"].map(location),
                    toPool: toPool,
                    pool: pool
                )
            )
        }
        return rules
    }

    private mutating func targets(_ node: Node, rule label: String) -> [Ruleset.Target]? {
        func target(_ node: Node, bareIsRep: Bool) -> Ruleset.Target? {
            guard let text = nonEmptyText(node, what: "a target of \(label)") else { return nil }
            let parts = text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, !parts[1].isEmpty {
                switch parts[0] {
                case "team": return .team(parts[1])
                case "rep": return .rep(parts[1])
                default:
                    error(
                        at: node,
                        "unknown target kind '\(parts[0])' in \(label)",
                        hint: NameSuggestion.nearest(to: parts[0], among: ["team", "rep", "pool"]).map { "did you mean '\($0):\(parts[1])'?" }
                            ?? "write team:NAME, rep:HANDLE, pool:NAME or a list of handles"
                    )
                    return nil
                }
            }
            if bareIsRep, !text.contains(":") { return .rep(text) }
            error(at: node, "'\(text)' in \(label) is not a target", hint: "write team:NAME, rep:HANDLE or a list of handles like [alice, bob]")
            return nil
        }
        switch node {
        case .sequence(let items):
            guard !items.isEmpty else {
                error(at: node, "\(label) routes to an empty list", hint: "name at least one rep")
                return nil
            }
            let targets = items.map { target($0, bareIsRep: true) }
            return targets.contains(where: { $0 == nil }) ? nil : targets.compactMap { $0 }
        default:
            return target(node, bareIsRep: false).map { [$0] }
        }
    }

    /// Whether `name` is a pool of the file (or `main`); an error at `node` otherwise.
    private mutating func knownPool(_ name: String, at node: Node, what: String) -> Bool {
        guard !poolNames.contains(name) else { return true }
        let names = poolNames.sorted()
        error(
            at: node,
            "\(what): no pool named '\(name)'",
            hint: NameSuggestion.nearest(to: name, among: names).map { "did you mean '\($0)'?" } ?? "pools: " + names.joined(separator: ", ")
        )
        return false
    }

    /// `pools:` — a list of pools, each `{ name, members, admins, claim, claimable-after,
    /// reclaim, hidden }`. Names are unique; `reclaim.to` names a pool of the file (or `main`).
    private mutating func readPools(_ node: Node) -> [Ruleset.Pool] {
        let items = list(node, what: "pools")
        // Every name first, so `reclaim.to` and rules may name a pool listed later.
        var seen = Set<String>()
        for item in items {
            guard case .mapping = item, let nameNode = item["name"], let name = nameNode.scalar?.string else { continue }
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            if !seen.insert(trimmed).inserted {
                error(at: nameNode, "pool '\(trimmed)' appears twice", hint: "give each pool its own name")
            }
            poolNames.insert(trimmed)
        }
        var pools: [Ruleset.Pool] = []
        for item in items {
            guard let fields = mapping(item, what: "a pool", keys: Self.poolKeys) else { continue }
            guard let nameNode = required(fields, "name", in: item, what: "a pool"), let name = nonEmptyText(nameNode, what: "a pool name") else {
                continue
            }
            if name.utf8.count > 64
                || !name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) })
            {
                error(at: nameNode, "pool name '\(name)' must be 1 to 64 letters, digits, '.', '_' or '-'")
                continue
            }
            let label = "pool '\(name)'"
            var pool = Ruleset.Pool(name: name, location: location(item))
            if let node = fields["members"], !isNull(node) {
                let items = list(node, what: "members of \(label)")
                pool.members = items.compactMap { item in
                    guard let text = nonEmptyText(item, what: "a member of \(label)") else { return nil }
                    if text.hasPrefix("team:") {
                        let team = String(text.dropFirst(5)).trimmingCharacters(in: .whitespaces)
                        guard !team.isEmpty else {
                            error(at: item, "a member of \(label) names no team", hint: "write team:NAME")
                            return nil
                        }
                        return .team(team)
                    }
                    let handle = text.hasPrefix("rep:") ? String(text.dropFirst(4)) : text
                    guard !handle.contains(":") else {
                        error(at: item, "'\(text)' in members of \(label) is not a member", hint: "write team:NAME or a rep's handle")
                        return nil
                    }
                    return .rep(handle)
                }
            }
            if let node = fields["admins"] {
                pool.admins = list(node, what: "admins of \(label)").compactMap { nonEmptyText($0, what: "an admin of \(label)") }
            }
            if let node = fields["claim"], !isNull(node), let claim = mapping(node, what: "claim of \(label)", keys: ["daily-limit", "capacity"]) {
                pool.dailyLimit = claim["daily-limit"].flatMap { integer($0, what: "daily-limit of \(label)", in: 0...) }
                pool.capacity = claim["capacity"].flatMap { integer($0, what: "capacity of \(label)", in: 0...) }
            }
            if let node = fields["claimable-after"], !isNull(node), let text = text(node, what: "claimable-after of \(label)") {
                if let seconds = Ruleset.duration(text) {
                    pool.claimableAfter = seconds
                } else {
                    error(at: node, "claimable-after of \(label): '\(text)' is not a duration", hint: "write a number and a unit: 30m, 2h, 1d")
                }
            }
            if let node = fields["reclaim"], !isNull(node),
                let reclaim = mapping(node, what: "reclaim of \(label)", keys: ["no-activity-days", "max-hold-days", "to"])
            {
                pool.reclaim.noActivityDays = reclaim["no-activity-days"].flatMap { integer($0, what: "no-activity-days of \(label)", in: 1...) }
                pool.reclaim.maxHoldDays = reclaim["max-hold-days"].flatMap { integer($0, what: "max-hold-days of \(label)", in: 1...) }
                if let node = reclaim["to"], let to = nonEmptyText(node, what: "reclaim to of \(label)") {
                    let target = to.hasPrefix("pool:") ? String(to.dropFirst(5)) : to
                    if knownPool(target, at: node, what: "reclaim to of \(label)") { pool.reclaim.to = target }
                }
            }
            if let node = fields["hidden"] { pool.hidden = readHidden(node) }
            pools.append(pool)
        }
        return pools
    }

    private mutating func readReclaim(_ node: Node, known: Set<String>) -> Ruleset.ReclaimPolicy {
        var policy = Ruleset.ReclaimPolicy.standard
        let keys = ["no-activity-days", "max-hold-days", "cooldown-days", "warn-days", "exempt", "overrides"]
        guard !isNull(node), let fields = mapping(node, what: "reclaim", keys: keys) else { return policy }
        if let n = fields["no-activity-days"].flatMap({ integer($0, what: "no-activity-days", in: 1...) }) { policy.noActivityDays = n }
        if let n = fields["max-hold-days"].flatMap({ integer($0, what: "max-hold-days", in: 1...) }) { policy.maxHoldDays = n }
        if let n = fields["cooldown-days"].flatMap({ integer($0, what: "cooldown-days", in: 0...) }) { policy.cooldownDays = n }
        if let n = fields["warn-days"].flatMap({ integer($0, what: "warn-days", in: 0...) }) { policy.warnDays = n }
        if let node = fields["exempt"], !isNull(node), let (condition, text) = condition(node, what: "reclaim exempt", known: known) {
            policy.exempt = condition
            policy.exemptText = text
        }
        for item in list(fields["overrides"], what: "reclaim overrides") {
            guard let entry = mapping(item, what: "a reclaim override", keys: ["when", "no-activity-days", "max-hold-days"]) else { continue }
            let when = required(entry, "when", in: item, what: "a reclaim override").flatMap {
                condition($0, what: "a reclaim override", known: known)
            }
            let idle = entry["no-activity-days"].flatMap { integer($0, what: "no-activity-days", in: 1...) }
            let hold = entry["max-hold-days"].flatMap { integer($0, what: "max-hold-days", in: 1...) }
            if entry["no-activity-days"] == nil, entry["max-hold-days"] == nil {
                error(at: item, "a reclaim override sets neither no-activity-days nor max-hold-days", hint: "set one or both")
            }
            guard let (condition, text) = when else { continue }
            policy.overrides.append(.init(when: condition, text: text, noActivityDays: idle, maxHoldDays: hold))
        }
        return policy
    }

    /// `first-touch: { within: 4h, warn-before: 1h, when: '…', then: reassign }`; nil when null.
    private mutating func readFirstTouch(_ node: Node, known: Set<String>) -> Ruleset.FirstTouchPolicy? {
        let keys = ["within", "warn-before", "when", "then"]
        guard !isNull(node), let fields = mapping(node, what: "first-touch", keys: keys) else { return nil }
        func span(_ key: String) -> WorkingSpan? {
            guard let node = fields[key], !isNull(node), let text = text(node, what: "first-touch \(key)") else { return nil }
            guard let span = WorkingSpan(text), key == "warn-before" || span.seconds > 0 else {
                error(at: node, "first-touch: \(key) '\(text)' is not a span of working time", hint: "write hours and minutes like 4h, 30m or 1h30m")
                return nil
            }
            return span
        }
        let within = required(fields, "within", in: node, what: "first-touch").flatMap { _ in span("within") }
        let warnBefore = span("warn-before")
        var action = FirstTouchAction.reassign
        if let node = fields["then"], !isNull(node), let word = text(node, what: "first-touch then") {
            if let known = FirstTouchAction(rawValue: word) {
                action = known
            } else {
                let names = FirstTouchAction.allCases.map(\.rawValue)
                error(
                    at: node,
                    "first-touch: unknown action '\(word)' for then",
                    hint: NameSuggestion.nearest(to: word, among: names).map { "did you mean '\($0)'?" } ?? "write one of: "
                        + names.joined(separator: ", ")
                )
            }
        }
        var when: (Condition, String)?
        if let node = fields["when"], !isNull(node) { when = condition(node, what: "first-touch", known: known) }
        guard let within else { return nil }
        if let warnBefore, warnBefore >= within, let node = fields["warn-before"] {
            error(
                at: node,
                "first-touch: warn-before \(warnBefore) is not shorter than within \(within)",
                hint: "warn some time before the deadline, like within: 4h, warn-before: 1h"
            )
        }
        return Ruleset.FirstTouchPolicy(
            within: within,
            warnBefore: warnBefore ?? WorkingSpan(seconds: 0),
            when: when?.0,
            whenText: when?.1,
            then: action
        )
    }

    /// `notify: { from: leadpool@example.com, sendmail: /usr/sbin/sendmail }`.
    private mutating func readNotify(_ node: Node) -> Ruleset.NotifySettings {
        var settings = Ruleset.NotifySettings.standard
        guard !isNull(node), let fields = mapping(node, what: "notify", keys: ["from", "sendmail"]) else { return settings }
        if let node = fields["from"], !isNull(node), let from = nonEmptyText(node, what: "notify from") {
            if from.split(separator: "@", omittingEmptySubsequences: false).count == 2, !from.hasPrefix("@"), !from.hasSuffix("@"),
                from.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"<>()[]\\,;:\"".unicodeScalars.contains($0) })
            {
                settings.from = from
            } else {
                error(at: node, "notify: from '\(from)' is not a mail address", hint: "write an address like leadpool@sales.example")
            }
        }
        if let node = fields["sendmail"], !isNull(node), let path = nonEmptyText(node, what: "notify sendmail") {
            if path.hasPrefix("/") {
                settings.sendmail = path
            } else {
                error(at: node, "notify: sendmail '\(path)' is not an absolute path", hint: "write the program's full path, like /usr/sbin/sendmail")
            }
        }
        return settings
    }

    // MARK: - Values

    private func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// A mapping's entries by key; unknown keys are reported with the nearest known one.
    private mutating func mapping(_ node: Node, what: String, keys: [String]) -> [String: Node]? {
        guard case .mapping(let map) = node else {
            error(at: node, "\(what) must be a mapping (key: value), found \(describe(node))")
            return nil
        }
        var fields: [String: Node] = [:]
        for (key, value) in map {
            guard let name = key.scalar?.string else {
                error(at: key, "a key in \(what) must be text, found \(describe(key))")
                continue
            }
            guard keys.contains(name) else {
                error(
                    at: key,
                    "unknown key '\(name)' in \(what)",
                    hint: NameSuggestion.nearest(to: name, among: keys).map { "did you mean '\($0)'?" }
                        ?? "known keys: " + keys.joined(separator: ", ")
                )
                continue
            }
            fields[name] = value
        }
        return fields
    }

    /// A list's items; a missing or null list is empty.
    private mutating func list(_ node: Node?, what: String) -> [Node] {
        guard let node, !isNull(node) else { return [] }
        guard case .sequence(let items) = node else {
            error(at: node, "\(what) must be a list (- item), found \(describe(node))")
            return []
        }
        return Array(items)
    }

    private mutating func required(_ fields: [String: Node], _ key: String, in parent: Node, what: String) -> Node? {
        if let node = fields[key], !isNull(node) { return node }
        error(at: fields[key] ?? parent, "\(what) needs '\(key)'")
        return nil
    }

    private mutating func text(_ node: Node, what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(at: node, "\(what) must be text, found \(describe(node))")
            return nil
        }
        return scalar.string
    }

    private mutating func nonEmptyText(_ node: Node, what: String) -> String? {
        guard let text = text(node, what: what) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            error(at: node, "\(what) is empty")
            return nil
        }
        return trimmed
    }

    private mutating func integer(_ node: Node, what: String, in range: some RangeExpression<Int>) -> Int? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string) else {
            error(at: node, "\(what) must be a whole number, found \(describe(node))")
            return nil
        }
        guard range.contains(value) else {
            let bounds: String
            switch range {
            case let r as ClosedRange<Int>: bounds = "from \(r.lowerBound) to \(r.upperBound)"
            case let r as PartialRangeFrom<Int>: bounds = r.lowerBound == 0 ? "0 or more (not negative)" : "\(r.lowerBound) or more"
            default: bounds = "in range"
            }
            error(at: node, "\(what) must be \(bounds), found \(value)")
            return nil
        }
        return value
    }

    private mutating func boolean(_ node: Node, what: String) -> Bool? {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            switch scalar.string.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        error(at: node, "\(what) must be true or false, found \(describe(node))")
        return nil
    }

    /// Parses a condition where it sits in the file, so its errors point at the right column.
    private mutating func condition(_ node: Node, what: String, known: Set<String>) -> (Condition, String)? {
        guard case .scalar(let scalar) = node else {
            error(
                at: node,
                "the condition of \(what) must be text, found \(describe(node))",
                hint: "quote conditions: when: 'industry = \"Software\"'"
            )
            return nil
        }
        let origin = conditionOrigin(scalar)
        do {
            let condition = try Condition.parse(scalar.string, origin: origin, knownSegments: known)
            conditions.append((condition, Ruleset.Location(file: fileName, line: origin.line, column: origin.column)))
            return (condition, scalar.string)
        } catch let failure as LeadPoolError {
            errors.append(positioned(failure, origin: origin))
            return nil
        } catch {
            errors.append(RulesetIssue(location(node), "\(error)"))
            return nil
        }
    }

    /// Where the condition's text starts in the file: after the opening quote of a quoted
    /// scalar; on the first content line of a block scalar (`|`, `>`).
    private mutating func conditionOrigin(_ scalar: Node.Scalar) -> ConditionOrigin {
        let (markLine, markColumn) = (scalar.mark?.line ?? 1, scalar.mark?.column ?? 1)
        switch scalar.style {
        case .singleQuoted, .doubleQuoted:
            return ConditionOrigin(fileName, line: markLine, column: markColumn + 1)
        case .literal, .folded:
            var line = markLine  // 1-based line of the indicator; content starts below
            while line < lines.count, lines[line].allSatisfy(\.isWhitespace) { line += 1 }
            let indent = line < lines.count ? lines[line].prefix(while: { $0 == " " }).count : 0
            return ConditionOrigin(fileName, line: line + 1, column: indent + 1)
        default:
            return ConditionOrigin(fileName, line: markLine, column: markColumn)
        }
    }

    /// A condition error (`file:L:C: message …`) as an issue at that position.
    private func positioned(_ failure: LeadPoolError, origin: ConditionOrigin) -> RulesetIssue {
        let prefix = origin.name + ":"
        if failure.message.hasPrefix(prefix) {
            let rest = failure.message.dropFirst(prefix.count)
            let parts = rest.split(separator: ":", maxSplits: 2)
            if parts.count == 3, let line = Int(parts[0]), let column = Int(parts[1]) {
                return RulesetIssue(
                    Ruleset.Location(file: fileName, line: line, column: column),
                    String(parts[2].drop(while: { $0 == " " })),
                    hint: failure.hint
                )
            }
        }
        return RulesetIssue(
            Ruleset.Location(file: fileName, line: origin.line, column: origin.column),
            failure.message,
            hint: failure.hint
        )
    }

    private func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if isNull(node) { return "nothing" }
            let text = scalar.string.count > 40 ? String(scalar.string.prefix(39)) + "…" : scalar.string
            return scalar.style == .plain && Double(text) != nil ? text : "'\(text)'"
        }
    }

    // MARK: - Positions

    func location(_ node: Node) -> Ruleset.Location {
        Ruleset.Location(file: fileName, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    private mutating func error(at node: Node, _ message: String, hint: String? = nil) {
        errors.append(RulesetIssue(location(node), message, hint: hint))
    }

    private func yamlError(_ error: any Error) -> RulesetIssue {
        func at(_ mark: Mark, _ message: String) -> RulesetIssue {
            RulesetIssue(Ruleset.Location(file: fileName, line: mark.line, column: mark.column), "YAML: " + message)
        }
        switch error {
        case YamlError.scanner(let context, let problem, let mark, _),
            YamlError.parser(let context, let problem, let mark, _),
            YamlError.composer(let context, let problem, let mark, _):
            return at(mark, problem + (context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""))
        case YamlError.duplicatedKeysInMapping(let duplicates, let context):
            return at(
                context.mark,
                "duplicate key" + (duplicates.count == 1 ? " '\(duplicates[0])'" : "s " + duplicates.map { "'\($0)'" }.joined(separator: ", "))
            )
        case YamlError.reader(let problem, _, _, _):
            return RulesetIssue(Ruleset.Location(file: fileName, line: 1, column: 1), "YAML: cannot read the file: \(problem)")
        default:
            return RulesetIssue(Ruleset.Location(file: fileName, line: 1, column: 1), "YAML: \(error)")
        }
    }
}

extension Ruleset {
    /// The `attr.NAME`s the file's conditions read directly, with where each is first read.
    public var attributesRead: [(name: String, location: Location)] {
        var seen: Set<String> = []
        var found: [(name: String, location: Location)] = []
        let fallback = Location(file: "rules", line: 1, column: 1)
        let conditions: [(Condition, Location?)] =
            icp.map { ($0.when, $0.location) } + segments.map { ($0.condition, $0.location) } + rules.map { ($0.when, $0.location) }
        for (condition, location) in conditions {
            for case .attribute(let name) in condition.operands where seen.insert(name).inserted {
                found.append((name, location ?? fallback))
            }
        }
        return found
    }

    /// A warning for each attribute the conditions read that no lead has (`known`: the names
    /// leads have), with the nearest known name: a misspelt `attr.product_intrest` is false for
    /// every lead, silently.
    func unknownAttributeWarnings(known: Set<String>) -> [RulesetIssue] {
        attributesRead.filter { !known.contains($0.name) }.map { read in
            RulesetIssue(
                read.location,
                "no lead has attr.\(read.name): conditions on it are false for every lead",
                hint: NameSuggestion.nearest(to: read.name, among: known.sorted()).map { "did you mean 'attr.\($0)'?" }
                    ?? "import leads with such a column first, or check the name"
            )
        }
    }
}

extension Ruleset {
    /// `reason` as the rules file spells it when `allowed` lists it (ignoring case), or any
    /// reason when the list is empty; a usage error naming the choices otherwise.
    public static func reason(_ reason: String, among allowed: [String], option: String) throws(LeadPoolError) -> String {
        guard !allowed.isEmpty else { return reason }
        let wanted = reason.trimmingCharacters(in: .whitespaces).lowercased()
        guard let listed = allowed.first(where: { $0.lowercased() == wanted }) else {
            throw LeadPoolError.usage(
                "\(option) '\(reason)' is not one of the rules file's reasons",
                hint: (NameSuggestion.nearest(to: wanted, among: allowed).map { "did you mean '\($0)'? " } ?? "")
                    + "choose one of: \(allowed.joined(separator: ", "))"
            )
        }
        return listed
    }
}

// MARK: - Pool warnings

extension Ruleset {
    /// A pool's `members` naming a team no active rep is in or a handle that is no rep (nobody
    /// joins through them), and `admins` naming a handle that is no rep: the file applies, and
    /// the admin hears of it.
    func poolWarnings(activeTeams: Set<String>, handles: Set<String>) -> [RulesetIssue] {
        var warnings: [RulesetIssue] = []
        for pool in pools {
            let location = pool.location ?? Location(file: "rules", line: 1, column: 1)
            let named = pool.members.map { ("members", $0) } + pool.admins.map { ("admins", Target.rep($0)) }
            for (list, target) in named {
                switch target {
                case .team(let team) where !activeTeams.contains(team):
                    let message = "pool '\(pool.name)': \(list) name team '\(team)', which no active rep is in; nobody joins the pool through it"
                    warnings.append(.unknownTeam(team, among: activeTeams, at: location, message))
                case .rep(let handle) where !handles.contains(handle):
                    warnings.append(
                        .unknownHandle(handle, among: handles, at: location, "pool '\(pool.name)': \(list) name '\(handle)', who is no rep")
                    )
                default: break
                }
            }
        }
        return warnings
    }
}

extension RulesetIssue {
    /// A warning that the file names a team no (active) rep is in, suggesting the nearest team.
    static func unknownTeam(_ team: String, among teams: Set<String>, at location: Ruleset.Location, _ message: String) -> RulesetIssue {
        RulesetIssue(
            location,
            message,
            hint: NameSuggestion.nearest(to: team, among: teams.sorted()).map { "did you mean 'team:\($0)'?" }
                ?? "add reps with `leadpool rep add HANDLE --team \(team)`"
        )
    }

    /// A warning that the file names a handle that is no rep, suggesting the nearest handle
    /// (written after `prefix`, as the file would have it).
    static func unknownHandle(
        _ handle: String,
        among handles: Set<String>,
        at location: Ruleset.Location,
        _ message: String,
        prefix: String = ""
    ) -> RulesetIssue {
        RulesetIssue(
            location,
            message,
            hint: NameSuggestion.nearest(to: handle, among: handles.sorted()).map { "did you mean '\(prefix)\($0)'?" }
                ?? "add the rep with `leadpool rep add \(handle)`"
        )
    }
}

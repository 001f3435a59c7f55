import Foundation

/// The rules file, parsed and validated: defaults, the ICP and its tiers, segments, routing
/// rules and the reclaim policy.
///
/// Read one with ``Ruleset/parse(_:fileName:)`` (or ``Ruleset/check(_:fileName:)`` to get every
/// problem as a value). A missing section takes ``Ruleset/standard``'s value for it; see
/// `examples/rules.yaml` for the documented defaults.
public struct Ruleset: Sendable, Equatable {
    /// Limits for reps who have none of their own.
    public var defaults: Defaults
    /// Score bands, best first; the last has minimum 0 and is the floor.
    public var tiers: [TierBand]
    /// The ideal customer profile: the criteria a lead's fit score sums.
    public var icp: [Criterion]
    /// Named conditions, in file order.
    public var segments: [Segment]
    /// Routing rules, in file order: the first whose `when` holds routes a lead.
    public var rules: [Rule]
    /// When owned leads go back to the pool.
    public var reclaim: ReclaimPolicy
    /// `hidden:` — fields hidden from reps like contact fields, beyond those the SPEC names.
    public var hidden: [Condition.Operand]
    /// `release-reasons:` — the reasons `release --reason` takes; empty = any text.
    public var releaseReasons: [String] = []
    /// `disqualify-reasons:` — the reasons `disqualify --reason` takes; empty = any text.
    public var disqualifyReasons: [String] = []
    /// `timezone:` — the team's zone, for reps without their own (default UTC).
    public var clock: TeamClock = .utc
    /// `working-hours:` — the team's hours, for reps without their own; nil = not set (always).
    public var workingHours: WorkingHours?
    /// `pools:` — the named pools in file order; empty = one pool `main` open to everyone.
    public var pools: [Pool] = []
    /// `first-touch:` — the deadline for acting on a lead given to a rep; nil = none.
    public var firstTouch: FirstTouchPolicy?
    /// `notify:` — how digest mails are sent.
    public var notify: NotifySettings = .standard

    public init(
        defaults: Defaults = .standard,
        tiers: [TierBand] = TierBand.standard,
        icp: [Criterion] = [],
        segments: [Segment] = [],
        rules: [Rule] = [],
        reclaim: ReclaimPolicy = .standard,
        hidden: [Condition.Operand] = []
    ) {
        self.defaults = defaults
        self.tiers = tiers
        self.icp = icp
        self.segments = segments
        self.rules = rules
        self.reclaim = reclaim
        self.hidden = hidden
    }

    /// The largest rules file read, in bytes.
    public static let maximumFileSize = 1 << 20

    /// The most predicates and list values all conditions of a rules file may hold together, with
    /// their segments written out (each condition alone: ``Condition/maximumExpandedTerms``).
    public static let maximumExpandedTerms = 100_000

    /// The ruleset of an empty file: every section at its default.
    public static let standard = Ruleset()

    /// The segment conditions by name, for a ``ConditionContext``.
    public var segmentConditions: [String: Condition] {
        Dictionary(segments.map { ($0.name, $0.condition) }, uniquingKeysWith: { first, _ in first })
    }

    /// The context conditions of this ruleset evaluate in: the clock and the segments.
    public func conditionContext(now: Date) -> ConditionContext {
        ConditionContext(now: now, segments: segmentConditions)
    }

    /// Who may read which fields under this ruleset.
    public var visibility: Visibility {
        Visibility(hidden: hidden, poolHidden: Dictionary(pools.filter { !$0.hidden.isEmpty }.map { ($0.name, $0.hidden) }) { a, _ in a })
    }

    /// The segment named `name`, or nil.
    public func segment(named name: String) -> Segment? { segments.first { $0.name == name } }

    /// The segment named `name`.
    ///
    /// - Throws: `LeadPoolError.notFound` (exit 66), suggesting the nearest segment name.
    public func requireSegment(_ name: String) throws -> Segment {
        if let segment = segment(named: name) { return segment }
        let names = segments.map(\.name)
        throw LeadPoolError.notFound(
            "no segment named '\(name)'",
            hint: NameSuggestion.nearest(to: name, among: names).map { "did you mean '\($0)'?" }
                ?? (names.isEmpty ? "the ruleset defines no segments" : "segments: " + names.joined(separator: ", "))
        )
    }
}

// MARK: - Sections

extension Ruleset {
    /// Where something was written in the rules file (1-based), for messages.
    public struct Location: Sendable, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var column: Int

        public init(file: String, line: Int, column: Int) {
            self.file = file
            self.line = line
            self.column = column
        }

        /// `rules.yaml:12:7`.
        public var description: String { "\(file):\(line):\(column)" }
    }

    /// `defaults:` — the limits a rep without their own gets.
    public struct Defaults: Sendable, Equatable {
        /// Most open and qualified leads a rep holds at once.
        public var capacity: Int
        /// Most self-claims a rep makes per day.
        public var dailyLimit: Int

        public init(capacity: Int, dailyLimit: Int) {
            self.capacity = capacity
            self.dailyLimit = dailyLimit
        }

        /// `{ capacity: 50, daily-limit: 20 }`.
        public static let standard = Defaults(capacity: 50, dailyLimit: 20)
    }

    /// One score band: leads scoring `minimum` or more (and less than the band above) get `name`.
    public struct TierBand: Sendable, Equatable {
        public var name: String
        /// The lowest score in the band, 0–100.
        public var minimum: Int
        /// The floor the file did not name (`D` below the last band).
        public var isImplicitFloor: Bool

        public init(_ name: String, minimum: Int, isImplicitFloor: Bool = false) {
            self.name = name
            self.minimum = minimum
            self.isImplicitFloor = isImplicitFloor
        }

        /// `{ A: 80, B: 60, C: 40 }`, below 40: `D`.
        public static let standard = [
            TierBand("A", minimum: 80), TierBand("B", minimum: 60), TierBand("C", minimum: 40),
            TierBand(implicitFloorName, minimum: 0, isImplicitFloor: true),
        ]

        /// The tier below the last band when the file names no band at 0.
        public static let implicitFloorName = "D"
    }

    /// One ICP criterion: a lead meeting `when` earns `points` (negative points are a penalty).
    public struct Criterion: Sendable, Equatable {
        public var name: String
        public var when: Condition
        /// The condition as written in the file.
        public var text: String
        public var points: Int
        public var location: Location?

        public init(name: String, when: Condition, text: String? = nil, points: Int, location: Location? = nil) {
            self.name = name
            self.when = when
            self.text = text ?? when.description
            self.points = points
            self.location = location
        }
    }

    /// A named condition over leads.
    public struct Segment: Sendable, Equatable {
        public var name: String
        public var condition: Condition
        /// The condition as written in the file.
        public var text: String
        public var location: Location?

        public init(name: String, condition: Condition, text: String? = nil, location: Location? = nil) {
            self.name = name
            self.condition = condition
            self.text = text ?? condition.description
            self.location = location
        }
    }

    /// How a rule picks one rep among a lead's candidates: the planner's strategies, spelled as in the file.
    public typealias Strategy = LeadPoolCore.Strategy

    /// Who a rule routes to: `team:NAME` or `rep:HANDLE` (a list item may be a bare handle).
    public enum Target: Sendable, Equatable, CustomStringConvertible {
        case team(String)
        case rep(String)

        /// `team:emea`, `rep:alice`.
        public var description: String {
            switch self {
            case .team(let name): "team:" + name
            case .rep(let handle): "rep:" + handle
            }
        }
    }

    /// A routing rule.
    public struct Rule: Sendable, Equatable {
        public var name: String
        public var when: Condition
        /// The condition as written in the file.
        public var text: String
        /// Everyone named by `to:`; empty when the rule moves leads to ``toPool``.
        public var targets: [Target]
        /// `to: pool:P` — the rule moves the leads it routes into pool P instead of to a rep.
        public var toPool: String?
        /// `pool:` — the rule looks only at leads of this pool; nil: every pool.
        public var pool: String?
        public var strategy: Strategy
        /// Only reps whose territories cover the lead's country or region are candidates.
        public var territory: Bool
        /// `per-round`: most leads one rep gets from this rule in one round; nil: no cap.
        public var perRound: Int?
        /// `working-only`: only reps inside their working hours at the round's clock are candidates.
        public var workingOnly: Bool
        public var location: Location?
        /// Where `to:` was written, for warnings about unknown teams and reps.
        public var targetLocation: Location?

        public init(
            name: String,
            when: Condition,
            text: String? = nil,
            targets: [Target],
            strategy: Strategy = .roundRobin,
            territory: Bool = false,
            perRound: Int? = nil,
            workingOnly: Bool = false,
            location: Location? = nil,
            targetLocation: Location? = nil,
            toPool: String? = nil,
            pool: String? = nil
        ) {
            self.toPool = toPool
            self.pool = pool
            self.name = name
            self.when = when
            self.text = text ?? when.description
            self.targets = targets
            self.strategy = strategy
            self.territory = territory
            self.perRound = perRound
            self.workingOnly = workingOnly
            self.location = location
            self.targetLocation = targetLocation
        }

        /// The handles of the reps `to:` names that exist, sorted: members of each team, named reps.
        public func handles(among reps: [Rep]) -> [String] {
            var handles = Set<String>()
            for target in targets {
                switch target {
                case .team(let team): handles.formUnion(reps.filter { $0.team == team }.map(\.handle))
                case .rep(let handle): if reps.contains(where: { $0.handle == handle }) { handles.insert(handle) }
                }
            }
            return handles.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
    }

    /// `reclaim:` — when owned open leads go back to the pool.
    public struct ReclaimPolicy: Sendable, Equatable {
        /// Reclaim when idle this many days or more.
        public var noActivityDays: Int
        /// Reclaim when held this many days or more.
        public var maxHoldDays: Int
        /// Days the previous owner may not get the lead back.
        public var cooldownDays: Int
        /// `reclaim --warn` lists leads reclaimed within this many days.
        public var warnDays: Int
        /// Leads matching this are never reclaimed (an inactive rep's leads aside).
        public var exempt: Condition?
        public var exemptText: String?
        /// Per-lead thresholds; the first whose `when` holds wins.
        public var overrides: [Override]

        public init(
            noActivityDays: Int,
            maxHoldDays: Int,
            cooldownDays: Int,
            warnDays: Int,
            exempt: Condition? = nil,
            exemptText: String? = nil,
            overrides: [Override] = []
        ) {
            self.noActivityDays = noActivityDays
            self.maxHoldDays = maxHoldDays
            self.cooldownDays = cooldownDays
            self.warnDays = warnDays
            self.exempt = exempt
            self.exemptText = exemptText ?? exempt?.description
            self.overrides = overrides
        }

        /// 14 idle days, 60 held days, 7 cooldown days, 3 warn days, nothing exempt.
        public static let standard = ReclaimPolicy(noActivityDays: 14, maxHoldDays: 60, cooldownDays: 7, warnDays: 3)

        /// One override: a threshold it leaves nil is the policy's.
        public struct Override: Sendable, Equatable {
            public var when: Condition
            public var text: String
            public var noActivityDays: Int?
            public var maxHoldDays: Int?

            public init(when: Condition, text: String? = nil, noActivityDays: Int? = nil, maxHoldDays: Int? = nil) {
                self.when = when
                self.text = text ?? when.description
                self.noActivityDays = noActivityDays
                self.maxHoldDays = maxHoldDays
            }
        }
    }
}

// MARK: - Tiers

extension Ruleset {
    /// The tier of a score: the first band (best first) whose minimum it reaches.
    public func tier(for score: Int) -> String {
        for band in tiers where score >= band.minimum { return band.name }
        return tiers.last?.name ?? TierBand.implicitFloorName
    }
}

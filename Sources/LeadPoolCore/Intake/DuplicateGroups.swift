/// Which rows of an import are one lead, decided so that the outcome does not depend on the
/// order of the rows (SPEC "Duplicates").
///
/// The rule:
/// - A row that matches an existing lead (by external id, else email, else domain: what the
///   store finds for it, ``add(line:externalID:email:domain:anchor:newLead:)``'s `anchor`) is a
///   duplicate of that lead.
/// - Rows that share an external id or a normalized email are one group, directly or through
///   other rows (A and B share an email, B and C an id: A, B and C are one). A row with neither
///   joins every row with its domain (as it would match any lead with that domain, and a row
///   with an id or email would match a lead made from it).
/// - A group with rows that matched existing leads is the lowest-numbered of those leads: its
///   other rows are duplicates of it. Any other group is one new lead, made by its first row
///   (in file order) that has an external id or email, else its first row; the rest of the
///   group are its duplicates.
///
/// Rows come one at a time, as the import reads them; a row that may make a lead makes one at
/// once (``add`` says so), and ``resolve()`` says at the end which of those leads a later row
/// folded into another group (to remove) and of what each duplicate row is a duplicate.
///
/// Memory is about 22 bytes a row and 16 to 32 a key (each row's external id, email and
/// domain): the bench's million rows peaked at 190 MiB against 101 before (measured with a
/// dictionary of the new leads' lines, since replaced by an array).
public struct DuplicateGroups: Sendable {
    /// The key a duplicate is reported by, strongest last.
    public enum Key: UInt8, Sendable, Comparable {
        case domain = 1
        case email = 2
        case externalID = 3

        public static func < (a: Key, b: Key) -> Bool { a.rawValue < b.rawValue }

        /// `external_id`, `email` or `domain`, as `--duplicates` names it.
        public var column: String {
            switch self {
            case .externalID: "external_id"
            case .email: "email"
            case .domain: "domain"
            }
        }

        /// `same external_id`, `same email` or `same domain`, as the summary counts skips.
        public var reason: String { "same " + column }
    }

    /// A row that is not the one its lead was made from.
    public struct Duplicate: Sendable, Equatable {
        /// The row's index (the order ``add`` saw it in) and line.
        public var row: Int
        public var line: Int
        public var lead: Int64
        public var key: Key
        /// The line of the row that made `lead`, when this import made it.
        public var leadLine: Int?
    }

    /// What ``resolve()`` decided.
    public struct Resolution: Sendable, Equatable {
        /// Leads a row made that belong to another lead's group after all: to remove.
        public var surplus: [Int64] = []
        /// The new leads that stay, with the line of the row that made each, in row order.
        public var newLeads: [(lead: Int64, line: Int)] = []
        /// Every other row, in row order.
        public var duplicates: [Duplicate] = []

        public static func == (a: Resolution, b: Resolution) -> Bool {
            a.surplus == b.surplus && a.duplicates == b.duplicates
                && a.newLeads.map(\.lead) == b.newLeads.map(\.lead) && a.newLeads.map(\.line) == b.newLeads.map(\.line)
        }
    }

    // Per row, by index.
    private var parent: [UInt32] = []
    /// The existing lead the row matched, or the lead it made; 0 for neither.
    private var lead: [Int64] = []
    private var lines: [UInt32] = []
    /// ``Flag`` bits, and the strongest key the row shares with its group in the top bits.
    private var info: [UInt8] = []
    /// The next row with the same domain, among rows with an id or email (no domain-only row yet).
    private var nextWithDomain: [UInt32] = []
    /// Per group root: ``GroupFlag`` bits.
    private var groupInfo: [UInt8] = []
    private var table = KeyTable()
    /// The lines of the rows that made leads, by lead (the leads made are consecutive ids).
    private var madeLines: [UInt32] = []
    private var firstMade: Int64 = 0

    private enum Flag {
        static let anchored: UInt8 = 1
        static let made: UInt8 = 2
        static let hasIDOrEmail: UInt8 = 4
        static let keyShift: UInt8 = 4
    }

    private enum GroupFlag {
        static let anchored: UInt8 = 1
        static let madeByIDOrEmail: UInt8 = 2
        static let madeByDomain: UInt8 = 4
    }

    private static let none = UInt32.max

    public init() {}

    /// How many rows it has seen.
    public var count: Int { parent.count }

    /// Takes the next row: its external id, normalized email and domain, and the existing lead
    /// it matched (with the key), if any. Returns true when the row makes a new lead, `newLead`
    /// (for now: ``resolve()`` may fold it into another).
    public mutating func add(
        line: Int,
        externalID: String?,
        email: String?,
        domain: String?,
        anchor: (lead: Int64, key: Key)?,
        newLead: Int64
    ) -> Bool {
        let row = UInt32(parent.count)
        let hasIDOrEmail = externalID != nil || email != nil
        parent.append(row)
        lead.append(anchor?.lead ?? 0)
        lines.append(UInt32(clamping: line))
        info.append((anchor == nil ? 0 : Flag.anchored) | (hasIDOrEmail ? Flag.hasIDOrEmail : 0))
        nextWithDomain.append(Self.none)
        groupInfo.append(anchor == nil ? 0 : GroupFlag.anchored)
        if let anchor { share(anchor.key, row) }

        if let externalID { link(row, .externalID, externalID, as: .externalID) }
        if let email { link(row, .email, email, as: .email) }
        if let domain {
            if hasIDOrEmail {
                if let other = table.lookup(.domainOnlyRow, domain) {
                    join(row, other, by: .domain)
                } else {
                    // No domain-only row yet: list the row, for when one comes.
                    nextWithDomain[Int(row)] = table.exchange(.domainList, domain, row) ?? Self.none
                }
            } else if let other = table.first(.domainOnlyRow, domain, else: row) {
                join(row, other, by: .domain)
            } else if var other = table.lookup(.domainList, domain) {
                // The first domain-only row with the domain: it joins every row listed with it.
                while other != Self.none {
                    join(row, other, by: .domain)
                    other = nextWithDomain[Int(other)]
                }
            }
        }

        let root = Int(find(row))
        guard anchor == nil else { return false }
        let flags = groupInfo[root]
        let makes =
            flags & (GroupFlag.anchored | GroupFlag.madeByIDOrEmail) == 0
            && (hasIDOrEmail || flags & GroupFlag.madeByDomain == 0)
        if makes {
            if madeLines.isEmpty { firstMade = newLead }
            precondition(newLead == firstMade + Int64(madeLines.count), "new leads are consecutive")
            madeLines.append(UInt32(clamping: line))
            lead[Int(row)] = newLead
            info[Int(row)] |= Flag.made
            groupInfo[root] |= hasIDOrEmail ? GroupFlag.madeByIDOrEmail : GroupFlag.madeByDomain
        }
        return makes
    }

    /// Which leads stay, which go and of what each other row is a duplicate.
    public mutating func resolve() -> Resolution {
        let n = parent.count
        // Per root: the group's lead, and its rank (3 an existing lead, 2 made by a row with an
        // id or email, 1 made by a domain-only row); lower ids first within a rank.
        var best = [Int64](repeating: 0, count: n)
        var rank = [UInt8](repeating: 0, count: n)
        for row in 0..<n {
            let flags = info[row]
            let candidate: UInt8 =
                flags & Flag.anchored != 0 ? 3 : flags & Flag.made == 0 ? 0 : flags & Flag.hasIDOrEmail != 0 ? 2 : 1
            guard candidate > 0 else { continue }
            let root = Int(find(UInt32(row)))
            if candidate > rank[root] || (candidate == rank[root] && lead[row] < best[root]) {
                rank[root] = candidate
                best[root] = lead[row]
            }
        }
        var resolution = Resolution()
        for row in 0..<n {
            let flags = info[row]
            let line = Int(lines[row])
            if flags & Flag.anchored != 0 {
                resolution.duplicates.append(Duplicate(row: row, line: line, lead: lead[row], key: sharedKey(row), leadLine: nil))
                continue
            }
            let target = best[Int(find(UInt32(row)))]
            if flags & Flag.made != 0 {
                if lead[row] == target {
                    resolution.newLeads.append((target, line))
                    continue
                }
                resolution.surplus.append(lead[row])
            }
            resolution.duplicates.append(Duplicate(row: row, line: line, lead: target, key: sharedKey(row), leadLine: madeLine(target)))
        }
        return resolution
    }

    /// The line of the row that made `lead`, if a row did.
    private func madeLine(_ lead: Int64) -> Int? {
        let index = lead - firstMade
        return !madeLines.isEmpty && index >= 0 && index < madeLines.count ? Int(madeLines[Int(index)]) : nil
    }

    /// The strongest key the row shares with its group (or matched its lead by).
    private func sharedKey(_ row: Int) -> Key {
        Key(rawValue: info[row] >> Flag.keyShift) ?? .domain
    }

    private mutating func share(_ key: Key, _ row: UInt32) {
        let current = info[Int(row)] >> Flag.keyShift
        if key.rawValue > current { info[Int(row)] = info[Int(row)] & 0x0F | key.rawValue << Flag.keyShift }
    }

    /// Joins the row to the first row with the key, or makes it that row.
    private mutating func link(_ row: UInt32, _ kind: KeyTable.Kind, _ value: String, as key: Key) {
        if let other = table.first(kind, value, else: row) { join(row, other, by: key) }
    }

    private mutating func join(_ a: UInt32, _ b: UInt32, by key: Key) {
        share(key, a)
        share(key, b)
        let (ra, rb) = (find(a), find(b))
        guard ra != rb else { return }
        // The older root stays: roots are rows, so a group's root is its earliest row seen.
        let (root, child) = ra < rb ? (ra, rb) : (rb, ra)
        parent[Int(child)] = root
        groupInfo[Int(root)] |= groupInfo[Int(child)]
    }

    private mutating func find(_ row: UInt32) -> UInt32 {
        var row = row
        while parent[Int(row)] != row {
            let up = parent[Int(parent[Int(row)])]
            parent[Int(row)] = up
            row = up
        }
        return row
    }
}

/// Keys (a kind and a string) to row indexes, by a 96-bit hash of each: two keys that share
/// one are about as likely as once in 10^16 imports of a million rows, so the strings are not
/// kept. Open addressing, at most three quarters full.
struct KeyTable: Sendable {
    enum Kind: UInt8 {
        case externalID, email, domainOnlyRow, domainList
    }

    private var high: [UInt64]
    private var low: [UInt32]
    private var rows: [UInt32]
    private var used = 0

    init() {
        high = Array(repeating: 0, count: 1 << 12)
        low = Array(repeating: 0, count: 1 << 12)
        rows = Array(repeating: 0, count: 1 << 12)
    }

    /// The row recorded for the key.
    mutating func lookup(_ kind: Kind, _ value: String) -> UInt32? {
        let (slot, found, _, _) = probe(kind, value)
        return found ? rows[slot] : nil
    }

    /// The row recorded for the key; if none, records `row` and returns nil.
    mutating func first(_ kind: Kind, _ value: String, else row: UInt32) -> UInt32? {
        let (slot, found, h, l) = probe(kind, value)
        if found { return rows[slot] }
        fill(slot, h, l, row)
        return nil
    }

    /// Records `row` for the key and returns the row recorded before, if any.
    mutating func exchange(_ kind: Kind, _ value: String, _ row: UInt32) -> UInt32? {
        let (slot, found, h, l) = probe(kind, value)
        if found {
            defer { rows[slot] = row }
            return rows[slot]
        }
        fill(slot, h, l, row)
        return nil
    }

    private mutating func fill(_ slot: Int, _ h: UInt64, _ l: UInt32, _ row: UInt32) {
        high[slot] = h
        low[slot] = l
        rows[slot] = row
        used += 1
    }

    /// The slot holding the key, or the empty slot where it would go (the table has room for it).
    private mutating func probe(_ kind: Kind, _ value: String) -> (Int, Bool, UInt64, UInt32) {
        var value = value
        var first = Hasher()
        var second = Hasher()
        first.combine(kind.rawValue)
        second.combine(kind.rawValue | 0x80)
        value.withUTF8 { bytes in
            first.combine(bytes: UnsafeRawBufferPointer(bytes))
            second.combine(bytes: UnsafeRawBufferPointer(bytes))
        }
        var h = UInt64(bitPattern: Int64(first.finalize()))
        if h == 0 { h = 1 }  // 0 marks an empty slot
        let l = UInt32(truncatingIfNeeded: second.finalize())
        if (used + 1) * 4 > high.count * 3 { grow() }
        let mask = high.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while high[slot] != 0 {
            if high[slot] == h && low[slot] == l { return (slot, true, h, l) }
            slot = (slot + 1) & mask
        }
        return (slot, false, h, l)
    }

    private mutating func grow() {
        let (oldHigh, oldLow, oldRows) = (high, low, rows)
        let size = oldHigh.count * 2
        high = Array(repeating: 0, count: size)
        low = Array(repeating: 0, count: size)
        rows = Array(repeating: 0, count: size)
        let mask = size - 1
        for index in oldHigh.indices where oldHigh[index] != 0 {
            var slot = Int(truncatingIfNeeded: oldHigh[index]) & mask
            while high[slot] != 0 { slot = (slot + 1) & mask }
            high[slot] = oldHigh[index]
            low[slot] = oldLow[index]
            rows[slot] = oldRows[index]
        }
    }
}

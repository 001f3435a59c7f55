import LeadPoolCore
import LeadPoolStorage

/// The dedup keys of every existing lead a large import can match, in memory, so that the import can
/// drop the dedup indexes and build them once at the end: for each key (its kind and its
/// bytes) a 64-bit hash, and the first lead that has it.
///
/// A hash only says "maybe": whoever finds a lead here compares that lead's real key before
/// calling it a duplicate, and a mismatch (two keys with one hash, about once in 10^12
/// imports of a million rows) is settled by an exact query.
///
/// Memory is 12 bytes a slot, a slot per 0.7 keys, and at most ``Limits/keys`` keys: an
/// import into a database with more keys goes row by row, so the table stays within about
/// 100 MiB.
struct ImportKeys {
    /// How big the table may grow and how much of each hash it keeps.
    struct Limits {
        /// 70% of 2^23 slots (96 MiB), so that the table never doubles past them.
        var keys = (1 << 23) / 10 * 7
        /// 64; fewer only for tests that need keys to share hashes.
        var hashBits = 64
    }

    /// A key's hash, never 0 (0 marks an empty slot).
    private var hashes: [UInt64]
    /// The lead, as its distance from `base` (lead ids of one database span far less than 2^32).
    private var leads: [UInt32]
    private let base: Int64
    private(set) var count = 0
    private let keyLimit: Int
    private let hashMask: UInt64

    /// A table for leads with ids from `base` up to `base + UInt32.max`.
    init(base: Int64, limits: Limits) {
        self.base = base
        keyLimit = limits.keys
        hashMask = limits.hashBits >= 64 ? .max : (1 << UInt64(limits.hashBits)) - 1
        hashes = Array(repeating: 0, count: 1 << 16)
        leads = Array(repeating: 0, count: 1 << 16)
    }

    /// Whether `id` can be kept (it is within 2^32 of the base).
    func holds(_ id: Int64) -> Bool { id >= base && id - base <= Int64(UInt32.max) }

    /// Whether the table has room for `more` keys.
    func hasRoom(for more: Int) -> Bool { count + more <= keyLimit }

    /// The hash of a key: its kind and its UTF-8 bytes (as SQLite compares them, with no
    /// Unicode normalization).
    func hash(_ key: LeadDraft.MatchKey) -> UInt64 {
        var hasher = Hasher()
        var value: String
        switch key {
        case .externalID(let text):
            hasher.combine(0 as UInt8)
            value = text
        case .email(let text):
            hasher.combine(1 as UInt8)
            value = text
        case .domain(let text):
            hasher.combine(2 as UInt8)
            value = text
        case .domainOnly(let text):
            hasher.combine(3 as UInt8)
            value = text
        }
        value.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        let hash = UInt64(bitPattern: Int64(hasher.finalize())) & hashMask
        return hash == 0 ? 1 : hash
    }

    /// The first lead recorded with `hash`, if any.
    func lead(_ hash: UInt64) -> Int64? {
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while hashes[slot] != 0 {
            if hashes[slot] == hash { return base + Int64(leads[slot]) }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Records `id` under `hash` unless a lead is recorded under it already (the first stays).
    mutating func insert(_ hash: UInt64, lead id: Int64) {
        if (count + 1) * 10 > hashes.count * 7 { grow() }
        let mask = hashes.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while hashes[slot] != 0 {
            if hashes[slot] == hash { return }
            slot = (slot + 1) & mask
        }
        hashes[slot] = hash
        leads[slot] = UInt32(id - base)
        count += 1
    }

    private mutating func grow() {
        let (oldHashes, oldLeads) = (hashes, leads)
        hashes = Array(repeating: 0, count: oldHashes.count * 2)
        leads = Array(repeating: 0, count: oldHashes.count * 2)
        count = 0
        for (slot, hash) in oldHashes.enumerated() where hash != 0 {
            insert(hash, lead: base + Int64(oldLeads[slot]))
        }
    }
}

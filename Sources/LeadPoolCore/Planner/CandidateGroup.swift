/// The reps that can be candidates for a set of leads (a rule, or a rule and a territory),
/// minus the cooldown rep of each lead, with what each strategy needs to pick fast.
///
/// Reps are numbers in handle order. Fullness only grows during a round, so a full rep is
/// dropped for good, lazily, when a search meets it.
final class CandidateGroup {
    /// Rep numbers, ascending.
    let members: [Int32]
    /// Union-find "next member at or after i that may still have room"; `members.count` ends it.
    private var next: [Int32]
    /// Least-loaded only: a min-heap on (held/capacity, held, number), with each entry's
    /// held as it was when pushed. Loads only rise, so a stale entry is re-pushed when it
    /// surfaces and the first fresh top is the true minimum.
    private var heap: [Entry] = []

    struct Entry {
        var rep: Int32
        var held: Int
    }

    /// The rule's leads given per rep number this round, and its `per-round` (`Int.max`: none).
    /// A member at the cap is out for the rest of the round, as a full one is.
    private let ruleGiven: RuleGiven
    /// `ruleGiven.cap`, kept here so an uncapped rule's checks never read the shared counts.
    private let cap: Int
    /// Union-find over members for "may still have room", ignoring the per-round cap; only
    /// built for a capped rule, to tell a per-round-limited lead from a no-capacity one.
    private var nextWithRoom: [Int32] = []

    init(members: [Int32], strategy: Strategy, held: [Int], capacity: [Int], ruleGiven: RuleGiven) {
        self.members = members
        self.ruleGiven = ruleGiven
        self.cap = ruleGiven.cap
        self.next = (0...members.count).map { Int32($0) }
        if ruleGiven.cap != Int.max { nextWithRoom = next }
        if strategy == .leastLoaded {
            heap = members.map { Entry(rep: $0, held: held[Int($0)]) }
            for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) {
                siftDown(i, capacity: capacity)
            }
        }
    }

    // MARK: - Round-robin

    /// The first member with room at or after rep number `start`, wrapping, that is not `excluded`.
    func nextRoundRobin(from start: Int, excluding excluded: Int32, held: [Int], capacity: [Int]) -> Int32? {
        let end = members.count
        let from = members.partitioningIndex { Int($0) >= start }
        var first = live(from: from, held: held, capacity: capacity)
        if first == end { first = live(from: 0, held: held, capacity: capacity) }
        if first == end { return nil }
        if members[first] != excluded { return members[first] }
        var second = live(from: first + 1, held: held, capacity: capacity)
        if second == end { second = live(from: 0, held: held, capacity: capacity) }
        if second == end || second == first { return nil }
        return members[second]
    }

    // MARK: - Weighted

    /// Smooth weighted round-robin over the members with room, except `excluded`: each adds
    /// its weight to its total, the largest total (first in handle order on a tie) wins and
    /// gives back the sum of the weights. Returns the winner and its total before giving back.
    func weighted(
        excluding excluded: Int32,
        held: [Int],
        capacity: [Int],
        weight: [Int],
        totals: inout [Int]
    ) -> (rep: Int32, total: Int)? {
        var best: Int32 = -1
        var bestTotal = Int.min
        var sum = 0
        var i = live(from: 0, held: held, capacity: capacity)
        while i < members.count {
            let rep = members[i]
            if rep != excluded {
                let r = Int(rep)
                totals[r] += weight[r]
                sum += weight[r]
                if totals[r] > bestTotal {
                    best = rep
                    bestTotal = totals[r]
                }
            }
            i = live(from: i + 1, held: held, capacity: capacity)
        }
        guard best >= 0 else { return nil }
        totals[Int(best)] -= sum
        return (best, bestTotal)
    }

    // MARK: - Least-loaded

    /// The member with the lowest held/capacity, then fewest held, then first handle, that
    /// has room and is not `excluded`.
    func leastLoaded(excluding excluded: Int32, held: [Int], capacity: [Int]) -> Int32? {
        guard let top = freshTop(held: held, capacity: capacity) else { return nil }
        if top.rep != excluded { return top.rep }
        let aside = top
        pop(capacity: capacity)
        let second = freshTop(held: held, capacity: capacity)
        push(aside, capacity: capacity)
        return second?.rep
    }

    private func freshTop(held: [Int], capacity: [Int]) -> Entry? {
        while let top = heap.first {
            let r = Int(top.rep)
            let now = held[r]
            if now >= capacity[r] || !belowCap(r) {
                pop(capacity: capacity)
            } else if now != top.held {
                heap[0].held = now
                siftDown(0, capacity: capacity)
            } else {
                return top
            }
        }
        return nil
    }

    @inline(__always)
    private func less(_ a: Entry, _ b: Entry, capacity: [Int]) -> Bool {
        // a.held/ca < b.held/cb, exactly: a.held·cb < b.held·ca, in double width.
        let ca = capacity[Int(a.rep)]
        let cb = capacity[Int(b.rep)]
        let left = a.held.multipliedFullWidth(by: cb)
        let right = b.held.multipliedFullWidth(by: ca)
        if left != right { return left < right }
        if a.held != b.held { return a.held < b.held }
        return a.rep < b.rep
    }

    private func pop(capacity: [Int]) {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0, capacity: capacity)
    }

    private func push(_ entry: Entry, capacity: [Int]) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent], capacity: capacity) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private func siftDown(_ start: Int, capacity: [Int]) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var smallest = left
            if left + 1 < heap.count, less(heap[left + 1], heap[left], capacity: capacity) { smallest = left + 1 }
            guard less(heap[smallest], heap[parent], capacity: capacity) else { return }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
    }

    // MARK: - Members with room

    /// The first member at or after `index` with room and below the rule's per-round cap
    /// (`members.count` when none), dropping the ones it passes for good.
    private func live(from index: Int, held: [Int], capacity: [Int]) -> Int {
        var i = Self.find(index, in: &next)
        while i < members.count {
            let r = Int(members[i])
            if held[r] < capacity[r] && belowCap(r) { return i }
            next[i] = Int32(i + 1)
            i = Self.find(i + 1, in: &next)
        }
        return i
    }

    @inline(__always)
    private func belowCap(_ rep: Int) -> Bool {
        cap == Int.max || ruleGiven.count[rep] < cap
    }

    /// Whether a member other than `excluded` has room, the per-round cap aside: when no
    /// member is live, whether the cap alone left the lead without a candidate.
    func anyWithRoomIgnoringCap(excluding excluded: Int32, held: [Int], capacity: [Int]) -> Bool {
        guard !nextWithRoom.isEmpty else { return false }
        var i = Self.find(0, in: &nextWithRoom)
        while i < members.count {
            let r = Int(members[i])
            if held[r] < capacity[r] {
                if members[i] != excluded { return true }
                i = Self.find(i + 1, in: &nextWithRoom)
                continue
            }
            nextWithRoom[i] = Int32(i + 1)
            i = Self.find(i + 1, in: &nextWithRoom)
        }
        return false
    }

    private static func find(_ index: Int, in next: inout [Int32]) -> Int {
        var root = index
        while Int(next[root]) != root { root = Int(next[root]) }
        var i = index
        while Int(next[i]) != root {
            let following = Int(next[i])
            next[i] = Int32(root)
            i = following
        }
        return root
    }
}

/// A rule's leads given per rep number in the round so far, with its `per-round` cap.
/// Shared by the rule's candidate groups; counts only grow during a round.
final class RuleGiven {
    var count: [Int]
    /// `Int.max` when the rule has no cap.
    let cap: Int

    init(reps: Int, cap: Int?) {
        self.count = Array(repeating: 0, count: reps)
        self.cap = cap ?? Int.max
    }
}

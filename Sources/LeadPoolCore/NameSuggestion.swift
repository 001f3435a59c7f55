/// Nearest-name suggestions for error messages ("did you mean …?"), one rule everywhere:
/// conditions, rules files, CSV headers and `--map`, the CLI.
public enum NameSuggestion {
    /// The candidate nearest to `name` by edit distance, when near enough to be a likely typo.
    public static func nearest(to name: String, among candidates: some Sequence<String>) -> String? {
        let lowered = name.lowercased()
        let limit = max(1, min(3, lowered.count / 2))
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(lowered, candidate.lowercased())
            if d <= limit, d < (best?.1 ?? .max) { best = (candidate, d) }
        }
        return best?.0
    }

    /// Levenshtein distance over characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

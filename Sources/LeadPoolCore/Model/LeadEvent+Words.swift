import Foundation

extension LeadEvent {
    /// The event's detail as a reader of `history` wants it: `from leads.csv line 13`,
    /// `call: left a voicemail`, `tags webinar, fair`. Bookkeeping kept for `check` (the limits a
    /// claim was checked against and the local day it counted in, a reclaim's cause and runner, already said by its reason) is
    /// left out; times (a first-touch deadline) are written by `clock`; keys this does not know
    /// are shown as `key value`. Nil when nothing is left.
    public func detailWords(clock: TeamClock) -> String? {
        guard let detail, let object = (try? JSONSerialization.jsonObject(with: Data(detail.utf8))) as? [String: Any] else {
            return nil
        }
        var words: [String] = []
        var rest = object
        if let file = rest.removeValue(forKey: "file") as? String {
            let line = rest.removeValue(forKey: "line").map { " line \(Self.text($0))" } ?? ""
            words.append("from \(file)\(line)")
        }
        if let kind = rest.removeValue(forKey: "kind") as? String {
            let note = rest.removeValue(forKey: "note").map { ": \(Self.text($0))" } ?? ""
            words.append(kind + note)
        }
        if let tags = rest.removeValue(forKey: "tags") as? [Any] {
            words.append("tags " + tags.map(Self.text).joined(separator: ", "))
        }
        // A move between pools: "pool east → recycle".
        if kind == .moved, let from = rest["from"] as? String, let to = rest["to"] as? String {
            rest["from"] = nil
            rest["to"] = nil
            words.append("pool \(from) → \(to)")
        }
        if let deadline = rest["deadline"] as? String, let instant = Timestamp.parse(deadline) {
            rest["deadline"] = nil
            words.append("deadline \(clock.time(instant))")
        }
        for key in ["capacity", "daily_limit", "day", "cause", "run_by", "pool_daily_limit"] { rest.removeValue(forKey: key) }
        for key in rest.keys.sorted() {
            // A correction (`lead update`): "phone: +49 30 1 → +49 30 2".
            if let change = rest[key] as? [Any], change.count == 2 {
                let (old, new) = (change[0] is NSNull ? "-" : Self.text(change[0]), change[1] is NSNull ? "-" : Self.text(change[1]))
                words.append("\(key): \(old) → \(new)")
            } else {
                words.append("\(key.replacingOccurrences(of: "_", with: " ")) \(Self.text(rest[key]!))")
            }
        }
        return words.isEmpty ? nil : words.joined(separator: "; ")
    }

    private static func text(_ value: Any) -> String {
        switch value {
        case let string as String: string
        case let number as NSNumber: number.stringValue
        case let array as [Any]: array.map(text).joined(separator: ", ")
        default: String(describing: value)
        }
    }
}

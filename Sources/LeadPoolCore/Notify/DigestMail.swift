import Foundation

/// One thing a rep's digest tells them about.
public struct DigestItem: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A lead given to the rep (by a round, a transfer or an escalation).
        case given
        /// A lead taken from the rep because they missed its first touch (or, with `keep`, the miss).
        case escalated
        /// The rep's lead goes back to the pool soon unless worked.
        case reclaimSoon = "reclaim_soon"
        /// The first touch of a lead given to the rep is due soon.
        case firstTouchClose = "first_touch_close"
        /// The first touch is past its deadline; the next reclaim escalates it.
        case firstTouchMissed = "first_touch_missed"

        /// The digest's heading for items of this kind.
        var heading: String {
            switch self {
            case .given: "New leads for you"
            case .firstTouchClose: "First touch due soon"
            case .firstTouchMissed: "First touch missed"
            case .escalated: "Taken from you for a missed first touch"
            case .reclaimSoon: "Going back to the pool soon unless worked"
            }
        }
    }

    public var kind: Kind
    /// What `notify` records once the mail is sent, so the item is not mailed again: unique per
    /// rep and thing to say (`given:EVENT`, `first-touch-close:LEAD:GIVEN`).
    public var key: String
    public var leadID: Int64
    public var company: String
    /// When it was given or taken, when the deadline is, when it goes back to the pool.
    public var at: Date
    /// The reason in words.
    public var detail: String

    public init(kind: Kind, key: String, leadID: Int64, company: String, at: Date, detail: String) {
        self.kind = kind
        self.key = key
        self.leadID = leadID
        self.company = company
        self.at = at
        self.detail = detail
    }
}

/// A rep's digest as a plain-text RFC 5322 message for `sendmail -t -i`: UTF-8 body, headers
/// with non-ASCII words encoded (RFC 2047), the date and every time in the rep's zone.
public struct DigestMail: Sendable, Equatable {
    public var from: String
    public var to: String
    public var toName: String?
    public var subject: String
    public var messageID: String
    public var date: String
    public var body: String

    /// The digest of `items` for `rep`, at `now` on `clock` (the rep's).
    public init(rep: Rep, items: [DigestItem], from: String, clock: TeamClock, now: Date, host: String) {
        self.from = from
        self.to = rep.email ?? ""
        self.toName = rep.name.isEmpty ? nil : rep.name
        self.subject = DigestMail.subject(items)
        self.date = DigestMail.date(now, on: clock)
        self.messageID = "<leadpool.\(Int64(now.timeIntervalSince1970)).\(DigestMail.token(rep.handle, items))@\(host)>"
        var body = "Hello \(rep.name.isEmpty ? rep.handle : rep.name),\n\nwhat is new for you in leadpool (times in \(clock.name)):\n"
        for kind in DigestItem.Kind.allCases {
            let group = items.filter { $0.kind == kind }
            guard !group.isEmpty else { continue }
            body += "\n\(kind.heading) (\(group.count)):\n"
            for item in group {
                let when: String
                switch kind {
                case .given, .escalated: when = clock.time(item.at)
                case .firstTouchClose, .firstTouchMissed: when = "due " + clock.time(item.at)
                case .reclaimSoon: when = "back to the pool " + clock.time(item.at)
                }
                body += "  #\(item.leadID) \(item.company) — \(when)\n    \(item.detail)\n"
            }
        }
        body += "\n`leadpool mine` lists your leads; `leadpool touch ID` records a first touch.\n"
        self.body = body
    }

    /// `3 new leads, 1 first touch due soon` and so on, the counts of the digest.
    static func subject(_ items: [DigestItem]) -> String {
        let parts: [(DigestItem.Kind, String, String)] = [
            (.given, "new lead", "new leads"),
            (.firstTouchClose, "first touch due soon", "first touches due soon"),
            (.firstTouchMissed, "first touch missed", "first touches missed"),
            (.escalated, "lead taken back", "leads taken back"),
            (.reclaimSoon, "lead going back to the pool", "leads going back to the pool"),
        ]
        let counted = parts.compactMap { kind, one, many -> String? in
            let n = items.count { $0.kind == kind }
            return n == 0 ? nil : "\(n) \(n == 1 ? one : many)"
        }
        return "leadpool: " + (counted.isEmpty ? "nothing new" : counted.joined(separator: ", "))
    }

    /// `Mon, 30 Nov 2026 13:00:00 +0100`: RFC 5322's date, on `clock`.
    public static func date(_ instant: Date, on clock: TeamClock) -> String {
        let wall = clock.wallClock(at: instant)
        let second = Int(instant.timeIntervalSince1970.rounded(.down)) % 60
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let pad = { (n: Int) in n < 10 ? "0\(n)" : String(n) }
        let offset = clock.offset(at: instant).replacingOccurrences(of: ":", with: "")
        return "\(names[wall.weekday.index]), \(wall.date.day) \(months[wall.date.month - 1]) \(wall.date.year) "
            + "\(pad(wall.minute / 60)):\(pad(wall.minute % 60)):\(pad(second < 0 ? second + 60 : second)) \(offset)"
    }

    /// A short token that tells digests of the same second apart (FNV-1a of the handle and keys).
    static func token(_ handle: String, _ items: [DigestItem]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in ([handle] + items.map(\.key)).joined(separator: "\n").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 36)
    }

    /// The whole message as `sendmail -t -i` reads it: headers, a blank line, the body; lines end
    /// in LF (the mail system writes CRLF on the wire).
    public var text: String {
        var headers = [
            "From: \(from)",
            "To: \(toName.map { DigestMail.encodedPhrase($0) + " <\(to)>" } ?? to)",
            "Subject: \(DigestMail.encodedText(subject))",
            "Date: \(date)",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "Auto-Submitted: auto-generated",
        ]
        headers.append("")
        return headers.joined(separator: "\n") + "\n" + body
    }

    /// A display name as RFC 5322 wants it: as it is when it is plain ASCII words, quoted when it
    /// has specials, an RFC 2047 encoded word when it is not ASCII.
    public static func encodedPhrase(_ name: String) -> String {
        if !name.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) { return encodedWord(name) }
        let atext = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: " !#$%&'*+-/=?^_`{|}~"))
        if name.unicodeScalars.allSatisfy({ atext.contains($0) }) { return name }
        return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Unstructured header text: as it is when ASCII, else RFC 2047 encoded words.
    public static func encodedText(_ text: String) -> String {
        text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }) ? text : encodedWord(text)
    }

    /// `=?UTF-8?B?…?=` words of at most 75 characters, split between characters, folded.
    static func encodedWord(_ text: String) -> String {
        var words: [String] = []
        var chunk = ""
        for character in text {
            if (chunk + String(character)).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: "\n ")
    }
}

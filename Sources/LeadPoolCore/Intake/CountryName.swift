import Foundation

/// Country names as people type them, turned into ISO 3166-1 alpha-2 codes.
///
/// Covers every ISO 3166-1 country (and Kosovo, `XK`): alpha-2 and alpha-3 codes, the English,
/// official and common names, the usual variants (`UK`, `Korea, South`, `Hong Kong SAR`), the
/// names in the languages import reads headers in, and each country's own names (`Danmark`,
/// `Suomi`, `中国`); see ``names``. A value is matched ignoring case, accents, spaces and
/// punctuation. Anything else is not a country leadpool knows: import keeps it as written
/// and counts it, so nothing a user typed is lost.
public enum CountryName {
    /// Matching key → alpha-2 code, built once from ``names``.
    static let codes: [String: String] = {
        var codes: [String: String] = [:]
        for line in names.split(separator: "\n") {
            let parts = line.split(separator: "|")
            guard let code = parts.first.map(String.init) else { continue }
            for name in parts { codes[key(String(name))] = code }
        }
        return codes
    }()

    /// The lookup key: lower case, accents removed (`ö` → `o`), only letters and digits kept.
    static func key(_ value: String) -> String {
        if value.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(value.utf8.count)
            for b in value.utf8 {
                let lower = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                if (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) { bytes.append(lower) }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var key = String.UnicodeScalarView()
        for scalar in value.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark { continue }
            if let folded = folds[scalar] {
                key.append(contentsOf: folded.unicodeScalars)
            } else if properties.isAlphabetic || properties.numericType != nil {
                key.append(scalar)
            }
        }
        return String(key)
    }

    /// Letters that do not decompose into a base letter and an accent.
    private static let folds: [Unicode.Scalar: String] = ["ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l", "ı": "i"]

    /// The ISO 3166-1 alpha-2 code for a country name or code, else nil.
    public static func isoCode(for value: String) -> String? {
        codes[key(value)]
    }

    /// The value to store: the ISO code when recognised, else `value` unchanged.
    public static func normalize(_ value: String) -> String {
        isoCode(for: value) ?? value
    }
}

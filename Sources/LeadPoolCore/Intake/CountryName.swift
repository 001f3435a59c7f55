/// Country names as people type them, turned into ISO 3166-1 alpha-2 codes.
///
/// Covers about 70 common countries by English, German and French name, common short forms
/// and alpha-3 codes. A value is matched ignoring case, accents, spaces and punctuation.
/// Two letters not in the table are kept, upper-cased (assumed to be a code already); any
/// other value is kept as given, so nothing a user typed is lost.
public enum CountryName {
    /// `[code: names]`; names in lower case, without accents or punctuation (see ``key(_:)``).
    static let table: [String: [String]] = [
        "AE": ["unitedarabemirates", "uae", "vereinigtearabischeemirate", "emiratsarabesunis", "are"],
        "AR": ["argentina", "argentinien", "argentine", "arg"],
        "AT": ["austria", "osterreich", "oesterreich", "autriche", "aut"],
        "AU": ["australia", "australien", "australie", "aus"],
        "BE": ["belgium", "belgien", "belgique", "belgie", "bel"],
        "BG": ["bulgaria", "bulgarien", "bulgarie", "bgr"],
        "BR": ["brazil", "brasilien", "bresil", "brasil", "bra"],
        "CA": ["canada", "kanada", "can"],
        "CH": ["switzerland", "schweiz", "suisse", "svizzera", "che"],
        "CL": ["chile", "chili", "chl"],
        "CN": ["china", "chine", "peoplesrepublicofchina", "prc", "chn"],
        "CO": ["colombia", "kolumbien", "colombie", "col"],
        "CY": ["cyprus", "zypern", "chypre", "cyp"],
        "CZ": ["czechrepublic", "czechia", "tschechien", "tschechischerepublik", "tchequie", "republiquetcheque", "cze"],
        "DE": ["germany", "deutschland", "allemagne", "federalrepublicofgermany", "bundesrepublikdeutschland", "brd", "deu", "ger"],
        "DK": ["denmark", "danemark", "dänemark", "daenemark", "dnk"],
        "EE": ["estonia", "estland", "estonie", "est"],
        "EG": ["egypt", "agypten", "aegypten", "egypte", "egy"],
        "ES": ["spain", "spanien", "espagne", "espana", "esp"],
        "FI": ["finland", "finnland", "finlande", "fin"],
        "FR": ["france", "frankreich", "fra"],
        "GB": ["unitedkingdom", "uk", "greatbritain", "britain", "england", "scotland", "wales",
               "northernireland", "vereinigteskonigreich", "vereinigteskoenigreich", "grossbritannien",
               "großbritannien", "royaumeuni", "grandebretagne", "gbr"],
        "GR": ["greece", "griechenland", "grece", "grc"],
        "HK": ["hongkong", "hkg"],
        "HR": ["croatia", "kroatien", "croatie", "hrv"],
        "HU": ["hungary", "ungarn", "hongrie", "hun"],
        "ID": ["indonesia", "indonesien", "indonesie", "idn"],
        "IE": ["ireland", "irland", "irlande", "republicofireland", "irl"],
        "IL": ["israel", "isr"],
        "IN": ["india", "indien", "inde", "ind"],
        "IS": ["iceland", "island", "islande", "isl"],
        "IT": ["italy", "italien", "italie", "italia", "ita"],
        "JP": ["japan", "japon", "jpn"],
        "KE": ["kenya", "kenia", "ken"],
        "KR": ["southkorea", "korea", "republicofkorea", "sudkorea", "suedkorea", "coreedusud", "kor"],
        "LT": ["lithuania", "litauen", "lituanie", "ltu"],
        "LU": ["luxembourg", "luxemburg", "lux"],
        "LV": ["latvia", "lettland", "lettonie", "lva"],
        "MA": ["morocco", "marokko", "maroc", "mar"],
        "MT": ["malta", "malte", "mlt"],
        "MX": ["mexico", "mexiko", "mexique", "mex"],
        "MY": ["malaysia", "malaisie", "mys"],
        "NG": ["nigeria", "nga"],
        "NL": ["netherlands", "thenetherlands", "holland", "niederlande", "paysbas", "nederland", "nld"],
        "NO": ["norway", "norwegen", "norvege", "norge", "nor"],
        "NZ": ["newzealand", "neuseeland", "nouvellezelande", "nzl"],
        "PE": ["peru", "perou", "per"],
        "PH": ["philippines", "philippinen", "phl"],
        "PK": ["pakistan", "pak"],
        "PL": ["poland", "polen", "pologne", "polska", "pol"],
        "PT": ["portugal", "prt"],
        "RO": ["romania", "rumanien", "rumaenien", "roumanie", "rou"],
        "RS": ["serbia", "serbien", "serbie", "srb"],
        "RU": ["russia", "russland", "russie", "russianfederation", "rus"],
        "SA": ["saudiarabia", "saudiarabien", "arabiesaoudite", "sau"],
        "SE": ["sweden", "schweden", "suede", "sverige", "swe"],
        "SG": ["singapore", "singapur", "singapour", "sgp"],
        "SI": ["slovenia", "slowenien", "slovenie", "svn"],
        "SK": ["slovakia", "slowakei", "slovaquie", "svk"],
        "TH": ["thailand", "thailande", "tha"],
        "TR": ["turkey", "turkiye", "turkei", "tuerkei", "turquie", "tur"],
        "TW": ["taiwan", "twn"],
        "UA": ["ukraine", "ukr"],
        "US": ["unitedstates", "unitedstatesofamerica", "usa", "us", "america", "vereinigtestaaten",
               "vereinigtestaatenvonamerika", "etatsunis", "etatsunisdamerique"],
        "VN": ["vietnam", "vnm"],
        "ZA": ["southafrica", "sudafrika", "suedafrika", "afriquedusud", "zaf"],
    ]

    static let codes: [String: String] = {
        var codes: [String: String] = [:]
        for (code, names) in table {
            codes[code.lowercased()] = code
            for name in names { codes[key(name)] = code }
        }
        return codes
    }()

    /// The lookup key: lower case, Latin accents folded (`ö` → `o`), only letters and digits kept.
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
        var key = ""
        key.unicodeScalars.reserveCapacity(value.utf8.count)
        for scalar in value.lowercased().unicodeScalars {
            if scalar.isASCII {
                if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") { key.unicodeScalars.append(scalar) }
            } else if let folded = folds[scalar] {
                key += folded
            } else if scalar.properties.isAlphabetic {
                key.unicodeScalars.append(scalar)
            }
        }
        return key
    }

    private static let folds: [Unicode.Scalar: String] = [
        "à": "a", "á": "a", "â": "a", "ã": "a", "ä": "a", "å": "a", "æ": "ae", "ç": "c",
        "è": "e", "é": "e", "ê": "e", "ë": "e", "ì": "i", "í": "i", "î": "i", "ï": "i",
        "ñ": "n", "ò": "o", "ó": "o", "ô": "o", "õ": "o", "ö": "o", "ø": "o", "ù": "u",
        "ú": "u", "û": "u", "ü": "u", "ý": "y", "ÿ": "y", "ß": "ss", "œ": "oe",
    ]

    /// The ISO 3166-1 alpha-2 code for a country name or code in the table, else nil.
    public static func isoCode(for value: String) -> String? {
        codes[key(value)]
    }

    /// The value to store: the ISO code when known, two letters upper-cased, else `value` unchanged.
    public static func normalize(_ value: String) -> String {
        if let code = isoCode(for: value) { return code }
        let utf8 = value.utf8
        if utf8.count == 2, utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) { return value.uppercased() }
        return value
    }
}

#!/usr/bin/env python3
"""Writes Sources/LeadPoolCore/Intake/CountryName+Table.swift from the host's ISO 3166-1 data.

Sources (Debian: iso-codes, locales): /usr/share/iso-codes/json/iso_3166-1.json (codes,
English, official and common names), the iso_3166-1 gettext catalogues (the names in the
languages whose headers import reads, and in each country's own languages), and each glibc
locale's LC_ADDRESS country_name (the name a country gives itself). Run it again when a new
iso-codes release adds or renames a country; hand-kept variants are in VARIANTS below.
"""
import gettext, json, os, re, sys

ISO = "/usr/share/iso-codes/json/iso_3166-1.json"
LOCALES = "/usr/share/i18n/locales"
# The languages import reads headers in, besides English: every country's name in them.
HEADER_LANGUAGES = ["de", "fr", "es", "nl", "pl", "zh_CN", "zh_TW", "it", "pt"]
# Names people write that no catalogue has (ISO forms, short forms, old names).
VARIANTS = {
    "US": ["U.S.", "U.S.A.", "United States of America", "America", "Vereinigte Staaten von Amerika"],
    "GB": ["UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland",
           "Grossbritannien", "Großbritannien", "Vereinigtes Königreich", "Vereinigtes Koenigreich"],
    "KR": ["South Korea", "Korea", "Korea, South", "Republic of Korea", "Korea (South)", "Südkorea", "Suedkorea"],
    "KP": ["North Korea", "Korea, North", "Korea (North)", "DPRK", "Nordkorea"],
    "HK": ["Hong Kong SAR", "Hong Kong SAR China", "Hong Kong, China", "HKSAR"],
    "MO": ["Macau", "Macao SAR", "Macau SAR", "Macao SAR China"],
    "TW": ["Taiwan", "Taiwan, ROC", "Republic of China", "Chinese Taipei"],
    "CN": ["PRC", "P.R. China", "Mainland China", "People's Republic of China", "China, People's Republic of"],
    "RU": ["Russia"], "IR": ["Iran"], "SY": ["Syria"], "LA": ["Laos"], "VN": ["Vietnam", "Viet Nam"],
    "BO": ["Bolivia"], "VE": ["Venezuela"], "TZ": ["Tanzania"], "MD": ["Moldova"], "PS": ["Palestine"],
    "CZ": ["Czech Republic", "Czechia"], "NL": ["Holland", "The Netherlands"],
    "AE": ["UAE", "U.A.E.", "Emirates"], "SA": ["KSA"], "CD": ["DR Congo", "DRC", "Congo-Kinshasa", "Congo (Kinshasa)", "Zaire"],
    "CG": ["Congo", "Congo-Brazzaville", "Congo (Brazzaville)", "Republic of the Congo"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"], "CV": ["Cape Verde"], "TL": ["East Timor"], "MM": ["Burma"],
    "SZ": ["Swaziland"], "MK": ["Macedonia", "North Macedonia"], "TR": ["Turkey", "Türkiye", "Turkiye", "Tuerkei"],
    "VA": ["Vatican", "Vatican City", "Holy See"], "FM": ["Micronesia"], "BN": ["Brunei"],
    "KN": ["St. Kitts and Nevis", "St Kitts and Nevis", "Saint Kitts"], "LC": ["St. Lucia", "St Lucia"],
    "VC": ["St. Vincent and the Grenadines", "St Vincent", "Saint Vincent"], "PM": ["St. Pierre and Miquelon"],
    "BL": ["St. Barthelemy", "St Barts"], "MF": ["St. Martin"], "SH": ["St. Helena"],
    "SX": ["Sint Maarten"], "VI": ["US Virgin Islands", "U.S. Virgin Islands"], "VG": ["British Virgin Islands", "BVI"],
    "BA": ["Bosnia", "Bosnia-Herzegovina"], "TT": ["Trinidad", "Trinidad & Tobago"], "AG": ["Antigua"],
    "FK": ["Falkland Islands", "Falklands"], "GS": ["South Georgia"], "UM": ["US Minor Outlying Islands"],
    "AT": ["Oesterreich"], "DK": ["Daenemark"], "EG": ["Aegypten"], "ZA": ["Suedafrika"], "RO": ["Rumaenien"],
    "XK": ["Kosovo", "XK", "XKX"], "DE": ["BRD", "Federal Republic of Germany"], "IE": ["Republic of Ireland", "Eire", "Éire"],
}

def codepoints(text):
    return re.sub(r"<U([0-9A-Fa-f]{4,6})>", lambda m: chr(int(m.group(1), 16)), text)

countries = json.load(open(ISO))["3166-1"]
names = {c["alpha_2"]: [] for c in countries}
for c in countries:
    for key in ("alpha_3", "name", "official_name", "common_name"):
        if key in c:
            names[c["alpha_2"]].append(c[key])
english = {c["alpha_2"]: c["name"] for c in countries}

def translations(lang):
    try:
        t = gettext.translation("iso_3166-1", localedir="/usr/share/locale", languages=[lang])
    except OSError:
        return None
    return t

for lang in HEADER_LANGUAGES:
    t = translations(lang)
    if t is None:
        sys.exit(f"no iso_3166-1 catalogue for {lang}")
    for code, name in english.items():
        translated = t.gettext(name)
        if translated != name:
            names[code].append(translated)

# Each country's own names: from every locale of the country, its country_name and the
# catalogue's name in the locale's language.
for entry in sorted(os.listdir(LOCALES)):
    m = re.fullmatch(r"([a-z]{2,3})_([A-Z]{2})", entry)
    if not m or m.group(2) not in names:
        continue
    lang, code = m.groups()
    text = open(os.path.join(LOCALES, entry), encoding="utf-8", errors="replace").read()
    own = re.search(r'^country_name\s+"([^"]+)"', text, re.M)
    if own:
        names[code].append(codepoints(own.group(1)))
    t = translations(lang)
    if t is not None:
        translated = t.gettext(english[code])
        if translated != english[code]:
            names[code].append(translated)

for code, extra in VARIANTS.items():
    names.setdefault(code, []).extend(extra)

lines = []
for code in sorted(names):
    seen, unique = set(), []
    for name in names[code]:
        name = name.strip()
        if name and "|" not in name and name not in seen:
            seen.add(name)
            unique.append(name)
    lines.append(code + "|" + "|".join(unique))

out = sys.argv[1] if len(sys.argv) > 1 else "Sources/LeadPoolCore/Intake/CountryName+Table.swift"
body = "\n".join(lines)
with open(out, "w", encoding="utf-8") as f:
    f.write("// Written by scripts/country-names.py from iso-codes and glibc locale data; edit VARIANTS there.\n\n")
    f.write("extension CountryName {\n")
    f.write("    /// One line per ISO 3166-1 country (and Kosovo's XK): the alpha-2 code, then `|`-separated names\n")
    f.write("    /// (alpha-3, English, official, common, the names in import's header languages and the\n")
    f.write("    /// country's own). One string instead of a literal dictionary: it compiles in no time.\n")
    f.write('    static let names = """\n')
    f.write("\n".join("        " + line for line in body.replace("\\", "\\\\").split("\n")))
    f.write('\n        """\n}\n')
print(f"{len(lines)} countries, {sum(len(l.split('|')) - 1 for l in lines)} names", file=sys.stderr)

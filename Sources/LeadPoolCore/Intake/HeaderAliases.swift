/// The header names of real CRM exports and the canonical fields they mean.
///
/// Keys are ``HeaderAliases/key(_:)`` forms: lower case with everything but letters and digits
/// removed, so `E-mail`, `Email Address` and `EMAIL_ADDRESS` meet their alias.
enum HeaderAliases {
    /// How strongly a header claims its field.
    enum Rank: Sendable, Equatable {
        /// The field's usual column.
        case primary
        /// Used only when no primary column for the field is in the file (Salesforce
        /// `MobilePhone` beside `Phone`, `CountryCode` beside `Country`); otherwise an attribute.
        case fallback
    }

    static let primary: [LeadField: [String]] = [
        // Salesforce `Id` is a fallback (below) so that our own export's `id` and
        // `external_id` columns can be imported together.
        .externalID: ["externalid", "recordid", "crmid", "sourceid"],
        .company: ["company", "companyname", "accountname", "account", "organization", "organisation",
                   "organizationname", "organisationname", "businessname", "employer", "firma",
                   "firmenname", "unternehmen", "societe", "entreprise"],
        .firstName: ["firstname", "first", "givenname", "forename", "fname", "vorname", "prenom"],
        .lastName: ["lastname", "last", "surname", "familyname", "lname", "nachname", "nom"],
        .title: ["title", "jobtitle", "position", "jobposition", "designation", "funktion", "fonction"],
        .email: ["email", "emailaddress", "mail", "workemail", "businessemail", "primaryemail",
                 "emailadresse", "courriel"],
        .phone: ["phone", "phonenumber", "telephone", "telephonenumber", "tel", "businessphone",
                 "workphone", "directphone", "officephone", "telefon", "telefonnummer"],
        .website: ["website", "websiteurl", "url", "web", "webaddress", "websiteaddress", "homepage",
                   "companywebsite", "webseite", "siteweb", "siteinternet"],
        .domain: ["domain", "companydomainname", "companydomain", "domainname"],
        .industry: ["industry", "sector", "vertical", "branche", "industrie", "secteur"],
        .employees: ["employees", "numberofemployees", "employeecount", "noofemployees", "numemployees",
                     "headcount", "mitarbeiter", "mitarbeiteranzahl", "anzahlmitarbeiter"],
        .revenue: ["revenue", "annualrevenue", "turnover", "salesvolume", "umsatz", "jahresumsatz",
                   "chiffredaffaires"],
        .country: ["country", "countryregion", "land", "pays"],
        .region: ["region", "state", "stateregion", "stateprovince", "stateorprovince", "province",
                  "bundesland"],
        .city: ["city", "town", "locality", "stadt", "ort", "ville"],
        .source: ["source", "leadsource", "originalsource", "quelle"],
        .tags: ["tags", "tag", "labels", "label"],
    ]

    static let fallback: [LeadField: [String]] = [
        .externalID: ["id", "leadid", "contactid", "companyid"],
        .phone: ["mobilephone", "mobile", "mobilephonenumber", "mobilenumber", "cell", "cellphone",
                 "handy", "mobil", "mobiltelefon"],
        .country: ["countrycode", "countryisocode"],
        .region: ["statecode", "provincecode"],
    ]

    /// `Name` is the company in a companies export, but a person's full name beside
    /// first/last name columns; the header map decides which.
    static let companyOrPersonName = "name"

    static let table: [String: (field: LeadField, rank: Rank)] = {
        var table: [String: (field: LeadField, rank: Rank)] = [:]
        for field in LeadField.allCases where field.isImportable {
            table[key(field.rawValue)] = (field, .primary)
        }
        for (field, keys) in primary { for k in keys { table[k] = (field, .primary) } }
        for (field, keys) in fallback { for k in keys { table[k] = (field, .fallback) } }
        return table
    }()

    /// The matching form of a header: lower-cased, every character but letters and digits removed.
    static func key(_ header: String) -> String {
        String(String.UnicodeScalarView(header.lowercased().unicodeScalars.filter(isAlphanumeric)))
    }

    /// The SPEC's `attr.NAME` name: lower-cased, each run of characters other than letters and
    /// digits turned into `_`, leading and trailing `_` trimmed. `Product Interest` → `product_interest`.
    static func attributeName(_ header: String) -> String {
        var name = String.UnicodeScalarView()
        var pendingUnderscore = false
        for scalar in header.lowercased().unicodeScalars {
            if isAlphanumeric(scalar) {
                if pendingUnderscore && !name.isEmpty { name.append("_") }
                pendingUnderscore = false
                name.append(scalar)
            } else {
                pendingUnderscore = true
            }
        }
        return String(name)
    }

    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}

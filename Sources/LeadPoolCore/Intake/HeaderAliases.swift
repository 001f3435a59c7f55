/// The header names of real CRM exports and the canonical fields they mean.
///
/// Taken from the exporters' documented field lists: Salesforce Lead, Contact and Account
/// (API names and labels), HubSpot's default contact and company properties, Zoho CRM Leads
/// and Accounts, Pipedrive (`Person - Email`, `Organization - Name`), Odoo `crm.lead`
/// (`partner_name`, `contact_name`, `email_from`, `country_id`), SuiteCRM/EspoCRM, Creatio,
/// Dynamics 365 `lead` (`emailaddress1`, `address1_country`, the `(Do Not Modify) Lead` id of
/// its Excel exports), Google Contacts, Pardot, and the usual headers in German, French,
/// Spanish, Dutch, Polish and Chinese.
///
/// Keys are ``HeaderAliases/key(_:)`` forms: lower case, accents removed, everything but letters
/// and digits dropped, so `E-mail`, `Email Address`, `EMAIL_ADDRESS` and `Société` meet their alias.
public enum HeaderAliases {
    /// How strongly a header claims its field: the lowest rank present in a file feeds the
    /// field, the others become attributes.
    struct Rank: Sendable, Comparable, Hashable {
        let value: Int
        /// The field's usual column.
        static let primary = Rank(value: 0)
        /// Used when no primary column is present (Salesforce `MobilePhone` beside `Phone`,
        /// `CountryCode` beside `Country`, `Id` beside `External ID`).
        static let fallback = Rank(value: 1)

        /// An address column (`BillingCountry`, `Primary Address City`, `address1_country`):
        /// after the plain column; billing, mailing, primary and company addresses before
        /// shipping, other and home ones; a name before a code.
        static func address(secondary: Bool, code: Bool) -> Rank {
            Rank(value: 2 + (secondary ? 2 : 0) + (code ? 1 : 0))
        }

        static func < (a: Rank, b: Rank) -> Bool { a.value < b.value }
    }

    static let primary: [LeadField: [String]] = [
        // Salesforce `Id` is a fallback (below) so that our own export's `id` and
        // `external_id` columns can be imported together.
        .externalID: [
            "externalid", "recordid", "crmid", "recordidcontact", "recordidlead", "prospectid",
            "donotmodifylead", "donotmodifycontact", "donotmodifyaccount", "zohoid", "personid",
        ],
        .company: [
            "company", "companyname", "accountname", "account", "organization", "organisation",
            "organizationname", "organisationname", "businessname", "employer", "companyaccount",
            "partnername", "organization1name", "firma", "firmenname", "unternehmen", "societe",
            "entreprise", "nomdelentreprise", "raisonsociale", "empresa", "compania", "nombredelaempresa",
            "razonsocial", "bedrijf", "bedrijfsnaam", "organisatie", "nazwafirmy", "公司", "公司名称",
            "企业名称", "单位", "单位名称", "企业",
        ],
        .firstName: [
            "firstname", "first", "givenname", "forename", "fname", "vorname", "prenom", "nombre",
            "voornaam", "imie", "名", "名字",
        ],
        .lastName: [
            "lastname", "last", "surname", "familyname", "lname", "nachname", "nom", "apellido",
            "apellidos", "achternaam", "nazwisko", "姓", "姓氏",
        ],
        .title: [
            "title", "jobtitle", "position", "jobposition", "designation", "function", "funktion",
            "fonction", "poste", "organization1title", "personjobtitle", "cargo", "puesto", "functie",
            "stanowisko", "职位", "职务", "头衔",
        ],
        .email: [
            "email", "emailaddress", "mail", "workemail", "businessemail", "primaryemail", "emailfrom",
            "personemail", "email1", "email1value", "emailaddress1", "emailadresse", "courriel",
            "adresseemail", "correo", "correoelectronico", "emailadres", "adresemail", "邮箱",
            "电子邮件", "电子邮箱", "邮件", "邮箱地址",
        ],
        .phone: [
            "phone", "phonenumber", "telephone", "telephonenumber", "tel", "businessphone", "workphone",
            "directphone", "officephone", "primaryphone", "personphone", "phone1", "phone1value",
            "telephone1", "telefon", "telefonnummer", "numerodetelephone", "telefono", "telefoon",
            "telefoonnummer", "numertelefonu", "电话", "电话号码", "联系电话", "座机",
        ],
        .website: [
            "website", "websiteurl", "url", "web", "webaddress", "websiteaddress", "homepage",
            "companywebsite", "webseite", "internetseite", "siteweb", "siteinternet", "sitioweb",
            "paginaweb", "webadres", "stronawww", "stronainternetowa", "网站", "网址", "公司网站",
        ],
        .domain: ["domain", "companydomainname", "companydomain", "domainname"],
        .industry: [
            "industry", "industrycode", "sector", "vertical", "branche", "industrie", "secteur",
            "secteurdactivite", "industria", "branza", "行业", "所属行业",
        ],
        .employees: [
            "employees", "numberofemployees", "employeecount", "noofemployees", "numemployees",
            "headcount", "mitarbeiter", "mitarbeiteranzahl", "anzahlmitarbeiter", "effectif",
            "effectifs", "empleados", "numerodeempleados", "medewerkers", "aantalmedewerkers",
            "liczbapracownikow", "pracownicy", "companysize", "employeerange", "员工人数", "员工数", "公司规模",
        ],
        .revenue: [
            "revenue", "annualrevenue", "revenueusd", "annualrevenueusd", "companyrevenue", "revenuerange", "turnover", "salesvolume",
            "umsatz", "jahresumsatz", "chiffredaffaires", "ingresos", "ingresosanuales", "facturacion",
            "omzet", "jaaromzet", "przychod", "przychody", "营收", "年收入", "营业额", "年营业额",
        ],
        .country: [
            "country", "countryregion", "countryname", "countryid", "land", "pays", "pais", "kraj",
            "国家", "国家地区",
        ],
        .region: [
            "region", "state", "stateregion", "stateprovince", "stateorprovince", "province", "stateid",
            "bundesland", "provincia", "estado", "provincie", "wojewodztwo", "省份", "省", "地区",
        ],
        .city: [
            "city", "town", "locality", "stadt", "ort", "ville", "ciudad", "plaats", "stad", "miasto",
            "城市",
        ],
        .source: [
            "source", "leadsource", "originalsource", "accountsource", "sourceid", "quelle", "origen",
            "fuente", "bron", "zrodlo", "来源", "线索来源",
        ],
        .tags: ["tags", "tag", "labels", "label", "tagids", "etiquetas", "标签"],
    ]

    static let fallback: [LeadField: [String]] = [
        .externalID: ["id", "leadid", "contactid", "companyid", "accountid", "recordidcompany", "organizationid"],
        .company: ["associatedcompany", "personorganization"],
        .phone: [
            "mobilephone", "mobile", "mobilephonenumber", "mobilenumber", "cell", "cellphone", "handy",
            "handynummer", "mobil", "mobiltelefon", "portable", "telephoneportable", "movil", "celular",
            "mobiel", "mobielnummer", "telefonkomorkowy", "komorka", "手机", "手机号", "手机号码", "移动电话",
        ],
        .country: ["countrycode", "countryisocode"],
        .region: ["statecode", "provincecode"],
    ]

    /// A person's whole name, split into first and last name when the file has neither column.
    static let personName: Set<String> = [
        "fullname", "contactname", "personname", "ansprechpartner", "nomcomplet", "nombrecompleto",
        "volledigenaam", "imieinazwisko", "姓名", "联系人", "联系人姓名",
    ]

    /// `Name` is the company in a companies export, but a person's full name beside a company
    /// column, and the lead's title (Odoo) beside first/last or full name columns.
    static let companyOrPersonName = "name"

    static let table: [String: (field: LeadField, rank: Rank)] = {
        var table: [String: (field: LeadField, rank: Rank)] = [:]
        for field in LeadField.allCases where field.isImportable {
            table[key(field.rawValue)] = (field, .primary)
        }
        for (field, keys) in primary { for k in keys { table[key(k)] = (field, .primary) } }
        for (field, keys) in fallback { for k in keys { table[key(k)] = (field, .fallback) } }
        return table
    }()

    // MARK: - Address columns

    /// What an address column's name starts with, and whether that address comes second.
    private static let addressPrefixes: [(prefix: String, secondary: Bool)] = [
        ("billingaddress", false), ("billing", false), ("mailingaddress", false), ("mailing", false),
        ("primaryaddress", false), ("primary", false), ("businessaddress", false), ("business", false),
        ("companyaddress", false), ("company", false), ("organizationaddress", false), ("organization", false),
        ("organisation", false), ("accountaddress", false), ("account", false), ("address1", false),
        ("headquarters", false), ("hq", false), ("address", false),
        ("shippingaddress", true), ("shipping", true), ("otheraddress", true), ("other", true),
        ("alternateaddress", true), ("alternate", true), ("altaddress", true), ("alt", true),
        ("address2", true), ("homeaddress", true), ("home", true), ("secondary", true),
    ]

    /// The part of an address column's name after its prefix: the field, and whether it holds a code.
    private static let addressParts: [String: (field: LeadField, code: Bool)] = [
        "country": (.country, false), "countryregion": (.country, false), "countryname": (.country, false),
        "countryofaddress": (.country, false), "countrycode": (.country, true), "countryisocode": (.country, true),
        "state": (.region, false), "stateregion": (.region, false), "stateprovince": (.region, false),
        "stateorprovince": (.region, false), "province": (.region, false), "statecounty": (.region, false),
        "statecode": (.region, true), "provincecode": (.region, true),
        "city": (.city, false), "town": (.city, false), "citytownvillagelocality": (.city, false),
        "cityofaddress": (.city, false),
    ]

    /// The field and rank of an address column (`BillingCountry`, `Primary Address City`,
    /// `Organization - Address - Country`), if `key` names one.
    static func addressColumn(_ key: String) -> (field: LeadField, rank: Rank)? {
        for (prefix, secondary) in addressPrefixes where key.hasPrefix(prefix) {
            var rest = Substring(key.dropFirst(prefix.count))
            if rest.hasPrefix("address") && prefix != "address" { rest = rest.dropFirst("address".count) }
            if let part = addressParts[String(rest)] {
                return (part.field, .address(secondary: secondary, code: part.code))
            }
        }
        return nil
    }

    // MARK: - Names

    /// The matching form of a header: lower-cased, accents removed, every character but letters
    /// and digits dropped.
    static func key(_ header: String) -> String {
        CountryName.key(header)
    }

    /// The SPEC's `attr.NAME` name: lower-cased, each run of characters other than letters and
    /// digits turned into `_`, leading and trailing `_` trimmed. `Product Interest` → `product_interest`.
    public static func attributeName(_ header: String) -> String {
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

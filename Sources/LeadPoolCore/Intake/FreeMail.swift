/// Free-mail providers: an address at one of them says nothing about the lead's company,
/// so no `domain` is derived from it. The one list intake consults.
public enum FreeMail {
    /// Providers matched under any country ending (`yahoo.co.uk`, `hotmail.de`, `gmx.net`).
    static let brands: Set<String> = [
        "gmail", "googlemail", "outlook", "hotmail", "live", "msn", "yahoo", "ymail", "rocketmail",
        "aol", "gmx", "yandex", "protonmail", "proton", "mail", "email", "libero",
        "wanadoo", "tutanota", "seznam", "rediffmail", "zohomail",
    ]

    /// Providers matched by exact domain (names too generic to match under every ending).
    static let domains: Set<String> = [
        "icloud.com", "me.com", "mac.com", "web.de", "t-online.de", "freenet.de", "arcor.de",
        "posteo.de", "posteo.net", "mailbox.org", "mail.ru", "bk.ru", "list.ru", "inbox.ru",
        "rambler.ru", "ya.ru", "pm.me", "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net",
        "sina.com", "sina.cn", "sohu.com", "aliyun.com", "naver.com", "daum.net", "hanmail.net",
        "free.fr", "orange.fr", "laposte.net", "sfr.fr", "virgilio.it", "tiscali.it", "btinternet.com",
        "sky.com", "virginmedia.com", "comcast.net", "verizon.net", "att.net", "sbcglobal.net",
        "cox.net", "charter.net", "bellsouth.net", "fastmail.com", "fastmail.fm", "hey.com",
        "tuta.io", "gmx.at", "gmx.ch", "bluewin.ch", "telenet.be", "skynet.be", "ziggo.nl",
        "kpnmail.nl", "wp.pl", "o2.pl", "interia.pl", "onet.pl", "mail.com", "inbox.com",
        "hushmail.com", "lycos.com", "excite.com", "juno.com", "earthlink.net", "rogers.com",
        "shaw.ca", "sympatico.ca", "bigpond.com", "optusnet.com.au", "uol.com.br", "bol.com.br",
        "terra.com.br", "yahoo.com.br", "rediff.com",
    ]

    /// Whether `domain` (lower-case) belongs to a free-mail provider.
    ///
    /// A brand matches when the labels after it are a short country ending: `yahoo.co.uk`
    /// is free mail, `live.example.com` is not.
    public static func isFreeMail(domain: String) -> Bool {
        if domains.contains(domain) { return true }
        let labels = domain.utf8.split(separator: UInt8(ascii: "."))
        guard labels.count >= 2, labels.count <= 3, labels.dropFirst().allSatisfy({ $0.count <= 3 }) else { return false }
        return brands.contains(String(Substring(labels[0])))
    }
}

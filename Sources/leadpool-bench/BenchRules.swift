/// The rules file the benchmark applies: an ICP over the generated leads' fields, segments by
/// country, and routing rules that send each region to its team (20–100 reps at
/// `--reps 1000`, see ``BenchContext/teams``) with every strategy and territories in use, the
/// enterprise accounts first; a reclaim policy with an override and an exemption.
enum BenchRules {
    /// The YAML, with a default capacity high enough that a round gives out most of the pool.
    static func yaml(defaultCapacity: Int) -> String {
        """
        defaults: { capacity: \(defaultCapacity), daily-limit: 25 }
        tiers: { A: 70, B: 50, C: 30 }
        icp:
          - { name: target-industry, when: 'industry in ("Software", "Fintech", "Healthcare")', points: 30 }
          - { name: mid-market, when: 'employees >= 200 and employees <= 5000', points: 25 }
          - { name: enterprise-size, when: 'employees > 5000', points: 15 }
          - { name: decision-maker, when: 'title in ("CEO", "CTO", "CFO", "Founder") or title matches "head of*" or title contains "director"', points: 20 }
          - { name: business-email, when: 'email is not null and domain is not null', points: 10 }
          - { name: inbound, when: 'source in ("Web", "Webinar", "Referral")', points: 10 }
          - { name: interested, when: 'attr.product_interest in ("Analytics", "Platform")', points: 10 }
          - { name: campaign, when: 'attr.campaign is not null', points: 5 }
          - { name: free-mail, when: 'email matches "*@gmail.com" or email matches "*@yahoo.com"', points: -20 }
        segments:
          dach: 'country in ("DE", "AT", "CH")'
          france: 'country in ("FR", "BE")'
          uk: 'country in ("GB", "IE")'
          benelux: 'country = "NL"'
          south: 'country in ("ES", "IT")'
          north_east: 'country in ("SE", "PL")'
          na: 'country in ("US", "CA")'
          enterprise: 'employees >= 40000 or revenue >= 800000000'
        rules:
          - { name: enterprise, when: 'segment("enterprise") and tier = "A"', to: team:enterprise, strategy: least-loaded }
          - { name: dach, when: 'segment("dach")', to: team:dach, strategy: weighted, territory: true }
          - { name: france, when: 'segment("france")', to: team:france, strategy: round-robin, territory: true }
          - { name: uk, when: 'segment("uk")', to: team:uk, strategy: least-loaded, territory: true }
          - { name: benelux, when: 'segment("benelux")', to: team:benelux, strategy: round-robin }
          - { name: south, when: 'segment("south")', to: team:south, strategy: weighted, territory: true }
          - { name: north-east, when: 'segment("north_east")', to: team:north-east, strategy: least-loaded }
          - { name: na-top, when: 'segment("na") and tier in ("A", "B")', to: team:na-ae, strategy: weighted, territory: true }
          - { name: na, when: 'segment("na")', to: team:na-sdr, strategy: round-robin, territory: true }
          - { name: rest, when: 'true', to: team:sdr, strategy: round-robin }
        reclaim:
          no-activity-days: 14
          max-hold-days: 60
          cooldown-days: 7
          warn-days: 3
          exempt: 'status = "qualified"'
          overrides:
            - { when: 'tier = "A"', no-activity-days: 7 }

        """
    }
}

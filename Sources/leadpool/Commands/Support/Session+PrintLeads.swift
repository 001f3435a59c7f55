import LeadPoolCore
import LeadPoolStorage

extension Session {
    /// The leads matching `query` as a table (with a note when `--limit` left some out) or a
    /// JSON array, as `lead list` and `pool` print them.
    func printLeads(_ query: LeadQuery, counting noun: String) throws {
        let leads = try store.leads(query, now: now)
        let presenter = try leadPresenter()
        if output.json {
            output.print(JSON.array(leads.map(presenter.json)))
            return
        }
        output.print(presenter.table(leads))
        let total = try store.countLeads(query, now: now)
        if total > leads.count { output.note("\(leads.count) of \(total) \(noun) shown (--limit)") }
    }
}

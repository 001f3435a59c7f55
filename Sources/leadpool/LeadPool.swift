import ArgumentParser
import LeadPoolCore
import LeadPoolStorage

@main
struct LeadPool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leadpool",
        abstract: "A lead pool (\"public sea\") for sales teams: import, score, assign, claim, reclaim.",
        discussion: """
            Global options go before or after the command: leadpool --db team.db rep list. \
            Exit codes: 0 done, 1 refused by a business rule, 64 usage, 65 bad input, 66 not found, \
            70 internal error, 75 busy, 77 permission denied, 78 configuration.
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, Migrate.self, Demo.self, RepCommand.self,
            Import.self, LeadCommand.self, History.self, Export.self,
            RulesCommand.self, SegmentCommand.self, Explain.self,
            Assign.self, Transfer.self, Reopen.self, Rounds.self,
            Pool.self, Claim.self, Release.self, Touch.self,
            StatusChange<Qualify>.self, StatusChange<Convert>.self, StatusChange<Disqualify>.self, Mine.self,
            Reclaim.self, Notify.self, ReportCommand.self,
            Check.self, Backup.self,
        ]
    )

    @OptionGroup var global: GlobalOptions

    /// ArgumentParser's own entry point, except that with `--json` a usage error is one JSON
    /// object on stderr like every other error, and runs of lead ids reach it joined
    /// (``LeadIDRun``), so a long list parses in linear time.
    static func main() {
        let arguments = LeadIDRun.folded(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            let wantsJSON = arguments.prefix { $0 != "--" }.contains("--json")
            if wantsJSON, !(error is ExitCode), exitCode(for: error) == .validationFailure {
                Failure.print(
                    error: .usage(message(for: error), hint: "`leadpool help` lists the commands and their options"),
                    json: true
                )
                Self.exit(withError: ExitCode.validationFailure)
            }
            Self.exit(withError: error)
        }
    }
}

#!/usr/bin/env python3
"""Random and mutated input for leadpool: no run may exit 70 (a bug) or die by a signal.

Makes a database with a few hundred leads, then, until --seconds have passed, runs random
cases: conditions for `lead list --where` (and export, pool, assign --dry-run), rules files for
`rules check` (and now and then `rules apply`), CSV files for `import --dry-run` (and now and
then a real `import`). Every case that exits 70, dies by a signal, prints a crash trace or
outlives --timeout is a finding: its input is kept under the work directory's findings/ with
the command that ran it. At the end the database must still pass `leadpool check`.

    scripts/fuzz.py                      # builds the debug binary, runs 120 s
    scripts/fuzz.py --seconds 600 --seed 42 --binary .build/release/leadpool

The seed is printed first; the same seed, binary and --seconds replay the same cases (as far
as time allows the same number of them).
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

FIELDS_TEXT = ["company", "first_name", "last_name", "title", "email", "phone", "website", "domain",
               "country", "region", "city", "industry", "source", "tier", "owner", "external_id"]
FIELDS_NUMBER = ["employees", "revenue", "score", "id", "age_days", "idle_days", "held_days"]
FIELDS_TIME = ["created_at", "claimed_at", "last_activity_at"]
STATUSES = ["open", "qualified", "converted", "disqualified"]
WORDS = ["Software", "Fintech", "Retail", "DE", "FR", "GB", "US", "acme", "GmbH", "*", "?", "%", "_", "\\\\",
         "Ünïcödé", "中国", "", " ", "a\"b", "O'Brien", "x" * 300]
OPS = ["=", "!=", "<", "<=", ">", ">="]
SEGMENTS = ["emea", "big", "software"]
CRASH_MARKS = ["Fatal error", "Stack dump", "Program crashed", "Backtrace", "Segmentation fault"]


class Fuzzer:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.work = tempfile.mkdtemp(prefix="leadpool-fuzz-")
        self.db = os.path.join(self.work, "fuzz.db")
        self.findings_dir = os.path.join(self.work, "findings")
        os.makedirs(self.findings_dir)
        self.cases = 0
        self.by_kind = {}
        self.exits = {}
        self.findings = []
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LEADPOOL_DB": self.db, "NO_COLOR": "1"}

    # MARK: - Running

    def run(self, arguments, stdin=None):
        started = time.monotonic()
        try:
            process = subprocess.run(
                [self.args.binary] + arguments, cwd=self.work, env=self.env, input=stdin,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=self.args.timeout)
        except subprocess.TimeoutExpired:
            return None, b"", b"timeout", time.monotonic() - started
        return process.returncode, process.stdout, process.stderr, time.monotonic() - started

    def case(self, kind, arguments, files=None):
        """Runs one case; files maps a name in the work directory to bytes written first."""
        for name, data in (files or {}).items():
            with open(os.path.join(self.work, name), "wb") as handle:
                handle.write(data)
        status, _, stderr, seconds = self.run(arguments)
        self.cases += 1
        self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
        self.exits[status] = self.exits.get(status, 0) + 1
        text = stderr.decode("utf-8", "replace")
        problem = None
        if status is None:
            problem = f"no answer within {self.args.timeout} s"
        elif status < 0:
            problem = f"killed by signal {-status}"
        elif status == 70:
            problem = "exit 70"
        elif any(mark in text for mark in CRASH_MARKS):
            problem = f"crash trace with exit {status}"
        if problem:
            self.keep(kind, arguments, files, problem, text)
        return status

    def keep(self, kind, arguments, files, problem, stderr):
        number = len(self.findings) + 1
        directory = os.path.join(self.findings_dir, f"{number:03d}-{kind}")
        os.makedirs(directory)
        for name, data in (files or {}).items():
            with open(os.path.join(directory, name), "wb") as handle:
                handle.write(data)
        with open(os.path.join(directory, "command.txt"), "w") as handle:
            handle.write(repr(arguments) + "\n\n" + problem + "\n\n" + stderr[:20000])
        first = stderr.strip().splitlines()[:1]
        summary = f"{kind}: {problem}: {first[0][:200] if first else ''}"
        self.findings.append(summary)
        print(f"  finding {number}: {summary} (kept in {directory})", flush=True)

    # MARK: - Setup

    def setup(self):
        for arguments in (["init"], ["rep", "add", "ana", "--name", "Ana", "--team", "field"],
                          ["rep", "add", "ben", "--name", "Ben", "--team", "field"]):
            self.must(arguments)
        with open(os.path.join(self.work, "base.yaml"), "w") as handle:
            handle.write(self.valid_rules())
        self.must(["rules", "apply", "base.yaml"])
        with open(os.path.join(self.work, "leads.csv"), "wb") as handle:
            handle.write(self.leads_csv(self.args.leads))
        self.must(["import", "leads.csv"])
        self.must(["assign", "--limit", "40"])

    def must(self, arguments):
        status, stdout, stderr, _ = self.run(arguments)
        if status != 0:
            sys.exit(f"setup failed: leadpool {' '.join(arguments)} exited {status}\n{stderr.decode()}{stdout.decode()}")

    def leads_csv(self, count):
        industries = ["Software", "Fintech", "Retail", "Manufacturing", "Health"]
        countries = ["DE", "FR", "GB", "US", "NL", "Deutschland", "España"]
        lines = ["Company,Email,Industry,Number of Employees,Country,Website,Tags,Plan"]
        for i in range(count):
            lines.append(f"Company {i},p{i}@c{i}.com,{industries[i % 5]},{(i * 37) % 6000},"
                         f"{countries[i % 7]},https://c{i}.com,t{i % 4};webinar,{['trial', 'pro', ''][i % 3]}")
        return ("\n".join(lines) + "\n").encode()

    # MARK: - Conditions

    def text_value(self):
        word = self.rng.choice(WORDS)
        quote = self.rng.choice(['"', "'"])
        return quote + word.replace(quote, "\\" + quote) + quote

    def value_for(self, field):
        if field in FIELDS_NUMBER:
            return self.rng.choice(["0", "5", "-3", "200", "1.5", "99999999999999999999", "1e9"])
        if field in FIELDS_TIME:
            return self.rng.choice(['"2026-01-01"', '"2026-02-01T10:00:00Z"', '"yesterday"'])
        if field == "status":
            return '"' + self.rng.choice(STATUSES + ["Open", "won"]) + '"'
        return self.text_value()

    def predicate(self):
        field = self.rng.choice(FIELDS_TEXT + FIELDS_NUMBER + FIELDS_TIME + ["status", "tags", "attr.plan", "attr.x_y"])
        roll = self.rng.random()
        if roll < 0.4:
            return f"{field} {self.rng.choice(OPS)} {self.value_for(field)}"
        if roll < 0.55:
            values = ", ".join(self.value_for(field) for _ in range(self.rng.randint(1, 6)))
            return f"{field} {self.rng.choice(['in', 'not in'])} ({values})"
        if roll < 0.65:
            return f"{field} is {self.rng.choice(['', 'not '])}null"
        if roll < 0.8:
            return f"{field} {self.rng.choice(['contains', 'matches'])} {self.text_value()}"
        if roll < 0.9:
            return f'tag({self.text_value()})'
        if roll < 0.97:
            return f'segment("{self.rng.choice(SEGMENTS + ["nope"])}")'
        return self.rng.choice(["true", "false"])

    def condition(self, depth=0):
        roll = self.rng.random()
        if depth > 4 or roll < 0.35:
            return self.predicate()
        if roll < 0.5:
            return "not " + self.condition(depth + 1)
        if roll < 0.65:
            return "(" + self.condition(depth + 1) + ")"
        joiner = self.rng.choice([" and ", " or "])
        return joiner.join(self.condition(depth + 1) for _ in range(self.rng.randint(2, 4)))

    def big_condition(self):
        kind = self.rng.randrange(6)
        n = self.rng.choice([500, 1000, 3000, 9000])
        if kind == 0:
            return " or ".join(f"employees = {i}" for i in range(n))
        if kind == 1:
            return " and ".join(f"attr.plan != \"p{i}\"" for i in range(n))
        if kind == 2:
            return "id in (" + ",".join(str(i) for i in range(n * 3)) + ")"
        if kind == 3:
            return "(" * n + "true" + ")" * n
        if kind == 4:
            return "company contains \"" + "x" * self.rng.choice([5000, 20000, 60000]) + "\""
        return "not " * n + "true"

    def mutate_text(self, text):
        data = bytearray(text.encode("utf-8", "surrogatepass"))
        for _ in range(self.rng.randint(1, 4)):
            roll = self.rng.random()
            position = self.rng.randint(0, len(data)) if data else 0
            if roll < 0.3 and data:
                del data[position:position + self.rng.randint(1, 5)]
            elif roll < 0.6:
                data[position:position] = self.rng.choice(
                    [b"(", b")", b'"', b"'", b"\\", b" or ", b" and ", b" not ", b",", b"\x00", b"\xff", b"\xc3",
                     b"\n", b"--", b";", b"=", b"attr.", b"segment(", bytes([self.rng.randrange(256)])])
            elif roll < 0.8 and data:
                data[position:position + 1] = bytes([self.rng.randrange(32, 127)])
            else:
                data = data[:position]
        return bytes(data)

    def condition_case(self):
        roll = self.rng.random()
        if roll < 0.5:
            text = self.condition().encode()
        elif roll < 0.9:
            text = self.mutate_text(self.condition())
        else:
            text = self.big_condition().encode()
        # An argument cannot hold NUL bytes, nor be 128 KiB or longer (Linux).
        argument = text.replace(b"\x00", b"")[:120_000].decode("utf-8", "surrogateescape")
        command = self.rng.choice([
            ["lead", "list", "--limit", "5", "--where", argument],
            ["lead", "list", "--limit", "5", "--sort", "idle", "--where", argument],
            ["--json", "lead", "list", "--limit", "5", "--where", argument],
            ["export", "--where", argument, "-o", "-"],
            ["pool", "--limit", "3", "--where", argument],
            ["assign", "--dry-run", "--where", argument],
            ["--as", "ana", "lead", "list", "--limit", "3", "--where", argument],
        ])
        try:
            self.case("where", command)
        except (ValueError, OSError):
            pass  # an argument the OS cannot pass

    # MARK: - Rules files

    def valid_rules(self):
        icp = "\n".join(
            f"  - {{ name: c{i}, when: '{self.simple_condition()}', points: {self.rng.randint(-20, 40)} }}"
            for i in range(self.rng.randint(0, 4)))
        return (
            "defaults: { capacity: 50, daily-limit: 20 }\n"
            "tiers: { A: 70, B: 40 }\n"
            "icp:\n" + (icp or "  []") + "\n"
            "segments:\n"
            "  emea: 'country in (\"DE\", \"FR\", \"GB\", \"NL\")'\n"
            "  big: 'employees >= 1000'\n"
            "  software: 'industry = \"Software\" and segment(\"emea\")'\n"
            "rules:\n"
            "  - { name: emea, when: 'segment(\"emea\")', to: team:field, strategy: least-loaded }\n"
            "  - { name: rest, when: 'true', to: team:field, strategy: round-robin }\n"
            "reclaim: { no-activity-days: 14, max-hold-days: 60, cooldown-days: 7, warn-days: 3 }\n")

    def simple_condition(self):
        # No single quotes: it goes inside a single-quoted YAML scalar.
        return self.condition(depth=3).replace("'", '"')

    def rules_text(self):
        roll = self.rng.random()
        if roll < 0.25:
            return self.valid_rules().encode()
        if roll < 0.7:
            return self.mutate_text(self.valid_rules())
        if roll < 0.8:
            lines = self.valid_rules().splitlines()
            self.rng.shuffle(lines)
            return ("\n".join(lines) + "\n").encode()
        n = self.rng.choice([200, 600, 1200])
        kind = self.rng.randrange(5)
        if kind == 0:
            return ("segments:\n" + "".join(f"  s{i}: 'employees >= {i}'\n" for i in range(n))).encode()
        if kind == 1:
            return ("segments:\n" + "".join(f"  s{i}: 'segment(\"s{i + 1}\") and employees > {i}'\n" for i in range(n))
                    + f"  s{n}: 'true'\n").encode()
        if kind == 2:
            return ("icp:\n" + "".join(f"  - {{ name: c{i}, when: 'employees >= {i}', points: 1 }}\n" for i in range(n))).encode()
        if kind == 3:
            return ("rules:\n" + "".join(f"  - {{ name: r{i}, when: 'employees = {i}', to: team:field }}\n" for i in range(n))).encode()
        return ("segments: " + "[" * n + "]" * n + "\n").encode()

    def rules_case(self):
        data = self.rules_text()
        apply = self.rng.random() < 0.08
        command = ["rules", "apply" if apply else "check", "fuzz.yaml"]
        if not apply and self.rng.random() < 0.3:
            command = ["--as", "ana"] + command
        status = self.case("rules-apply" if apply else "rules-check", command, {"fuzz.yaml": data})
        if apply and status == 0:
            # Whatever was applied, every reader of the ruleset must still work.
            for follow in (["segment", "list"], ["report", "pool"], ["assign", "--dry-run"], ["reclaim", "--dry-run"]):
                self.case("after-apply", follow)

    # MARK: - CSV files

    def csv_data(self):
        base = self.leads_csv(self.rng.randint(1, 30))
        header, _, body = base.partition(b"\n")
        # Fresh emails, so a real import adds leads rather than finding duplicates only.
        body = body.replace(b"@c", b"@f%d-" % self.rng.randrange(10 ** 9))
        data = header + b"\n" + body
        for _ in range(self.rng.randint(1, 5)):
            roll = self.rng.random()
            position = self.rng.randint(0, len(data))
            if roll < 0.15:
                data = data[:position]
            elif roll < 0.3:
                data = data[:position] + self.rng.choice([b'"', b'""', b'"a,b"', b"\r", b"\r\n", b";", b"\t", b",,,,"]) + data[position:]
            elif roll < 0.45:
                data = data[:position] + bytes(self.rng.randrange(256) for _ in range(self.rng.randint(1, 40))) + data[position:]
            elif roll < 0.55:
                data = data[:position] + self.rng.choice([b"\xff\xfe", b"\xef\xbb\xbf", b"\xc3\x28", b"\xfc", b"\x00"]) + data[position:]
            elif roll < 0.65:
                data = data[:position] + b"x" * self.rng.choice([1000, 100_000, 1_200_000]) + data[position:]
            elif roll < 0.72:
                data = data + b"Big Co," + b"t;" * 50_000 + b"\n"
            elif roll < 0.8:
                data = data.replace(b",", self.rng.choice([b";", b"\t", b"|"]))
            elif roll < 0.87:
                data = b"\xff\xfe" + data.decode("utf-8", "replace").encode("utf-16-le", "replace")
            elif roll < 0.93:
                data = bytes(self.rng.randrange(256) for _ in range(self.rng.randint(0, 2000)))
            else:
                data = data + b"\n".join(b"Row %d,r%d@x%d.com" % (i, i, i) + b"," * self.rng.randint(0, 12) for i in range(200))
        return data

    def csv_case(self):
        data = self.csv_data()
        real = self.rng.random() < 0.1
        command = ["import", "fuzz.csv"]
        if not real:
            command.append("--dry-run")
        command += self.rng.choice([[], ["--on-duplicate", "update"], ["--on-duplicate", "error"], ["--tag", "fuzz"],
                                    ["--map", "Plan=attr.plan"], ["--source", "fuzz"]])
        self.case("import" if real else "import-dry-run", command, {"fuzz.csv": data})

    # MARK: - Main loop

    def loop(self):
        deadline = time.monotonic() + self.args.seconds
        kinds = [self.condition_case] * 5 + [self.rules_case] * 3 + [self.csv_case] * 3
        last_report = time.monotonic()
        while time.monotonic() < deadline:
            self.rng.choice(kinds)()
            if time.monotonic() - last_report > 30:
                print(f"  {self.cases} cases, {len(self.findings)} findings", flush=True)
                last_report = time.monotonic()

    def finish(self):
        status, stdout, stderr, _ = self.run(["check"])
        print(f"\n{self.cases} cases in {self.args.seconds} s (seed {self.args.seed}):")
        for kind, count in sorted(self.by_kind.items()):
            print(f"  {kind:15} {count}")
        print("exit codes: " + ", ".join(
            f"{'timeout' if code is None else code}: {count}"
            for code, count in sorted(self.exits.items(), key=lambda item: (item[0] is None, item[0] or 0))))
        healthy = status == 0
        print(f"leadpool check at the end: exit {status}")
        if not healthy:
            print(stdout.decode() + stderr.decode())
        print(f"{len(self.findings)} finding(s)" + (f", kept in {self.findings_dir}" if self.findings else ""))
        for finding in self.findings:
            print("  " + finding)
        if self.findings or not healthy or self.args.keep:
            print(f"work directory kept: {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)
        return 0 if healthy and not self.findings else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", help="the leadpool binary (default: build .build/debug/leadpool)")
    parser.add_argument("--seconds", type=float, default=120, help="how long to run cases (default 120)")
    parser.add_argument("--seed", type=int, default=None, help="the random seed (default: a new one, printed)")
    parser.add_argument("--leads", type=int, default=300, help="leads in the database (default 300)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds one run may take (default 120)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1, 2 ** 32)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if args.binary is None:
        subprocess.run(["swift", "build", "--product", "leadpool"], cwd=root, check=True)
        args.binary = os.path.join(root, ".build", "debug", "leadpool")
    args.binary = os.path.abspath(args.binary)
    print(f"fuzz: seed {args.seed} (replay with --seed {args.seed}), {args.seconds} s, binary {args.binary}", flush=True)
    fuzzer = Fuzzer(args)
    fuzzer.setup()
    fuzzer.loop()
    sys.exit(fuzzer.finish())


if __name__ == "__main__":
    main()

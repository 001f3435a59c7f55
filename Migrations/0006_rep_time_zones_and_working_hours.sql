-- Teams in real time zones (issue 16): a rep's own IANA time zone and working hours, and the
-- ruleset's zone kept beside its claim limits so a claim reads it without parsing the YAML.
--
-- reps.timezone: an IANA name (`Asia/Shanghai`); NULL = the ruleset's `timezone`.
-- reps.working_hours: `mon-fri 08:00-16:00` as leadpool writes it; NULL = the ruleset's.
-- rulesets.timezone: the file's `timezone:`; NULL = UTC (every version applied before this
-- migration, whose files could not name a zone).
ALTER TABLE reps ADD COLUMN timezone TEXT CHECK (timezone IS NULL OR length(timezone) BETWEEN 1 AND 64);
ALTER TABLE reps ADD COLUMN working_hours TEXT CHECK (working_hours IS NULL OR length(working_hours) BETWEEN 1 AND 64);
ALTER TABLE rulesets ADD COLUMN timezone TEXT CHECK (timezone IS NULL OR length(timezone) BETWEEN 1 AND 64);

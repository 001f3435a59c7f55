-- Twin of ../0006: a rep's own IANA time zone and working hours, and the ruleset's zone kept
-- beside its claim limits so a claim reads it without parsing the YAML.
ALTER TABLE reps ADD COLUMN timezone TEXT CHECK (timezone IS NULL OR length(timezone) BETWEEN 1 AND 64);
ALTER TABLE reps ADD COLUMN working_hours TEXT CHECK (working_hours IS NULL OR length(working_hours) BETWEEN 1 AND 64);
ALTER TABLE rulesets ADD COLUMN timezone TEXT CHECK (timezone IS NULL OR length(timezone) BETWEEN 1 AND 64);

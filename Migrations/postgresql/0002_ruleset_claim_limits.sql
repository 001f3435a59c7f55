-- The limits every claim checks, stored with each ruleset version when it is applied,
-- so a claim reads three numbers instead of re-parsing the YAML (twin of ../0002).
-- NULL for versions applied before this migration: those are read from their source.
ALTER TABLE rulesets ADD COLUMN default_capacity INTEGER CHECK (default_capacity IS NULL OR default_capacity >= 0);
ALTER TABLE rulesets ADD COLUMN default_daily_limit INTEGER CHECK (default_daily_limit IS NULL OR default_daily_limit >= 0);
ALTER TABLE rulesets ADD COLUMN cooldown_days INTEGER CHECK (cooldown_days IS NULL OR cooldown_days >= 0);

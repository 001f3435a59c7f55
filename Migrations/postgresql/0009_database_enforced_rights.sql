-- Twin of ../0009_database_enforced_rights.sql. PostgreSQL itself enforces who may read and
-- write what, so a rep's role cannot break leadpool's rules even with psql.
--
-- Who: the session's rep is the active rep whose handle is `session_user`, as leadpool's
-- identity matches them (leadpool_rep()); leadpool_is_admin() is that rep being an active
-- admin, or the session's role owning leadpool's tables (the schema owner, who ran `init`,
-- and superusers: they bypass row-level security as owners anyway). A role that is no rep
-- reads and writes no row.
--
-- Privileges go to PUBLIC and row-level security narrows them to reps, so `rep add` needs no
-- GRANT and no group role: a login role named as a rep works, one that is no rep sees nothing.
-- Grants made by hand before this migration (docs once said to GRANT every table to each
-- rep's role) are revoked.
--
-- Leads: every rep reads the lead rows, but a rep's role may SELECT only the columns leadpool
-- keeps itself (ids, company, owner, status, score, tier, pool, times). Whatever a lead says of
-- itself (contact fields, attributes, and the fields a rules file's `hidden:` lists may hide)
-- is read through the view lead_rows, which runs with its owner's rights and gives each such
-- column only where the session may see it: on leads the session's rep owns, to admins, on a
-- pool's leads to that pool's admins (their rounds route on these fields; leadpool still shows
-- them only what Visibility allows), and else only what no `hidden:` list (the file's, or the
-- lead's pool's) hides; attributes then
-- come from open_attrs, which leadpool fills with the attributes that are not contact data
-- (Visibility.isContactAttribute decides, in Swift) whenever it writes attrs. The column
-- `withheld` names the fields that hold a value the session may not read.
-- The rules' hidden lists and pool admins are kept beside each ruleset version (written by
-- `rules apply`), so the database reads them itself instead of trusting the client.
--
-- A rep updates only leads it owns or open pool leads it takes for itself (an update leaves
-- them its own or back in the pool, never another rep's, never in another pool); a pool's
-- admins act on their pool's leads; inserting and deleting leads is for admins.
--
-- Events: no role but the owner writes them directly; leadpool_record_event() (and, for
-- imports, leadpool_record_imported()) write them with the server's clock and the session's
-- role, and check that a non-admin's event is its own, of a kind it may write, agreeing with
-- the lead's state, at the server's time (only admins backfill).

SELECT set_config('search_path', format('%I, pg_temp', current_schema()), true);

-- MARK: who

CREATE FUNCTION leadpool_rep() RETURNS TEXT
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT handle FROM reps WHERE handle = session_user AND active
$$;

CREATE FUNCTION leadpool_is_admin() RETURNS BOOLEAN
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT EXISTS (SELECT 1 FROM reps WHERE handle = session_user AND active AND role = 'admin')
        OR pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'leads'::regclass), 'USAGE')
$$;

-- The pools the rules in force make the session's rep an admin of.
CREATE TABLE ruleset_pool_admins (
    version BIGINT NOT NULL REFERENCES rulesets(version),
    pool    TEXT NOT NULL,
    handle  TEXT NOT NULL,
    PRIMARY KEY (version, pool, handle)
);

CREATE FUNCTION leadpool_admin_pools() RETURNS TEXT[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT coalesce(array_agg(pool), '{}') FROM ruleset_pool_admins
    WHERE version = (SELECT max(version) FROM rulesets) AND handle = leadpool_rep()
$$;

-- MARK: hidden fields

-- The rules in force's `hidden:` lists: `name` is a lead field (`title`) or `attr.NAME`;
-- pool NULL is the file's list, else that pool's.
CREATE TABLE ruleset_hidden (
    version BIGINT NOT NULL REFERENCES rulesets(version),
    pool    TEXT,
    name    TEXT NOT NULL
);
CREATE INDEX ruleset_hidden_version ON ruleset_hidden(version, name);

-- The rules in force's hidden fields as `*:NAME` (the file's list) and `POOL:NAME` (a pool's):
-- read once per statement, so the view tests each lead against an array.
CREATE FUNCTION leadpool_hidden_names() RETURNS TEXT[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT coalesce(array_agg(coalesce(pool, '*') || ':' || name), '{}') FROM ruleset_hidden
    WHERE version = (SELECT max(version) FROM rulesets)
$$;

-- The attribute names the file's `hidden:` list hides, and whether any pool's list hides one:
-- read once per statement, so a lead's attributes need no call of their own but where a
-- pool hides attributes.
CREATE FUNCTION leadpool_hidden_attrs() RETURNS TEXT[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT coalesce(array_agg(substr(name, 6)), '{}') FROM ruleset_hidden
    WHERE version = (SELECT max(version) FROM rulesets) AND pool IS NULL AND name LIKE 'attr.%'
$$;

CREATE FUNCTION leadpool_pools_hide_attrs() RETURNS BOOLEAN
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT EXISTS (
        SELECT 1 FROM ruleset_hidden WHERE version = (SELECT max(version) FROM rulesets) AND pool IS NOT NULL AND name LIKE 'attr.%'
    )
$$;

-- A lead's attributes that are no contact data, less those the rules hide on its pool.
CREATE FUNCTION leadpool_shown_attrs(open JSON, lead_pool TEXT) RETURNS JSON
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT (open::jsonb - coalesce(array_agg(substr(name, 6)), '{}'))::json FROM ruleset_hidden
    WHERE version = (SELECT max(version) FROM rulesets) AND name LIKE 'attr.%' AND (pool IS NULL OR pool = lead_pool)
$$;

-- Filled by leadpool when it writes attrs (and, for the leads before this migration, by
-- `migrate` right after it).
ALTER TABLE leads ADD COLUMN open_attrs JSON;

CREATE VIEW lead_rows AS
SELECT
    l.id,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) OR NOT ('*:external_id' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':external_id' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN l.external_id END AS external_id,
    l.company,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) THEN l.first_name END AS first_name,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) THEN l.last_name END AS last_name,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) OR NOT ('*:title' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':title' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN l.title END AS title,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) THEN l.email END AS email,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) THEN l.email_norm END AS email_norm,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) THEN l.phone END AS phone,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) OR NOT ('*:website' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':website' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN l.website END AS website,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) OR NOT ('*:domain' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':domain' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN l.domain END AS domain,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) OR NOT ('*:country' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':country' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN l.country END AS country,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) OR NOT ('*:region' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':region' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN l.region END AS region,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) OR NOT ('*:city' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':city' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN l.city END AS city,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) OR NOT ('*:industry' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':industry' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN l.industry END AS industry,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) OR NOT ('*:employees' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':employees' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN l.employees END AS employees,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) OR NOT ('*:revenue' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':revenue' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN l.revenue END AS revenue,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) OR NOT ('*:source' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':source' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN l.source END AS source,
    l.status,
    l.score,
    l.tier,
    l.owner,
    l.created_at,
    l.claimed_at,
    l.last_activity_at,
    l.previous_owner,
    l.released_at,
    CASE WHEN ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) THEN l.attrs WHEN cardinality((SELECT leadpool_hidden_names())::TEXT[]) = 0 THEN l.open_attrs
        ELSE CASE WHEN NOT (SELECT leadpool_pools_hide_attrs()) THEN (l.open_attrs::jsonb - (SELECT leadpool_hidden_attrs())::TEXT[])::json ELSE leadpool_shown_attrs(l.open_attrs, l.pool) END END AS attrs,
    l.pool,
    l.moved_at,
    CASE WHEN NOT ((SELECT leadpool_is_admin()) OR coalesce(l.owner = (SELECT leadpool_rep()), FALSE) OR l.pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])) THEN
        array_remove(ARRAY[
            CASE WHEN l.external_id IS NOT NULL AND ('*:external_id' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':external_id' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN 'external_id' END,
            CASE WHEN l.first_name IS NOT NULL THEN 'first_name' END,
            CASE WHEN l.last_name IS NOT NULL THEN 'last_name' END,
            CASE WHEN l.title IS NOT NULL AND ('*:title' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':title' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN 'title' END,
            CASE WHEN l.email IS NOT NULL THEN 'email' END,
            CASE WHEN l.phone IS NOT NULL THEN 'phone' END,
            CASE WHEN l.website IS NOT NULL AND ('*:website' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':website' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN 'website' END,
            CASE WHEN l.domain IS NOT NULL AND ('*:domain' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':domain' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN 'domain' END,
            CASE WHEN l.country IS NOT NULL AND ('*:country' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':country' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN 'country' END,
            CASE WHEN l.region IS NOT NULL AND ('*:region' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':region' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN 'region' END,
            CASE WHEN l.city IS NOT NULL AND ('*:city' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':city' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN 'city' END,
            CASE WHEN l.industry IS NOT NULL AND ('*:industry' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':industry' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN 'industry' END,
            CASE WHEN l.employees IS NOT NULL AND ('*:employees' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':employees' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN 'employees' END,
            CASE WHEN l.revenue IS NOT NULL AND ('*:revenue' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':revenue' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN 'revenue' END,
            CASE WHEN l.source IS NOT NULL AND ('*:source' = ANY ((SELECT leadpool_hidden_names())::TEXT[]) OR l.pool || ':source' = ANY ((SELECT leadpool_hidden_names())::TEXT[])) THEN 'source' END
        ]::TEXT[], NULL) || ARRAY(
            SELECT 'attr.' || key FROM json_object_keys(l.attrs) AS key
            WHERE NOT coalesce((CASE WHEN cardinality((SELECT leadpool_hidden_names())::TEXT[]) = 0 THEN l.open_attrs
                                ELSE CASE WHEN NOT (SELECT leadpool_pools_hide_attrs()) THEN (l.open_attrs::jsonb - (SELECT leadpool_hidden_attrs())::TEXT[])::json ELSE leadpool_shown_attrs(l.open_attrs, l.pool) END END)::jsonb ? key, FALSE)
            ORDER BY key
        )
    END AS withheld
FROM leads l
WHERE (SELECT leadpool_is_admin()) OR (SELECT leadpool_rep()) IS NOT NULL;

-- Changes go to the table, under its policies; the view, which runs with its owner's rights,
-- takes none.
CREATE FUNCTION leadpool_refuse_view_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'lead_rows is for reading; leads are changed in the table leads' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER lead_rows_read_only INSTEAD OF INSERT OR UPDATE OR DELETE ON lead_rows
FOR EACH ROW EXECUTE FUNCTION leadpool_refuse_view_change();

-- MARK: privileges

DO $$
DECLARE
    object RECORD;
BEGIN
    -- Grants made by hand before: only the owner's own rights stay.
    FOR object IN
        SELECT DISTINCT c.relname, c.relkind, a.grantee
        FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.relnamespace = current_schema()::regnamespace AND a.grantee <> c.relowner
    LOOP
        EXECUTE format(
            'REVOKE ALL ON %s %I FROM %s',
            CASE WHEN object.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
            object.relname,
            CASE WHEN object.grantee = 0 THEN 'PUBLIC' ELSE object.grantee::regrole::text END
        );
    END LOOP;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO PUBLIC', current_schema());
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO PUBLIC', current_schema());
END
$$;

GRANT SELECT ON leadpool_migrations TO PUBLIC;
GRANT SELECT (id, company, status, score, tier, owner, pool, created_at, claimed_at, last_activity_at, previous_owner, released_at,
              moved_at) ON leads TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON leads TO PUBLIC;
-- UPDATE only so that a transaction can lock the leads it read through the view (FOR UPDATE);
-- the view itself refuses every change (below).
GRANT SELECT, UPDATE ON lead_rows TO PUBLIC;
GRANT SELECT, INSERT, DELETE ON lead_tags TO PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON reps, rep_territories, rulesets, ruleset_pool_admins, ruleset_hidden, rounds,
      round_robin_positions, weighted_totals, notices TO PUBLIC;
GRANT SELECT ON events TO PUBLIC;

-- MARK: row-level security

ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
CREATE POLICY leads_read ON leads FOR SELECT USING ((SELECT leadpool_rep()) IS NOT NULL OR (SELECT leadpool_is_admin()));
CREATE POLICY leads_add ON leads FOR INSERT WITH CHECK ((SELECT leadpool_is_admin()));
CREATE POLICY leads_remove ON leads FOR DELETE USING ((SELECT leadpool_is_admin()));
CREATE POLICY leads_change ON leads FOR UPDATE
USING (
    (SELECT leadpool_is_admin()) OR owner = (SELECT leadpool_rep()) OR (owner IS NULL AND status = 'open' AND (SELECT leadpool_rep()) IS NOT NULL)
    OR pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])
)
WITH CHECK ((SELECT leadpool_is_admin()) OR owner = (SELECT leadpool_rep()) OR owner IS NULL OR pool = ANY ((SELECT leadpool_admin_pools())::TEXT[]));

-- What a policy cannot say, as it sees either the old row or the new: a rep takes a pool lead
-- only for itself, and moves a lead only out of a pool it administers.
CREATE FUNCTION leadpool_guard_lead_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    pools TEXT[];
BEGIN
    IF leadpool_is_admin() THEN RETURN NEW; END IF;
    pools := leadpool_admin_pools();
    -- A pool's admins send its leads on (`lead move`, a round's `to: pool:P`, `reclaim.to`);
    -- leadpool decides where to.
    IF NEW.pool IS DISTINCT FROM OLD.pool AND NOT OLD.pool = ANY (pools) THEN
        RAISE EXCEPTION 'lead %: only the admins of pool % may move it to another pool', OLD.id, OLD.pool
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.owner IS NULL AND NEW.owner IS DISTINCT FROM leadpool_rep() AND NOT OLD.pool = ANY (pools) THEN
        RAISE EXCEPTION 'lead %: a rep takes a pool lead only for itself', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER leads_guard_change BEFORE UPDATE ON leads FOR EACH ROW EXECUTE FUNCTION leadpool_guard_lead_change();

-- A rep's change to who holds a lead, or to when it was last worked, comes with the event that
-- says so: taking a pool lead with its `claimed` event, giving it back with its `released`
-- event, a newer activity time with an event of the rep at that time (so a rep cannot keep a
-- lead from reclaim by setting `last_activity_at` in psql). Checked at commit, since leadpool
-- writes the lead before its event; the leads of a pool the session administers are its runs'.
CREATE FUNCTION leadpool_check_lead_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF OLD.pool = ANY (leadpool_admin_pools()) THEN RETURN NULL; END IF;
    IF OLD.owner IS NULL AND NEW.owner IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM events WHERE lead_id = NEW.id AND kind = 'claimed' AND to_owner = NEW.owner AND at = NEW.claimed_at
    ) THEN
        RAISE EXCEPTION 'lead %: a rep takes a pool lead only with its claimed event (leadpool claim)', NEW.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.owner IS NOT NULL AND NEW.owner IS NULL AND NOT EXISTS (
        SELECT 1 FROM events WHERE lead_id = NEW.id AND kind = 'released' AND from_owner = OLD.owner AND at = NEW.released_at
    ) THEN
        RAISE EXCEPTION 'lead %: a rep gives a lead back only with its released event (leadpool release)', NEW.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.last_activity_at IS DISTINCT FROM OLD.last_activity_at AND NOT EXISTS (
        SELECT 1 FROM events WHERE lead_id = NEW.id AND actor = leadpool_rep() AND at = NEW.last_activity_at
    ) THEN
        RAISE EXCEPTION 'lead %: its activity time moves only with an event of the rep at that time (leadpool touch)', NEW.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER leads_change_has_event AFTER UPDATE OF owner, last_activity_at ON leads
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
WHEN ((OLD.owner IS DISTINCT FROM NEW.owner OR OLD.last_activity_at IS DISTINCT FROM NEW.last_activity_at) AND NOT leadpool_is_admin())
EXECUTE FUNCTION leadpool_check_lead_event();

ALTER TABLE lead_tags ENABLE ROW LEVEL SECURITY;
CREATE POLICY lead_tags_read ON lead_tags FOR SELECT USING ((SELECT leadpool_rep()) IS NOT NULL OR (SELECT leadpool_is_admin()));
CREATE POLICY lead_tags_add ON lead_tags FOR INSERT WITH CHECK (
    (SELECT leadpool_is_admin())
    OR EXISTS (SELECT 1 FROM leads WHERE leads.id = lead_id AND (owner = (SELECT leadpool_rep()) OR pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])))
);
CREATE POLICY lead_tags_remove ON lead_tags FOR DELETE USING (
    (SELECT leadpool_is_admin())
    OR EXISTS (SELECT 1 FROM leads WHERE leads.id = lead_id AND (owner = (SELECT leadpool_rep()) OR pool = ANY ((SELECT leadpool_admin_pools())::TEXT[])))
);

-- Reps: everyone reads them; a rep locks rows (a claim locks its own, a pool admin's round
-- those it gives leads to) and changes only its own away window; the rest is for admins.
ALTER TABLE reps ENABLE ROW LEVEL SECURITY;
CREATE POLICY reps_read ON reps FOR SELECT USING ((SELECT leadpool_rep()) IS NOT NULL OR (SELECT leadpool_is_admin()));
CREATE POLICY reps_add ON reps FOR INSERT WITH CHECK ((SELECT leadpool_is_admin()));
CREATE POLICY reps_remove ON reps FOR DELETE USING ((SELECT leadpool_is_admin()));
CREATE POLICY reps_change ON reps FOR UPDATE USING ((SELECT leadpool_rep()) IS NOT NULL OR (SELECT leadpool_is_admin()))
WITH CHECK ((SELECT leadpool_is_admin()) OR handle = (SELECT leadpool_rep()));

CREATE FUNCTION leadpool_guard_rep_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF leadpool_is_admin() THEN RETURN NEW; END IF;
    IF OLD.handle IS DISTINCT FROM leadpool_rep()
        OR (to_jsonb(NEW) - 'away_from' - 'away_until') IS DISTINCT FROM (to_jsonb(OLD) - 'away_from' - 'away_until')
    THEN
        RAISE EXCEPTION 'rep %: a rep changes only its own away window; the rest is for admins', OLD.handle
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER reps_guard_change BEFORE UPDATE ON reps FOR EACH ROW EXECUTE FUNCTION leadpool_guard_rep_change();

-- Tables reps read and admins write.
DO $$
DECLARE
    name TEXT;
BEGIN
    FOREACH name IN ARRAY ARRAY['rep_territories', 'rulesets', 'ruleset_pool_admins', 'ruleset_hidden', 'notices'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format(
            'CREATE POLICY %I ON %I FOR SELECT USING ((SELECT leadpool_rep()) IS NOT NULL OR (SELECT leadpool_is_admin()))',
            name || '_read', name
        );
        EXECUTE format(
            'CREATE POLICY %I ON %I FOR ALL USING ((SELECT leadpool_is_admin())) WITH CHECK ((SELECT leadpool_is_admin()))',
            name || '_write', name
        );
    END LOOP;
    -- Rounds and their strategies' positions: a pool's admins run rounds for their pool.
    FOREACH name IN ARRAY ARRAY['rounds', 'round_robin_positions', 'weighted_totals'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', name);
        EXECUTE format(
            'CREATE POLICY %I ON %I FOR SELECT USING ((SELECT leadpool_rep()) IS NOT NULL OR (SELECT leadpool_is_admin()))',
            name || '_read', name
        );
        EXECUTE format(
            'CREATE POLICY %I ON %I FOR ALL USING ((SELECT leadpool_is_admin()) OR cardinality((SELECT leadpool_admin_pools())) > 0) '
            'WITH CHECK ((SELECT leadpool_is_admin()) OR cardinality((SELECT leadpool_admin_pools())) > 0)',
            name || '_write', name
        );
    END LOOP;
END
$$;

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
CREATE POLICY events_read ON events FOR SELECT USING ((SELECT leadpool_rep()) IS NOT NULL OR (SELECT leadpool_is_admin()));

-- MARK: events

-- Appends one event, written now by the session's role. A non-admin writes only its own
-- events, of the kinds its commands write, agreeing with the lead as it now stands, at the
-- server's time (within a minute of its transaction's start: only admins backfill).
CREATE FUNCTION leadpool_record_event(
    p_lead BIGINT, p_at BIGINT, p_actor TEXT, p_kind TEXT, p_from TEXT, p_to TEXT, p_round BIGINT, p_rule TEXT, p_reason TEXT,
    p_detail JSON
) RETURNS BIGINT
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    clock BIGINT := floor(extract(epoch FROM clock_timestamp()))::BIGINT;
    me TEXT;
    lead RECORD;
    agrees BOOLEAN;
    written BIGINT;
BEGIN
    IF NOT leadpool_is_admin() THEN
        me := leadpool_rep();
        IF me IS NULL THEN
            RAISE EXCEPTION 'role % is no active rep, so it writes no events', session_user USING ERRCODE = 'insufficient_privilege';
        END IF;
        -- A pool admin's reclaim and rounds write `system`'s events, as leadpool's runs do.
        IF p_actor IS DISTINCT FROM me AND NOT (
            p_actor = 'system' AND p_kind IN ('assigned', 'moved', 'reclaimed', 'escalated', 'first_touch_missed')
            AND cardinality(leadpool_admin_pools()) > 0
        ) THEN
            RAISE EXCEPTION 'rep % may not write events as %: only admins act as someone else', me, p_actor
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        -- Against the transaction's start, so that waiting for a lock (an import holds the
        -- leads for a while) does not make a rep's own time look old.
        IF abs(p_at - extract(epoch FROM now())) > 60 THEN
            RAISE EXCEPTION 'rep % may not write an event at % (the server''s clock is %): only admins backfill',
                me, to_timestamp(p_at) AT TIME ZONE 'UTC', to_timestamp(clock) AT TIME ZONE 'UTC'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        SELECT owner, status, pool INTO lead FROM leads WHERE id = p_lead;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no lead with id %', p_lead USING ERRCODE = 'insufficient_privilege';
        END IF;
        agrees := CASE p_kind
            WHEN 'claimed' THEN lead.owner = me AND p_to = me AND p_from IS NULL
            WHEN 'released' THEN lead.owner IS NULL AND p_from = me AND p_to IS NULL
            WHEN 'touched' THEN lead.owner = me
            WHEN 'qualified' THEN lead.owner = me AND lead.status = 'qualified'
            WHEN 'converted' THEN lead.owner = me AND lead.status = 'converted'
            WHEN 'disqualified' THEN lead.owner = me AND lead.status = 'disqualified'
            WHEN 'updated' THEN lead.owner = me
            WHEN 'tagged' THEN lead.owner = me OR lead.pool = ANY (leadpool_admin_pools())
            WHEN 'untagged' THEN lead.owner = me OR lead.pool = ANY (leadpool_admin_pools())
            WHEN 'assigned' THEN lead.pool = ANY (leadpool_admin_pools()) AND lead.owner IS NOT DISTINCT FROM p_to
            WHEN 'transferred' THEN lead.pool = ANY (leadpool_admin_pools()) AND lead.owner IS NOT DISTINCT FROM p_to
            WHEN 'first_touch_missed' THEN lead.pool = ANY (leadpool_admin_pools())
            -- These may have sent the lead on to a pool the rep does not administer.
            WHEN 'moved' THEN cardinality(leadpool_admin_pools()) > 0
            WHEN 'reclaimed' THEN cardinality(leadpool_admin_pools()) > 0 AND lead.owner IS NULL
            WHEN 'escalated' THEN cardinality(leadpool_admin_pools()) > 0 AND lead.owner IS NOT DISTINCT FROM p_to
            ELSE FALSE
        END;
        IF agrees IS NOT TRUE THEN
            RAISE EXCEPTION 'rep % may not write a % event on lead % as it stands (owner %, status %, pool %)',
                me, p_kind, p_lead, coalesce(lead.owner, 'none'), lead.status, lead.pool
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    INSERT INTO events (lead_id, at, actor, kind, from_owner, to_owner, round_id, rule, reason, detail, recorded_at, recorded_by)
    VALUES (p_lead, p_at, p_actor, p_kind, p_from, p_to, p_round, p_rule, p_reason, p_detail, clock, session_user)
    RETURNING id INTO written;
    RETURN written;
END
$$;

-- The `imported` events of an import's new leads, one per lead: for admins.
CREATE FUNCTION leadpool_record_imported(p_leads BIGINT[], p_details TEXT[], p_at BIGINT, p_actor TEXT) RETURNS VOID
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF NOT leadpool_is_admin() THEN
        RAISE EXCEPTION 'only admins import leads' USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO events (lead_id, at, actor, kind, detail, recorded_at, recorded_by)
    SELECT e.lead, p_at, p_actor, 'imported', e.detail::json, floor(extract(epoch FROM clock_timestamp()))::BIGINT, session_user
    FROM unnest(p_leads, p_details) AS e(lead, detail);
END
$$;

-- The lead an import's row duplicates, by one of its keys, among the leads before `before`:
-- for admins (the columns it looks at are not a rep's to read).
CREATE FUNCTION leadpool_find_lead(p_key TEXT, p_value TEXT, p_before BIGINT) RETURNS BIGINT
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF NOT leadpool_is_admin() THEN
        RAISE EXCEPTION 'only admins look leads up by %', p_key USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE p_key
        WHEN 'external_id' THEN (SELECT id FROM leads WHERE external_id = p_value AND id < p_before ORDER BY id LIMIT 1)
        WHEN 'email' THEN (SELECT id FROM leads WHERE email_norm = p_value AND id < p_before ORDER BY id LIMIT 1)
        WHEN 'domain' THEN (SELECT id FROM leads WHERE domain = p_value AND id < p_before ORDER BY id LIMIT 1)
        WHEN 'domain_only' THEN (
            SELECT id FROM leads
            WHERE domain = p_value AND external_id IS NULL AND email_norm IS NULL AND id < p_before ORDER BY id LIMIT 1
        )
    END;
END
$$;

-- Functions are callable by PUBLIC; each checks its caller itself.

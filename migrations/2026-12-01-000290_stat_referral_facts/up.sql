-- Steering at scale (issue 14, requirement 5; docs/PERFORMANCE.md, docs/STEERING.md): one
-- row a referral of a cohort (a referral with a `submitted` event: its "root"), holding the
-- instants of each step the figures need, so a dashboard reads a quarter's rows instead of
-- its ~250,000 events. Exact for any `as_of`: every step is kept as the instant it happened
-- (the first one), and the query compares it with `as_of` (db::stats::cohort).
--
-- The facts are derived from `events` alone (so they survive the anonymisation of youths)
-- and from `referrals.previous_referral_id` (the chain of a resumed referral, whose events
-- count for the referral it resumes), by `stat_facts_refresh`, which a statement trigger on
-- `events` calls in the transaction of every insert: no writer (db::journal, a migration, a
-- generator, a test fixture) can leave them behind.
CREATE TABLE stat_referral_facts (
  -- The cohort's referral (the root of a resumed chain). No foreign key: a fact is figures.
  referral_id              uuid PRIMARY KEY,
  -- From its first `submitted` event (created, or moderation passed), as it was.
  territory_id             uuid NOT NULL,
  prescriber_structure_id  uuid,
  prescriber_kind          text,
  exit_date                date,
  submitted_at             timestamptz NOT NULL,
  -- Ever closed `entered_in_error` (itself, not its chain): left out whatever `as_of`.
  entered_in_error         boolean NOT NULL,
  -- Closed `duplicate` (itself).
  duplicate_at             timestamptz,
  -- Over the chain: the first contact (attempt `reached` or `appointment_set`), the attempts
  -- up to and including it, the first `unreachable`, diagnostic saved, `diagnosis` reached.
  contact_at               timestamptz,
  attempts_to_contact      integer NOT NULL,
  unreachable_at           timestamptz,
  diagnosed_at             timestamptz,
  reached_at               timestamptz,
  -- Relays through SAS: the first requested, the first accepted; the first started (the
  -- relay of the J+90 checkpoint), its J+90 answer and its end (outcome or `failed`).
  relayed_at               timestamptz,
  accepted_at              timestamptz,
  started_at               timestamptz,
  j90_answer               text,
  j90_answered_at          timestamptz,
  relay_end                text,
  relay_ended_at           timestamptz,
  -- Off-platform relays: the first recorded, the first started.
  off_relayed_at           timestamptz,
  off_started_at           timestamptz
);
CREATE INDEX stat_referral_facts_territory ON stat_referral_facts (territory_id, submitted_at);
CREATE INDEX stat_referral_facts_prescriber
  ON stat_referral_facts (prescriber_structure_id, territory_id, submitted_at);

-- Recomputes the facts of the referrals `ids` touch: each of them and the referrals up
-- their chains (a resumed referral's events are its root's). Concurrent writers are
-- serialised per root (an advisory lock taken before reading the events, so each statement
-- after it sees the events the other committed); a bulk refresh (over 1,000 roots, e.g. the
-- generator, the backfill) locks the table instead, as the lock table would not hold them.
CREATE FUNCTION stat_facts_refresh(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  roots uuid[];
  r uuid;
BEGIN
  WITH RECURSIVE up AS (
    SELECT k.id FROM unnest(ids) AS k(id)
    UNION
    SELECT p.previous_referral_id FROM up JOIN referrals p ON p.id = up.id
    WHERE p.previous_referral_id IS NOT NULL)
  SELECT array_agg(id ORDER BY id) INTO roots FROM up;
  IF roots IS NULL THEN
    RETURN;
  END IF;
  IF cardinality(roots) > 1000 THEN
    LOCK TABLE stat_referral_facts IN SHARE ROW EXCLUSIVE MODE;
  ELSE
    LOCK TABLE stat_referral_facts IN ROW EXCLUSIVE MODE;
    FOREACH r IN ARRAY roots LOOP
      PERFORM pg_advisory_xact_lock(hashtextextended(r::text, 14));
    END LOOP;
  END IF;
  DELETE FROM stat_referral_facts f USING unnest(roots) AS k(id) WHERE f.referral_id = k.id;
  INSERT INTO stat_referral_facts
  WITH RECURSIVE first AS (
    SELECT DISTINCT ON (e.referral_id) e.referral_id AS root, e.occurred_at, e.territory_id,
           e.prescriber_structure_id, e.prescriber_kind, e.exit_date
    FROM events e JOIN unnest(roots) AS k(id) ON e.referral_id = k.id
    WHERE e.kind IN ('created', 'status_changed') AND e.to_status = 'submitted'
    ORDER BY e.referral_id, e.occurred_at, e.id),
  chain AS (
    SELECT root, root AS id FROM first
    UNION ALL
    SELECT c.root, n.id FROM chain c JOIN referrals n ON n.previous_referral_id = c.id),
  ev AS (
    SELECT c.root, c.id, x.kind, x.to_status, x.code, x.occurred_at, x.relay_id, x.fields
    FROM chain c JOIN events x ON x.referral_id = c.id),
  agg AS (
    SELECT root,
           count(*) FILTER (WHERE id = root AND to_status = 'closed' AND code = 'entered_in_error') > 0
             AS err,
           min(occurred_at) FILTER (WHERE id = root AND to_status = 'closed' AND code = 'duplicate')
             AS duplicate_at,
           min(occurred_at) FILTER (WHERE kind = 'contact_attempt'
             AND code IN ('reached', 'appointment_set')) AS contact_at,
           min(occurred_at) FILTER (WHERE to_status = 'unreachable') AS unreachable_at,
           min(occurred_at) FILTER (WHERE kind = 'diagnostic_saved') AS diagnosed_at,
           min(occurred_at) FILTER (WHERE kind = 'status_changed' AND to_status = 'diagnosis')
             AS reached_at
    FROM ev GROUP BY root),
  att AS (
    SELECT ev.root, count(*) AS n FROM ev JOIN agg ON agg.root = ev.root
    WHERE ev.kind = 'contact_attempt' AND ev.occurred_at <= agg.contact_at GROUP BY ev.root),
  rel AS (
    SELECT root, relay_id,
           bool_or(kind = 'relay_requested' AND code IS NOT DISTINCT FROM 'off_platform') AS off,
           min(occurred_at) FILTER (WHERE kind = 'relay_requested') AS requested_at,
           min(occurred_at) FILTER (WHERE kind = 'relay_accepted') AS accepted_at,
           min(occurred_at) FILTER (WHERE kind = 'relay_started') AS started_at,
           min(code) FILTER (WHERE kind = 'checkpoint_answered' AND 'j90' = ANY(fields)) AS j90,
           min(occurred_at) FILTER (WHERE kind = 'checkpoint_answered' AND 'j90' = ANY(fields))
             AS j90_at,
           min(occurred_at) FILTER (WHERE kind IN ('relay_completed', 'relay_failed')) AS ended_at,
           min(CASE WHEN kind = 'relay_completed' THEN code WHEN kind = 'relay_failed'
             THEN 'failed' END) AS end_code
    FROM ev WHERE relay_id IS NOT NULL GROUP BY root, relay_id),
  rr AS (
    SELECT root, min(requested_at) FILTER (WHERE NOT off) AS relayed_at,
           min(accepted_at) FILTER (WHERE NOT off) AS accepted_at,
           min(requested_at) FILTER (WHERE off) AS off_relayed_at,
           min(started_at) FILTER (WHERE off) AS off_started_at
    FROM rel GROUP BY root),
  fs AS (
    SELECT DISTINCT ON (root) * FROM rel WHERE NOT off AND started_at IS NOT NULL
    ORDER BY root, started_at, relay_id)
  SELECT f.root, f.territory_id, f.prescriber_structure_id, f.prescriber_kind, f.exit_date,
         f.occurred_at, coalesce(a.err, false), a.duplicate_at, a.contact_at,
         coalesce(att.n, 0), a.unreachable_at, a.diagnosed_at, a.reached_at,
         rr.relayed_at, rr.accepted_at, fs.started_at, fs.j90, fs.j90_at, fs.end_code,
         fs.ended_at, rr.off_relayed_at, rr.off_started_at
  FROM first f LEFT JOIN agg a ON a.root = f.root LEFT JOIN att ON att.root = f.root
  LEFT JOIN rr ON rr.root = f.root LEFT JOIN fs ON fs.root = f.root;
END $$;

CREATE FUNCTION stat_facts_on_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM stat_facts_refresh(ARRAY(SELECT DISTINCT referral_id FROM new_events));
  RETURN NULL;
END $$;
-- Events are append-only (events_append_only); an UPDATE happens only in a migration that
-- lifts the guard, and refreshes all the same.
CREATE TRIGGER events_stat_facts_insert AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION stat_facts_on_events();
CREATE TRIGGER events_stat_facts_update AFTER UPDATE ON events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION stat_facts_on_events();

-- Backfill: every referral with events.
SELECT stat_facts_refresh(ARRAY(SELECT DISTINCT referral_id FROM events));
ANALYZE stat_referral_facts;

-- The referral core, typed and hardened (issue 7):
--  * events carry every snapshot the hypotheses need, codes only (free text moves to
--    event_notes, which anonymisation can blank);
--  * consent becomes an append-only history; the referral shows the latest record;
--  * append-only really is append-only: UPDATE, DELETE and TRUNCATE are refused on events,
--    access_logs and consent_records; old access logs are purged through one function only;
--  * possible duplicates are computed when read, never stored;
--  * communes can be reloaded from a new edition without breaking rows that point at them;
--  * the queue's views are served by indexes, whatever the share of closed referrals.

-- ---------------------------------------------------------------------------------------
-- Append-only, for real. The foundation's function let any transaction DELETE after
-- `SET LOCAL sas.purge = 'on'`; now nothing deletes but sas_purge_access_logs() below.
CREATE OR REPLACE FUNCTION sas_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Nested: plpgsql does not short-circuit, and only access_logs has occurred_at.
  IF TG_TABLE_NAME = 'access_logs' AND TG_OP = 'DELETE' THEN
    IF current_setting('sas.purging_access_logs', true) = 'on' THEN
      IF OLD.occurred_at < now() - interval '12 months' THEN
        RETURN OLD;
      END IF;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$;

CREATE FUNCTION sas_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (TRUNCATE refused)', TG_TABLE_NAME
    USING ERRCODE = 'restrict_violation';
END
$$;

-- The one purge path: the retention job deletes access logs older than `cutoff`, and never
-- younger than the 12 months DOMAIN.md keeps them, whatever cutoff it passes.
CREATE FUNCTION sas_purge_access_logs(cutoff timestamptz) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  PERFORM set_config('sas.purging_access_logs', 'on', true);
  DELETE FROM access_logs
   WHERE occurred_at < least(cutoff, now() - interval '12 months');
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('sas.purging_access_logs', 'off', true);
  RETURN n;
END
$$;

CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION sas_no_truncate();
CREATE TRIGGER access_logs_no_truncate BEFORE TRUNCATE ON access_logs
  FOR EACH STATEMENT EXECUTE FUNCTION sas_no_truncate();

-- ---------------------------------------------------------------------------------------
-- Events: typed columns and snapshots, codes only.
CREATE TABLE event_notes (
  event_id     uuid PRIMARY KEY REFERENCES events (id),
  referral_id  uuid NOT NULL REFERENCES referrals (id),
  note         text,
  blanked_at   timestamptz
);
CREATE INDEX event_notes_referral ON event_notes (referral_id);

-- Free text written in events so far: the closing reason in `data`, and whatever was sent as
-- `reason` with other moves (it landed in `code`).
INSERT INTO event_notes (event_id, referral_id, note)
SELECT id, referral_id, coalesce(data->>'reason', code) FROM events
WHERE data ? 'reason'
   OR (kind = 'status_changed' AND to_status NOT IN ('closed', 'on_hold') AND code IS NOT NULL);

ALTER TABLE events
  ADD COLUMN prescriber_structure_id uuid REFERENCES structures (id),
  ADD COLUMN channel text CHECK (channel IN ('institutional', 'field_actor', 'relative', 'self')),
  ADD COLUMN exit_date date,
  ADD COLUMN counsellor_id uuid REFERENCES users (id),
  ADD COLUMN fields text[] NOT NULL DEFAULT '{}';

-- Backfill the snapshots of existing events from their referral (ALTER does not fire the
-- row triggers; this UPDATE must, so the guard is lifted for this one statement).
ALTER TABLE events DISABLE TRIGGER events_append_only;
UPDATE events e SET
  prescriber_structure_id = r.prescriber_structure_id,
  channel = r.channel,
  exit_date = r.exit_date,
  counsellor_id = CASE WHEN e.data ? 'counsellor_id' THEN (e.data->>'counsellor_id')::uuid END,
  fields = CASE WHEN e.data ? 'fields'
                THEN ARRAY(SELECT jsonb_array_elements_text(e.data->'fields')) ELSE '{}' END,
  code = CASE WHEN e.kind = 'created' OR (e.kind = 'status_changed' AND e.to_status IN ('closed', 'on_hold'))
              THEN e.code END
FROM referrals r WHERE r.id = e.referral_id;
ALTER TABLE events ENABLE TRIGGER events_append_only;

ALTER TABLE events
  DROP COLUMN data,
  ALTER COLUMN channel SET NOT NULL,
  ADD CONSTRAINT events_kind CHECK (kind IN ('created', 'status_changed', 'assigned', 'corrected', 'consent_recorded')),
  ADD CONSTRAINT events_from_status CHECK (from_status IN (
    'pending_moderation', 'submitted', 'contacting', 'unreachable',
    'diagnosis', 'relaying', 'followed', 'on_hold', 'closed')),
  ADD CONSTRAINT events_to_status CHECK (to_status IN (
    'pending_moderation', 'submitted', 'contacting', 'unreachable',
    'diagnosis', 'relaying', 'followed', 'on_hold', 'closed')),
  -- Codes, never free text.
  ADD CONSTRAINT events_code CHECK (code ~ '^[a-z][a-z_]{0,40}$');
CREATE INDEX events_prescriber ON events (prescriber_structure_id, kind, occurred_at);

-- ---------------------------------------------------------------------------------------
-- Consent history.
CREATE TABLE consent_records (
  id               uuid PRIMARY KEY,
  referral_id      uuid NOT NULL REFERENCES referrals (id),
  informed_at      timestamptz NOT NULL,
  informed_by      text NOT NULL CHECK (length(btrim(informed_by)) BETWEEN 1 AND 200),
  method           text NOT NULL CHECK (method IN ('oral', 'written')),
  agreed           text[] NOT NULL CHECK (agreed <@ ARRAY['sas_contact', 'share_with_receiver']::text[]),
  actor_user_id    uuid REFERENCES users (id),
  actor_client_id  uuid REFERENCES api_clients (id),
  recorded_at      timestamptz NOT NULL,
  CHECK (num_nonnulls(actor_user_id, actor_client_id) <= 1)
);
-- The latest record of a referral first.
CREATE INDEX consent_records_latest ON consent_records (referral_id, recorded_at DESC, id DESC);
CREATE TRIGGER consent_records_append_only BEFORE UPDATE OR DELETE ON consent_records
  FOR EACH ROW EXECUTE FUNCTION sas_append_only();
CREATE TRIGGER consent_records_no_truncate BEFORE TRUNCATE ON consent_records
  FOR EACH STATEMENT EXECUTE FUNCTION sas_no_truncate();

INSERT INTO consent_records (id, referral_id, informed_at, informed_by, method, agreed,
                             actor_user_id, actor_client_id, recorded_at)
SELECT gen_random_uuid(), id, consent_informed_at, consent_informed_by, consent_method,
       consent_agreed, created_by_user_id, created_by_client_id, created_at
FROM referrals;

-- ---------------------------------------------------------------------------------------
-- Referrals: consent moves to its history, the closing reason to the event's note, the
-- duplicate flag is computed when read.
INSERT INTO event_notes (event_id, referral_id, note)
SELECT DISTINCT ON (r.id) e.id, r.id, r.outcome_reason
FROM referrals r JOIN events e ON e.referral_id = r.id
WHERE r.outcome_reason IS NOT NULL AND e.kind = 'status_changed' AND e.to_status = 'closed'
  AND NOT EXISTS (SELECT 1 FROM event_notes n WHERE n.event_id = e.id)
ORDER BY r.id, e.occurred_at DESC;

ALTER TABLE referrals
  DROP COLUMN consent_informed_at,
  DROP COLUMN consent_informed_by,
  DROP COLUMN consent_method,
  DROP COLUMN consent_agreed,
  DROP COLUMN outcome_reason,
  DROP COLUMN possible_duplicate;

-- The queue's views (ordered by exit date, nulls last, then creation time, then id). Open
-- referrals have their own partial indexes, so a territory's closed history never has to be
-- scanned to find the first page of open ones.
DROP INDEX referrals_prescriber;
CREATE INDEX referrals_queue_open ON referrals (territory_id, exit_date ASC NULLS LAST, created_at, id)
  WHERE status <> 'closed';
CREATE INDEX referrals_queue_status ON referrals (territory_id, status, exit_date ASC NULLS LAST, created_at, id);
CREATE INDEX referrals_assigned_open ON referrals (assigned_counsellor_id, exit_date ASC NULLS LAST, created_at, id)
  WHERE status <> 'closed';
CREATE INDEX referrals_assigned ON referrals (assigned_counsellor_id, exit_date ASC NULLS LAST, created_at, id);
CREATE INDEX referrals_prescriber ON referrals (prescriber_structure_id, exit_date ASC NULLS LAST, created_at, id);
CREATE INDEX referrals_prescriber_open ON referrals (prescriber_structure_id, exit_date ASC NULLS LAST, created_at, id)
  WHERE status <> 'closed';
CREATE INDEX referrals_prescriber_status ON referrals (prescriber_structure_id, status, exit_date ASC NULLS LAST, created_at, id);
-- Possible duplicates: the open referrals of a youth.
CREATE INDEX referrals_youth_open ON referrals (youth_id) WHERE status <> 'closed';

-- Searching the queue by name, birth date or phone. A name query matches when each of its
-- words starts a word of the youth's "last first" key: the key's word prefixes (up to 20
-- characters) are kept in a generated column with a GIN index, so the words of a query are
-- intersected in the index, however common each is alone.
CREATE FUNCTION sas_name_prefixes(key text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT left(w, n)), '{}')
  FROM unnest(string_to_array(key, ' ')) AS w, generate_series(1, least(length(w), 20)) AS n
  WHERE w <> ''
$$;
ALTER TABLE youths ADD COLUMN name_prefixes text[] GENERATED ALWAYS AS (sas_name_prefixes(name_key)) STORED;
CREATE INDEX youths_name_prefixes ON youths USING gin (name_prefixes);
CREATE INDEX youths_birth_date ON youths (birth_date);

-- ---------------------------------------------------------------------------------------
-- Reference data editions: which version of each committed file a database holds. A new
-- edition of data/communes.csv is upserted at start-up (db::communes::reload); communes that
-- left the file are retired, never deleted, so rows pointing at a merged commune keep working.
CREATE TABLE reference_data (
  name       text PRIMARY KEY,
  version    text NOT NULL,
  loaded_at  timestamptz NOT NULL
);
ALTER TABLE communes ADD COLUMN retired_at timestamptz;

-- Retention, anonymisation and erasure (issue 15, part a).
--  * an anonymised youth keeps its row (referrals, events and statistics point at it) with
--    empty names: the names' CHECK allows '' once anonymised_at is set;
--  * the free text of the consent history (informed_by) can be blanked through one narrow
--    function, the only UPDATE consent_records ever accepts;
--  * the administrative audit can target a youth (erasure) — and a referral (issue 15b reads
--    with a reason), so that either branch's migration may come first;
--  * each retention run is recorded.

ALTER TABLE youths
  DROP CONSTRAINT youths_first_name_check,
  DROP CONSTRAINT youths_last_name_check,
  ADD CONSTRAINT youths_first_name_check CHECK (
    length(btrim(first_name)) BETWEEN 1 AND 100 OR (anonymised_at IS NOT NULL AND first_name = '')),
  ADD CONSTRAINT youths_last_name_check CHECK (
    length(btrim(last_name)) BETWEEN 1 AND 100 OR (anonymised_at IS NOT NULL AND last_name = ''));

ALTER TABLE admin_audit DROP CONSTRAINT admin_audit_target_type_check;
ALTER TABLE admin_audit ADD CONSTRAINT admin_audit_target_type_check
  CHECK (target_type IN ('user', 'api_client', 'territory', 'structure', 'import', 'job', 'youth', 'referral'));

-- The append-only guard, as in 000007, plus one exception: while sas_blank_consent_informed_by
-- runs, an UPDATE of consent_records that sets informed_by to the placeholder and changes
-- nothing else passes.
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
  IF TG_TABLE_NAME = 'consent_records' AND TG_OP = 'UPDATE' THEN
    IF current_setting('sas.blanking_consent', true) = 'on' THEN
      IF NEW.informed_by = '—'
         AND (NEW.id, NEW.referral_id, NEW.informed_at, NEW.method, NEW.agreed,
              NEW.actor_user_id, NEW.actor_client_id, NEW.recorded_at)
             IS NOT DISTINCT FROM
             (OLD.id, OLD.referral_id, OLD.informed_at, OLD.method, OLD.agreed,
              OLD.actor_user_id, OLD.actor_client_id, OLD.recorded_at) THEN
        RETURN NEW;
      END IF;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$;

-- The one path that changes a consent record: anonymisation blanks who informed the youth
-- (free text), never the dates, the method nor what was agreed.
CREATE FUNCTION sas_blank_consent_informed_by(referral_ids uuid[]) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  PERFORM set_config('sas.blanking_consent', 'on', true);
  UPDATE consent_records SET informed_by = '—'
   WHERE referral_id = ANY (referral_ids) AND informed_by <> '—';
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('sas.blanking_consent', 'off', true);
  RETURN n;
END
$$;

-- One row per retention run (GET /api/v1/admin/retention-runs).
CREATE TABLE retention_runs (
  id                           uuid PRIMARY KEY,
  started_at                   timestamptz NOT NULL,
  finished_at                  timestamptz,
  retention_months             integer NOT NULL CHECK (retention_months >= 1),
  access_log_retention_months  integer NOT NULL CHECK (access_log_retention_months >= 12),
  anonymised                   integer NOT NULL DEFAULT 0 CHECK (anonymised >= 0),
  access_logs_purged           bigint NOT NULL DEFAULT 0 CHECK (access_logs_purged >= 0),
  -- {reason code: count}
  skipped                      jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(skipped) = 'object')
);
CREATE INDEX retention_runs_recent ON retention_runs (started_at DESC, id DESC);
-- The sweep's candidates: youths not yet anonymised.
CREATE INDEX youths_not_anonymised ON youths (id) WHERE anonymised_at IS NULL;

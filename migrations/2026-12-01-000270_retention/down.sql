DROP INDEX youths_not_anonymised;
DROP TABLE retention_runs;
DROP FUNCTION sas_blank_consent_informed_by(uuid[]);
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
ALTER TABLE admin_audit DROP CONSTRAINT admin_audit_target_type_check;
ALTER TABLE admin_audit ADD CONSTRAINT admin_audit_target_type_check
  CHECK (target_type IN ('user', 'api_client', 'territory', 'structure', 'import', 'job'));
ALTER TABLE youths
  DROP CONSTRAINT youths_first_name_check,
  DROP CONSTRAINT youths_last_name_check,
  ADD CONSTRAINT youths_first_name_check CHECK (length(btrim(first_name)) BETWEEN 1 AND 100),
  ADD CONSTRAINT youths_last_name_check CHECK (length(btrim(last_name)) BETWEEN 1 AND 100);

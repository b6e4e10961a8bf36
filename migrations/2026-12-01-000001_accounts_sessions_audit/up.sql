-- Accounts, sessions and administration (issue 8): revocation that does not wait for tokens to
-- expire, temporary passwords, bounded sessions, login throttling shared by every instance, and
-- the append-only audit of administrative actions.

-- Bumped whenever what a user's tokens say stops being true (deactivation, roles, territory,
-- structure scope, password): access tokens carry it (`sv`) and are refused once it moved on.
ALTER TABLE users ADD COLUMN session_version integer NOT NULL DEFAULT 1 CHECK (session_version >= 1);
-- A password set by an administrator is temporary: until the user replaces it, only
-- POST /api/v1/me/password is open to them.
ALTER TABLE users ADD COLUMN password_change_required boolean NOT NULL DEFAULT false;

-- A family of refresh tokens is one session: every rotation carries the time it began, so a
-- session ends SAS_SESSION_MAX_SECONDS after the login however often it is refreshed.
ALTER TABLE refresh_tokens ADD COLUMN session_started_at timestamptz;
UPDATE refresh_tokens SET session_started_at = issued_at;
ALTER TABLE refresh_tokens ALTER COLUMN session_started_at SET NOT NULL;
ALTER TABLE refresh_tokens ADD CHECK (session_started_at <= issued_at);

-- Failed (and in-flight) logins per throttling key, over a sliding window. In the database so
-- that the limit holds across instances; keys are SHA-256 digests (never an email or address).
-- An attempt is counted before the password is checked, under a per-key advisory lock.
CREATE TABLE login_attempts (
  id     bigserial PRIMARY KEY,
  key    text NOT NULL CHECK (key ~ '^[0-9a-f]{64}$'),
  at     timestamptz NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts (key, at);
CREATE INDEX login_attempts_at ON login_attempts (at);

-- Every administrative action: who, when, on what, what changed and why. Append-only
-- (UPDATE, DELETE and TRUNCATE raise); readable by admins at GET /api/v1/admin-audit.
CREATE TABLE admin_audit (
  id             uuid PRIMARY KEY,
  occurred_at    timestamptz NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  -- The administrator; NULL only for the system itself (the bootstrap administrator).
  actor_user_id  uuid REFERENCES users (id),
  action         text NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
  target_type    text NOT NULL CHECK (target_type IN ('user', 'api_client', 'territory', 'structure', 'import')),
  target_id      uuid NOT NULL,
  -- {field: {"from": …, "to": …}}; secrets and passwords never appear, only that they changed.
  changes        jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(changes) = 'object'),
  reason         text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 500)
);
CREATE INDEX admin_audit_time ON admin_audit (occurred_at DESC, id DESC);
CREATE INDEX admin_audit_target ON admin_audit (target_type, target_id, occurred_at DESC);
CREATE INDEX admin_audit_actor ON admin_audit (actor_user_id, occurred_at DESC);
CREATE TRIGGER admin_audit_append_only BEFORE UPDATE OR DELETE ON admin_audit
  FOR EACH ROW EXECUTE FUNCTION sas_append_only();
CREATE TRIGGER admin_audit_no_truncate BEFORE TRUNCATE ON admin_audit
  FOR EACH STATEMENT EXECUTE FUNCTION sas_append_only();

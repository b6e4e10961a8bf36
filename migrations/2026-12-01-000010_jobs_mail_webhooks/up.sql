-- Jobs, the mail outbox, notifications, password links and webhooks (issue 10).

-- Periodic schedules: one row per sweep, claimed by a conditional UPDATE
-- (… WHERE next_run_at <= now) so that one runner, and only one, runs a due sweep.
CREATE TABLE job_schedules (
  name              text PRIMARY KEY CHECK (name ~ '^[a-z][a-z_.]*$'),
  every_seconds     integer NOT NULL CHECK (every_seconds > 0),
  next_run_at       timestamptz NOT NULL,
  last_started_at   timestamptz,
  last_finished_at  timestamptz,
  last_status       text CHECK (last_status IN ('ok', 'failed')),
  last_error        text,
  last_runner       text,
  runs              bigint NOT NULL DEFAULT 0,
  failures          bigint NOT NULL DEFAULT 0
);

-- One-off jobs (a mail to deliver, a webhook to post…), claimed with FOR UPDATE SKIP LOCKED.
-- `unique_key` names the effect: enqueuing it twice is a no-op.
CREATE TABLE jobs (
  id            uuid PRIMARY KEY,
  kind          text NOT NULL CHECK (kind ~ '^[a-z][a-z_.]*$'),
  unique_key    text NOT NULL,
  payload       jsonb NOT NULL DEFAULT '{}'::jsonb,
  state         text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'parked')),
  attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts  integer NOT NULL DEFAULT 8 CHECK (max_attempts >= 1),
  run_at        timestamptz NOT NULL,
  locked_until  timestamptz,
  locked_by     text,
  last_error    text,
  created_at    timestamptz NOT NULL,
  finished_at   timestamptz,
  CONSTRAINT jobs_unique_key UNIQUE (unique_key)
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE state = 'queued';
CREATE INDEX jobs_leased ON jobs (locked_until) WHERE state = 'running';
CREATE INDEX jobs_parked ON jobs (created_at) WHERE state = 'parked';

-- How each user wants to be told: one mail per notification, or one digest a day.
ALTER TABLE users ADD COLUMN email_preference text NOT NULL DEFAULT 'immediate'
  CHECK (email_preference IN ('immediate', 'daily_digest'));

-- The mail outbox: what is (or was) sent, to whom, and what became of it. A mail is rendered
-- from its template when it is delivered (links need SAS_PUBLIC_URL); subject and bodies name
-- nobody and are kept once sent. A link holding a single-use token is blanked once sent.
CREATE TABLE mails (
  id           uuid PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users (id),
  template     text NOT NULL CHECK (template ~ '^[a-z][a-z_]*$'),
  link         text,
  params       jsonb NOT NULL DEFAULT '{}'::jsonb,
  holds_secret boolean NOT NULL DEFAULT false,
  to_address   text,
  subject      text,
  body_text    text,
  body_html    text,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'bounced', 'failed')),
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  dedup_key    text NOT NULL,
  created_at   timestamptz NOT NULL,
  sent_at      timestamptz,
  CONSTRAINT mails_dedup_key UNIQUE (dedup_key)
);
CREATE INDEX mails_user ON mails (user_id, created_at DESC, id DESC);

-- What the app tells a user (GET /me/notifications); mailed at once or in the daily digest.
CREATE TABLE notifications (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (id),
  kind        text NOT NULL CHECK (kind ~ '^[a-z][a-z_]*$'),
  link        text NOT NULL,
  referral_id uuid REFERENCES referrals (id),
  dedup_key   text NOT NULL,
  created_at  timestamptz NOT NULL,
  mail_id     uuid REFERENCES mails (id),
  CONSTRAINT notifications_dedup_key UNIQUE (dedup_key)
);
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_undigested ON notifications (user_id) WHERE mail_id IS NULL;

-- Single-use links that set a password (invitation, reset): only a SHA-256 of the token.
CREATE TABLE password_tokens (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (id),
  purpose     text NOT NULL CHECK (purpose IN ('invitation', 'reset')),
  token_hash  text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  CONSTRAINT password_tokens_hash UNIQUE (token_hash)
);
CREATE INDEX password_tokens_user ON password_tokens (user_id, created_at);

-- Webhook subscriptions of a structure's partner systems; the secret is shown once (whsec_)
-- and kept because it signs (HMAC) every delivery.
CREATE TABLE webhooks (
  id            uuid PRIMARY KEY,
  structure_id  uuid NOT NULL REFERENCES structures (id),
  url           text NOT NULL,
  description   text,
  secret        bytea NOT NULL,
  created_by_client uuid REFERENCES api_clients (id),
  created_at    timestamptz NOT NULL,
  disabled_at   timestamptz
);
CREATE INDEX webhooks_structure ON webhooks (structure_id) WHERE disabled_at IS NULL;

-- One delivery per (subscription, event), ever: its id is the `webhook-id` header.
CREATE TABLE webhook_deliveries (
  id               uuid PRIMARY KEY,
  webhook_id       uuid NOT NULL REFERENCES webhooks (id),
  event_id         uuid NOT NULL REFERENCES events (id),
  referral_id      uuid NOT NULL REFERENCES referrals (id),
  event_type       text NOT NULL,
  payload          jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  last_status_code integer,
  last_error       text,
  created_at       timestamptz NOT NULL,
  delivered_at     timestamptz,
  CONSTRAINT webhook_deliveries_once UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at DESC);

-- Polling partners list referrals changed since a time, in a stable order.
CREATE INDEX referrals_updated ON referrals (updated_at, id);

-- Administrators retry parked jobs (audited like every administrative action).
ALTER TABLE admin_audit DROP CONSTRAINT admin_audit_target_type_check;
ALTER TABLE admin_audit ADD CONSTRAINT admin_audit_target_type_check
  CHECK (target_type IN ('user', 'api_client', 'territory', 'structure', 'import', 'job'));

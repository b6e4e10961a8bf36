-- Orient (issue 11): contact attempts, requests to the prescriber, the versioned diagnostic,
-- the history of contact details, transfers and resumed journeys.

-- When the referral last entered `contacting` (the unreachable rule counts from there), its
-- last attempt and the next try planned with it (the queue's views read them).
ALTER TABLE referrals
  ADD COLUMN contacting_since timestamptz,
  ADD COLUMN last_attempt_at timestamptz,
  ADD COLUMN next_try_on date;
UPDATE referrals r SET contacting_since = (
  SELECT max(e.occurred_at) FROM events e
  WHERE e.referral_id = r.id AND e.to_status = 'contacting'
    AND e.from_status IS DISTINCT FROM 'contacting');
CREATE INDEX referrals_next_try ON referrals (territory_id, next_try_on) WHERE status <> 'closed' AND next_try_on IS NOT NULL;
CREATE INDEX referrals_contacting ON referrals (territory_id, exit_date ASC NULLS LAST, created_at, id) WHERE status = 'contacting';
-- A resumed journey: at most one open successor per referral.
CREATE UNIQUE INDEX referrals_resumed_once ON referrals (previous_referral_id) WHERE previous_referral_id IS NOT NULL;

CREATE TABLE contact_attempts (
  id               uuid PRIMARY KEY,
  referral_id      uuid NOT NULL REFERENCES referrals (id),
  attempted_at     timestamptz NOT NULL,
  channel          text NOT NULL CHECK (channel IN ('phone', 'sms', 'email', 'letter', 'home_visit', 'outreach', 'via_prescriber', 'other')),
  outcome          text NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'voicemail', 'wrong_contact', 'refused', 'appointment_set')),
  -- Free text about the youth: anonymisation blanks it (blanked_at).
  note             text CHECK (length(note) <= 500),
  next_try_on      date,
  author_user_id   uuid REFERENCES users (id),
  recorded_at      timestamptz NOT NULL,
  blanked_at       timestamptz
);
CREATE INDEX contact_attempts_referral ON contact_attempts (referral_id, attempted_at, id);

-- What the SAS team asks the prescriber of a youth reached through them only.
CREATE TABLE prescriber_requests (
  id                 uuid PRIMARY KEY,
  referral_id        uuid NOT NULL REFERENCES referrals (id),
  attempt_id         uuid NOT NULL UNIQUE REFERENCES contact_attempts (id),
  message            text CHECK (length(message) <= 500),
  opened_at          timestamptz NOT NULL,
  opened_by          uuid REFERENCES users (id),
  answer             text CHECK (length(answer) <= 1000),
  answered_at        timestamptz,
  answered_by_user   uuid REFERENCES users (id),
  answered_by_client uuid REFERENCES api_clients (id),
  CHECK ((answer IS NULL) = (answered_at IS NULL))
);
CREATE INDEX prescriber_requests_referral ON prescriber_requests (referral_id, opened_at DESC, id DESC);
CREATE INDEX prescriber_requests_open ON prescriber_requests (referral_id) WHERE answered_at IS NULL;

-- Each save of a diagnostic is a new version; the latest counts. Content as typed JSON (codes
-- and texts of api_types::DiagnosticInput), shared_summary apart: the one part a receiving
-- structure will ever see.
CREATE TABLE diagnostics (
  referral_id     uuid NOT NULL REFERENCES referrals (id),
  version         integer NOT NULL CHECK (version >= 1),
  content         jsonb NOT NULL CHECK (jsonb_typeof(content) = 'object'),
  shared_summary  text CHECK (length(shared_summary) <= 2000),
  saved_at        timestamptz NOT NULL,
  saved_by        uuid REFERENCES users (id),
  blanked_at      timestamptz,
  PRIMARY KEY (referral_id, version)
);

-- The contact details a correction replaced (nothing is lost).
CREATE TABLE youth_contact_history (
  id                           uuid PRIMARY KEY,
  youth_id                     uuid NOT NULL REFERENCES youths (id),
  referral_id                  uuid NOT NULL REFERENCES referrals (id),
  phone                        text,
  email                        text,
  contact_channels             text[] NOT NULL,
  contact_via_prescriber_only  boolean NOT NULL,
  replaced_at                  timestamptz NOT NULL,
  replaced_by_user             uuid REFERENCES users (id),
  replaced_by_client           uuid REFERENCES api_clients (id)
);
CREATE INDEX youth_contact_history_youth ON youth_contact_history (youth_id, replaced_at);

-- Events: the new kinds, the attempt's channel and the territory a transfer goes to.
ALTER TABLE events
  DROP CONSTRAINT events_kind,
  ADD CONSTRAINT events_kind CHECK (kind IN ('created', 'status_changed', 'assigned', 'corrected',
    'consent_recorded', 'contact_attempt', 'contact_corrected', 'diagnostic_saved',
    'prescriber_requested', 'prescriber_answered', 'transferred', 'resumed')),
  ADD COLUMN attempt_channel text CHECK (attempt_channel IN ('phone', 'sms', 'email', 'letter', 'home_visit', 'outreach', 'via_prescriber', 'other')),
  ADD COLUMN to_territory_id uuid REFERENCES territories (id);

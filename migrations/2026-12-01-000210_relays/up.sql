-- Relay (issue 13): a request to one service of one receiving structure for one referral,
-- and the follow-up checkpoints of a started relay (DOMAIN.md's relay lifecycle).
CREATE TABLE relays (
  id                    uuid PRIMARY KEY,
  referral_id           uuid NOT NULL REFERENCES referrals (id),
  service_id            uuid NOT NULL REFERENCES services (id),
  -- The receiving structure (the service's, at the time of the request).
  structure_id          uuid NOT NULL REFERENCES structures (id),
  -- Recorded by the counsellor for a structure without a SAS account: counted apart in H3.
  off_platform          boolean NOT NULL DEFAULT false,
  status                text NOT NULL CHECK (status IN ('requested', 'accepted', 'refused',
                          'expired', 'cancelled', 'started', 'completed', 'failed')),
  reason                text CHECK (reason IN ('unreachable', 'did_not_come', 'dropped_out',
                          'already_employed', 'already_in_training', 'not_eligible', 'not_mobile',
                          'not_interested', 'peripheral_barriers', 'no_capacity', 'duplicate', 'other')),
  -- Free text of `other` (blankable by anonymisation).
  reason_text           text CHECK (char_length(reason_text) <= 500),
  outcome               text CHECK (outcome IN ('positive_exit', 'programme_ended')),
  -- What the receiving structure reads, as shared at the time of the request: the
  -- diagnostic's prioritised needs (thematiques) and the summary (blankable by anonymisation).
  needs                 text[] NOT NULL DEFAULT '{}',
  shared_summary        text CHECK (char_length(shared_summary) <= 2000),
  requested_by_user_id  uuid REFERENCES users (id),
  requested_by_client_id uuid REFERENCES api_clients (id),
  requested_at          timestamptz NOT NULL,
  answered_at           timestamptz,
  started_at            timestamptz,
  ended_at              timestamptz,
  updated_at            timestamptz NOT NULL,
  version               integer NOT NULL DEFAULT 1,
  CHECK ((status IN ('refused', 'failed')) = (reason IS NOT NULL)),
  CHECK ((status = 'completed') = (outcome IS NOT NULL)),
  CHECK (num_nonnulls(requested_by_user_id, requested_by_client_id) <= 1)
);
-- At most one active relay per service and referral.
CREATE UNIQUE INDEX relays_one_active_per_service ON relays (referral_id, service_id)
  WHERE status IN ('requested', 'accepted', 'started');
CREATE INDEX relays_referral ON relays (referral_id, requested_at, id);
-- The receiver's inbox: its structure's relays through SAS, waiting ones first.
CREATE INDEX relays_inbox ON relays (structure_id, (status <> 'requested'), requested_at, id)
  WHERE NOT off_platform;
-- The sweeps: requests waiting for an answer.
CREATE INDEX relays_waiting ON relays (requested_at) WHERE status = 'requested';

CREATE TABLE relay_checkpoints (
  relay_id              uuid NOT NULL REFERENCES relays (id),
  n                     integer NOT NULL CHECK (n IN (30, 90, 180)),
  due_on                date NOT NULL,
  answer                text CHECK (answer IN ('still_accompanied', 'positive_exit', 'dropped_out', 'lost_contact')),
  answered_at           timestamptz,
  answered_by_user_id   uuid REFERENCES users (id),
  answered_by_client_id uuid REFERENCES api_clients (id),
  PRIMARY KEY (relay_id, n),
  CHECK ((answer IS NULL) = (answered_at IS NULL))
);
-- Checkpoint notices: the unanswered ones by due date.
CREATE INDEX relay_checkpoints_open ON relay_checkpoints (due_on) WHERE answer IS NULL;

-- Relay events on the timeline, with their relay.
ALTER TABLE events
  DROP CONSTRAINT events_kind,
  ADD CONSTRAINT events_kind CHECK (kind IN ('created', 'status_changed', 'assigned', 'corrected',
    'consent_recorded', 'contact_attempt', 'contact_corrected', 'diagnostic_saved',
    'prescriber_requested', 'prescriber_answered', 'transferred', 'resumed',
    'match_excluded', 'match_exclusion_removed',
    'relay_requested', 'relay_accepted', 'relay_refused', 'relay_expired', 'relay_cancelled',
    'relay_started', 'relay_completed', 'relay_failed', 'checkpoint_answered')),
  ADD CONSTRAINT events_relay FOREIGN KEY (relay_id) REFERENCES relays (id);
CREATE INDEX events_relay ON events (relay_id) WHERE relay_id IS NOT NULL;

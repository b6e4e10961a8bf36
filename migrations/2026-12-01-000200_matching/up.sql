-- Matching (issue 12): the services a counsellor set aside for a referral, kept for the relay
-- step. One row per (referral, service) while it stands; undoing deletes it (the timeline
-- keeps both events).
CREATE TABLE match_exclusions (
  referral_id  uuid NOT NULL REFERENCES referrals (id),
  service_id   uuid NOT NULL REFERENCES services (id),
  reason       text NOT NULL CHECK (reason IN ('not_relevant', 'already_tried', 'too_far',
                 'youth_declined', 'conditions_not_met', 'other')),
  -- Required with `other`, bounded; blanked with the referral's other free texts.
  note         text CHECK (char_length(note) <= 500),
  excluded_by  uuid REFERENCES users (id),
  excluded_at  timestamptz NOT NULL,
  PRIMARY KEY (referral_id, service_id),
  CHECK (reason <> 'other' OR note IS NOT NULL)
);

-- Events: a service excluded from a referral's matches, and an exclusion undone.
ALTER TABLE events
  DROP CONSTRAINT events_kind,
  ADD CONSTRAINT events_kind CHECK (kind IN ('created', 'status_changed', 'assigned', 'corrected',
    'consent_recorded', 'contact_attempt', 'contact_corrected', 'diagnostic_saved',
    'prescriber_requested', 'prescriber_answered', 'transferred', 'resumed',
    'match_excluded', 'match_exclusion_removed'));

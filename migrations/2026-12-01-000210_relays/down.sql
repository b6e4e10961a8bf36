ALTER TABLE events DROP CONSTRAINT events_relay,
  DROP CONSTRAINT events_kind,
  ADD CONSTRAINT events_kind CHECK (kind IN ('created', 'status_changed', 'assigned', 'corrected',
    'consent_recorded', 'contact_attempt', 'contact_corrected', 'diagnostic_saved',
    'prescriber_requested', 'prescriber_answered', 'transferred', 'resumed',
    'match_excluded', 'match_exclusion_removed')) NOT VALID;
DROP INDEX events_relay;
DROP TABLE relay_checkpoints;
DROP TABLE relays;

DROP TABLE match_exclusions;
ALTER TABLE events
  DROP CONSTRAINT events_kind,
  ADD CONSTRAINT events_kind CHECK (kind IN ('created', 'status_changed', 'assigned', 'corrected',
    'consent_recorded', 'contact_attempt', 'contact_corrected', 'diagnostic_saved',
    'prescriber_requested', 'prescriber_answered', 'transferred', 'resumed'));

-- Steering at scale (issue 14; docs/PERFORMANCE.md): with the cohort read from
-- `stat_referral_facts` (000290), what is left of a dashboard request over `events` is its
-- scope. Measured at 200,000 referrals in a territory:
-- - "registered prescriber structures" (the structures that referred in the territory within
--   12 months): an index-only range instead of ~100,000 heap rows;
-- - the territories a prescriber structure submitted in: an index-only range of its own;
-- - the territories a receiving structure got relays from: its relays by structure, then
--   each relay's request, index-only.
CREATE INDEX events_submitted_territory ON events (territory_id, occurred_at)
  INCLUDE (prescriber_structure_id)
  WHERE to_status = 'submitted' AND kind IN ('created', 'status_changed');
CREATE INDEX events_submitted_prescriber ON events (prescriber_structure_id, territory_id)
  INCLUDE (occurred_at)
  WHERE to_status = 'submitted' AND kind IN ('created', 'status_changed');
CREATE INDEX events_relay_requested ON events (relay_id) INCLUDE (territory_id, occurred_at)
  WHERE kind = 'relay_requested';
CREATE INDEX relays_structure ON relays (structure_id);

DROP INDEX relays_structure;
DROP INDEX events_relay_requested;
DROP INDEX events_submitted_prescriber;
DROP INDEX events_submitted_territory;

DROP TRIGGER events_stat_facts_update ON events;
DROP TRIGGER events_stat_facts_insert ON events;
DROP FUNCTION stat_facts_on_events();
DROP FUNCTION stat_facts_refresh(uuid[]);
DROP TABLE stat_referral_facts;

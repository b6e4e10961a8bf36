DROP TABLE idempotency_keys, access_logs, events, referrals, youths, refresh_tokens,
  api_clients, users, structures, territory_communes, territories, communes;
DROP FUNCTION sas_append_only();

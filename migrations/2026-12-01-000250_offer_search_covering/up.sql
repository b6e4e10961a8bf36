-- The search's common query ("commune + thematiques, 20 per page", docs/PERFORMANCE.md) chosen
-- from the search tables alone: each row carries what the page is chosen by — the zone codes
-- (eligibility) and the position (distance, order) — so the candidates are filtered, sorted
-- and cut to a page from index-only scans, and `services` is read for the page's rows only.
ALTER TABLE service_thematiques ADD COLUMN zone_eligibilite text[] NOT NULL DEFAULT '{}';
ALTER TABLE service_remote_thematiques
  ADD COLUMN latitude double precision,
  ADD COLUMN longitude double precision;

UPDATE service_thematiques t SET zone_eligibilite = s.zone_eligibilite
FROM services s WHERE s.id = t.service_id AND s.zone_eligibilite <> '{}';
UPDATE service_remote_thematiques t SET latitude = s.latitude, longitude = s.longitude
FROM services s WHERE s.id = t.service_id AND s.latitude IS NOT NULL;

DROP INDEX service_thematiques_position;
CREATE INDEX service_thematiques_position ON service_thematiques (thematique, latitude, longitude)
  INCLUDE (service_id, zone_eligibilite);
DROP INDEX service_remote_thematiques_zone;
CREATE INDEX service_remote_thematiques_zone ON service_remote_thematiques (thematique)
  INCLUDE (zone_eligibilite, service_id, latitude, longitude);

-- What the import's first run pays per search row (docs/PERFORMANCE.md): each row was checked
-- against `services` (a foreign key) and written into three indexes. The rows only ever come
-- from the triggers below, out of the services being written, so the check proves nothing;
-- a deleted service's rows go with it by the delete trigger instead of the cascade. The
-- primary key (thematique, service_id) served no query: the unique index by service (what
-- a rewrite deletes by) keeps the rows unique.
ALTER TABLE service_thematiques
  DROP CONSTRAINT service_thematiques_service_id_fkey,
  DROP CONSTRAINT service_thematiques_pkey;
DROP INDEX service_thematiques_service;
CREATE UNIQUE INDEX service_thematiques_service ON service_thematiques (service_id, thematique);
ALTER TABLE service_remote_thematiques
  DROP CONSTRAINT service_remote_thematiques_service_id_fkey,
  DROP CONSTRAINT service_remote_thematiques_pkey;
DROP INDEX service_remote_thematiques_service;
CREATE UNIQUE INDEX service_remote_thematiques_service
  ON service_remote_thematiques (service_id, thematique);

-- Both search tables follow the services, whoever writes, now once per statement (an
-- import inserts 500 services in one statement: one trigger call instead of 500). Postgres
-- allows a transition table on a trigger of one event only: one trigger per event.
DROP TRIGGER services_thematiques ON services;
DROP FUNCTION sas_service_thematiques();

CREATE FUNCTION sas_service_search_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO service_thematiques (thematique, latitude, longitude, zone_eligibilite, service_id)
  SELECT DISTINCT t, n.latitude, n.longitude, n.zone_eligibilite, n.id
  FROM new_rows n, unnest(n.thematiques) t
  WHERE n.status = 'published' AND n.latitude IS NOT NULL;
  INSERT INTO service_remote_thematiques (thematique, zone_eligibilite, latitude, longitude, service_id)
  SELECT DISTINCT t, n.zone_eligibilite, n.latitude, n.longitude, n.id
  FROM new_rows n, unnest(n.thematiques) t
  WHERE n.status = 'published' AND 'a-distance' = ANY (n.modes_accueil);
  RETURN NULL;
END
$$;
CREATE TRIGGER services_search_insert AFTER INSERT ON services
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sas_service_search_insert();

-- An update rewrites the search rows of the services whose searched columns changed only
-- (an import marking 500 services seen changes none: one join, nothing written).
CREATE FUNCTION sas_service_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed uuid[];
BEGIN
  SELECT array_agg(n.id) INTO changed
  FROM new_rows n JOIN old_rows o ON o.id = n.id
  WHERE (n.status, n.thematiques, n.latitude, n.longitude, n.modes_accueil, n.zone_eligibilite)
        IS DISTINCT FROM
        (o.status, o.thematiques, o.latitude, o.longitude, o.modes_accueil, o.zone_eligibilite);
  IF changed IS NULL THEN
    RETURN NULL;
  END IF;
  DELETE FROM service_thematiques WHERE service_id = ANY (changed);
  DELETE FROM service_remote_thematiques WHERE service_id = ANY (changed);
  INSERT INTO service_thematiques (thematique, latitude, longitude, zone_eligibilite, service_id)
  SELECT DISTINCT t, n.latitude, n.longitude, n.zone_eligibilite, n.id
  FROM new_rows n, unnest(n.thematiques) t
  WHERE n.id = ANY (changed) AND n.status = 'published' AND n.latitude IS NOT NULL;
  INSERT INTO service_remote_thematiques (thematique, zone_eligibilite, latitude, longitude, service_id)
  SELECT DISTINCT t, n.zone_eligibilite, n.latitude, n.longitude, n.id
  FROM new_rows n, unnest(n.thematiques) t
  WHERE n.id = ANY (changed) AND n.status = 'published' AND 'a-distance' = ANY (n.modes_accueil);
  RETURN NULL;
END
$$;
CREATE TRIGGER services_search_update AFTER UPDATE ON services
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sas_service_search_update();

CREATE FUNCTION sas_service_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM service_thematiques WHERE service_id IN (SELECT id FROM old_rows);
  DELETE FROM service_remote_thematiques WHERE service_id IN (SELECT id FROM old_rows);
  RETURN NULL;
END
$$;
CREATE TRIGGER services_search_delete AFTER DELETE ON services
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sas_service_search_delete();

-- The search's remote candidates, measured on 100,000 services (docs/PERFORMANCE.md): most
-- remote services are eligible nationally, so their zone alone selects thousands of rows, and
-- reading them from `services` cost most of a search. One row per (thematique, published
-- remote service) with its zone: "remote services of these thematiques for this place" is
-- read from the index alone.
CREATE TABLE service_remote_thematiques (
  thematique        text NOT NULL,
  zone_eligibilite  text[] NOT NULL,
  service_id        uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  PRIMARY KEY (thematique, service_id)
);
CREATE INDEX service_remote_thematiques_zone ON service_remote_thematiques (thematique)
  INCLUDE (zone_eligibilite, service_id);
CREATE INDEX service_remote_thematiques_service ON service_remote_thematiques (service_id);

-- Both search tables follow the services, whoever writes.
CREATE OR REPLACE FUNCTION sas_service_thematiques() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status
     AND NEW.thematiques IS NOT DISTINCT FROM OLD.thematiques
     AND NEW.latitude IS NOT DISTINCT FROM OLD.latitude
     AND NEW.longitude IS NOT DISTINCT FROM OLD.longitude
     AND NEW.modes_accueil IS NOT DISTINCT FROM OLD.modes_accueil
     AND NEW.zone_eligibilite IS NOT DISTINCT FROM OLD.zone_eligibilite THEN
    RETURN NEW;
  END IF;
  DELETE FROM service_thematiques WHERE service_id = NEW.id;
  DELETE FROM service_remote_thematiques WHERE service_id = NEW.id;
  IF NEW.status = 'published' AND NEW.latitude IS NOT NULL THEN
    INSERT INTO service_thematiques (thematique, latitude, longitude, service_id)
    SELECT DISTINCT t, NEW.latitude, NEW.longitude, NEW.id FROM unnest(NEW.thematiques) t;
  END IF;
  IF NEW.status = 'published' AND 'a-distance' = ANY (NEW.modes_accueil) THEN
    INSERT INTO service_remote_thematiques (thematique, zone_eligibilite, service_id)
    SELECT DISTINCT t, NEW.zone_eligibilite, NEW.id FROM unnest(NEW.thematiques) t;
  END IF;
  RETURN NEW;
END
$$;

INSERT INTO service_remote_thematiques (thematique, zone_eligibilite, service_id)
SELECT DISTINCT t, s.zone_eligibilite, s.id
FROM services s, unnest(s.thematiques) t
WHERE s.status = 'published' AND 'a-distance' = ANY (s.modes_accueil);

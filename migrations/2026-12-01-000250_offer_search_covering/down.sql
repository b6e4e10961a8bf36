DROP TRIGGER services_search_delete ON services;
DROP FUNCTION sas_service_search_delete();
DROP TRIGGER services_search_update ON services;
DROP TRIGGER services_search_insert ON services;
DROP FUNCTION sas_service_search_update();
DROP FUNCTION sas_service_search_insert();

CREATE FUNCTION sas_service_thematiques() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER services_thematiques AFTER INSERT OR UPDATE ON services
  FOR EACH ROW EXECUTE FUNCTION sas_service_thematiques();

DROP INDEX service_remote_thematiques_zone;
CREATE INDEX service_remote_thematiques_zone ON service_remote_thematiques (thematique)
  INCLUDE (zone_eligibilite, service_id);
DROP INDEX service_thematiques_position;
CREATE INDEX service_thematiques_position ON service_thematiques (thematique, latitude, longitude)
  INCLUDE (service_id);
ALTER TABLE service_remote_thematiques DROP COLUMN latitude, DROP COLUMN longitude;
ALTER TABLE service_thematiques DROP COLUMN zone_eligibilite;

DROP INDEX service_remote_thematiques_service;
CREATE INDEX service_remote_thematiques_service ON service_remote_thematiques (service_id);
ALTER TABLE service_remote_thematiques
  ADD PRIMARY KEY (thematique, service_id),
  ADD FOREIGN KEY (service_id) REFERENCES services (id) ON DELETE CASCADE;
DROP INDEX service_thematiques_service;
CREATE INDEX service_thematiques_service ON service_thematiques (service_id);
ALTER TABLE service_thematiques
  ADD PRIMARY KEY (thematique, service_id),
  ADD FOREIGN KEY (service_id) REFERENCES services (id) ON DELETE CASCADE;

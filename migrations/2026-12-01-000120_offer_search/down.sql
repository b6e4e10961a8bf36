DROP TABLE service_remote_thematiques;
CREATE OR REPLACE FUNCTION sas_service_thematiques() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status IS NOT DISTINCT FROM OLD.status
     AND NEW.thematiques IS NOT DISTINCT FROM OLD.thematiques
     AND NEW.latitude IS NOT DISTINCT FROM OLD.latitude
     AND NEW.longitude IS NOT DISTINCT FROM OLD.longitude THEN
    RETURN NEW;
  END IF;
  DELETE FROM service_thematiques WHERE service_id = NEW.id;
  IF NEW.status = 'published' AND NEW.latitude IS NOT NULL THEN
    INSERT INTO service_thematiques (thematique, latitude, longitude, service_id)
    SELECT DISTINCT t, NEW.latitude, NEW.longitude, NEW.id FROM unnest(NEW.thematiques) t;
  END IF;
  RETURN NEW;
END
$$;

-- The local insertion offer (issue 12): services of structures, in the data·inclusion v1
-- shape plus what data·inclusion lacks (age range, capacity, a publication status), the
-- French full-text configuration the public search uses, and the tables the search reads.

-- Full text in French, accents ignored (data·inclusion's `public.french` is the same idea):
-- unaccent before the French stemmer, so "Atelier", "ateliers" and "ATÉLIERS" meet.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION sas_french (COPY = french);
ALTER TEXT SEARCH CONFIGURATION sas_french
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;

-- Great-circle distance in km (haversine, mean Earth radius). Plain SQL, so it is inlined.
CREATE FUNCTION sas_distance_km(lat1 double precision, lon1 double precision,
                                lat2 double precision, lon2 double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 2 * 6371.0088 * asin(least(1.0, sqrt(
    sin(radians(lat2 - lat1) / 2) ^ 2
    + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ^ 2)))
$$;

-- A search near a point finds its commune (eligibility) from the nearest one.
CREATE INDEX communes_position ON communes (latitude, longitude) WHERE retired_at IS NULL;
-- Zones name régions: checking one is an index look-up.
CREATE INDEX communes_region ON communes (region);

CREATE TABLE services (
  id                          uuid PRIMARY KEY,
  structure_id                uuid NOT NULL REFERENCES structures (id),
  -- Where the row comes from: `sas` for services written here, otherwise the data·inclusion
  -- producer (`dora`, `france-travail`…) with the service's id there. An import matches rows
  -- on (source, source_id).
  source                      text NOT NULL DEFAULT 'sas' CHECK (source ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  source_id                   text CHECK (length(source_id) BETWEEN 1 AND 200),
  -- data·inclusion v1 fields (same names).
  nom                         text NOT NULL CHECK (length(btrim(nom)) BETWEEN 1 AND 150),
  description                 text NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 10000),
  lien_source                 text,
  type                        text CHECK (type IN ('accompagnement', 'aide-financiere', 'aide-materielle', 'atelier', 'formation', 'information')),
  thematiques                 text[] NOT NULL DEFAULT '{}',
  frais                       text CHECK (frais IN ('gratuit', 'payant')),
  frais_precisions            text,
  publics                     text[] NOT NULL DEFAULT '{}',
  publics_precisions          text,
  conditions_acces            text,
  adresse                     text,
  complement_adresse          text,
  code_postal                 text CHECK (code_postal ~ '^[0-9]{5}$'),
  commune_insee               text REFERENCES communes (insee),
  telephone                   text,
  courriel                    text,
  modes_accueil               text[] NOT NULL DEFAULT '{}'
                              CHECK (modes_accueil <@ ARRAY['a-distance', 'en-presentiel']::text[]),
  -- Commune INSEE codes, département codes, EPCI SIRENs, régions (`R` + code) or `france`;
  -- empty: unknown (eligible, and said so).
  zone_eligibilite            text[] NOT NULL DEFAULT '{}',
  -- A person's name: shown to the structure and admins, never on the public endpoints.
  contact_nom_prenom          text,
  lien_mobilisation           text,
  modes_mobilisation          text[] NOT NULL DEFAULT '{}',
  mobilisable_par             text[] NOT NULL DEFAULT '{}',
  mobilisation_precisions     text,
  volume_horaire_hebdomadaire double precision CHECK (volume_horaire_hebdomadaire BETWEEN 0 AND 168),
  nombre_semaines             integer CHECK (nombre_semaines BETWEEN 0 AND 520),
  horaires_accueil            text,
  -- Where the service takes place, as given, else its commune's, else its structure's: what
  -- distances are measured from (NULL: nowhere known, never within a radius).
  latitude                    double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude                   double precision CHECK (longitude BETWEEN -180 AND 180),
  -- What data·inclusion lacks. Ages are inclusive; NULL is unbounded.
  age_min                     integer CHECK (age_min BETWEEN 0 AND 120),
  age_max                     integer CHECK (age_max BETWEEN 0 AND 120),
  places_available            integer CHECK (places_available >= 0),
  places_maximum              integer CHECK (places_maximum >= 0),
  places_updated_at           timestamptz,
  status                      text NOT NULL DEFAULT 'draft'
                              CHECK (status IN ('draft', 'published', 'suspended', 'archived')),
  -- Last change of the service's content by its producer (v1 `date_maj`): its freshness.
  date_maj                    date NOT NULL,
  -- For imports (issue 12, part 2): the values last read from the source (field → value),
  -- the fields edited here since (not overwritten unless the source changed them), and when
  -- the source last listed the row (a row missing from a later edition is suspended).
  source_values               jsonb,
  locally_edited              text[] NOT NULL DEFAULT '{}',
  source_seen_at              timestamptz,
  search_vector               tsvector GENERATED ALWAYS AS (
                                setweight(to_tsvector('sas_french'::regconfig, coalesce(nom, '')), 'A')
                                || setweight(to_tsvector('sas_french'::regconfig, coalesce(description, '')), 'B')
                                || setweight(to_tsvector('sas_french'::regconfig,
                                     coalesce(conditions_acces, '') || ' ' || coalesce(publics_precisions, '')), 'C')
                              ) STORED,
  created_at                  timestamptz NOT NULL,
  updated_at                  timestamptz NOT NULL,
  version                     integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  CHECK ((latitude IS NULL) = (longitude IS NULL)),
  CHECK (age_min IS NULL OR age_max IS NULL OR age_min <= age_max),
  CHECK (places_available IS NULL OR places_maximum IS NULL OR places_available <= places_maximum),
  CHECK ((places_updated_at IS NULL) = (places_available IS NULL AND places_maximum IS NULL)),
  CHECK ((source = 'sas') = (source_id IS NULL))
);
CREATE UNIQUE INDEX services_source ON services (source, source_id) WHERE source_id IS NOT NULL;
CREATE INDEX services_structure ON services (structure_id, lower(nom), id);
-- The public search (docs/PERFORMANCE.md): published rows only.
CREATE INDEX services_published_position ON services (latitude, longitude)
  INCLUDE (id) WHERE status = 'published';
CREATE INDEX services_published_text ON services USING gin (search_vector)
  WHERE status = 'published';
-- Remote services are found by their zone, whatever the distance.
CREATE INDEX services_published_remote ON services USING gin (zone_eligibilite)
  WHERE status = 'published' AND 'a-distance' = ANY (modes_accueil);
CREATE INDEX services_published_export ON services (id) WHERE status = 'published';

-- One row per (thematique, published service with a position): "these thematiques within
-- this box" is one index range per thematique. Kept by the trigger below, whoever writes.
CREATE TABLE service_thematiques (
  thematique  text NOT NULL,
  latitude    double precision NOT NULL,
  longitude   double precision NOT NULL,
  service_id  uuid NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  PRIMARY KEY (thematique, service_id)
);
CREATE INDEX service_thematiques_position ON service_thematiques (thematique, latitude, longitude)
  INCLUDE (service_id);
CREATE INDEX service_thematiques_service ON service_thematiques (service_id);

CREATE FUNCTION sas_service_thematiques() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE TRIGGER services_thematiques AFTER INSERT OR UPDATE ON services
  FOR EACH ROW EXECUTE FUNCTION sas_service_thematiques();

-- What happened to a service (creation, edits, publication actions): codes only, who and
-- when. Append-only like the referral events.
CREATE TABLE service_events (
  id               bigserial PRIMARY KEY,
  service_id       uuid NOT NULL REFERENCES services (id),
  kind             text NOT NULL CHECK (kind IN ('created', 'updated', 'published', 'suspended', 'archived')),
  from_status      text,
  to_status        text NOT NULL,
  actor_user_id    uuid REFERENCES users (id),
  actor_client_id  uuid REFERENCES api_clients (id),
  occurred_at      timestamptz NOT NULL,
  version          integer NOT NULL
);
CREATE INDEX service_events_service ON service_events (service_id, id);
CREATE TRIGGER service_events_append_only BEFORE UPDATE OR DELETE ON service_events
  FOR EACH ROW EXECUTE FUNCTION sas_append_only();
CREATE TRIGGER service_events_no_truncate BEFORE TRUNCATE ON service_events
  FOR EACH STATEMENT EXECUTE FUNCTION sas_append_only();

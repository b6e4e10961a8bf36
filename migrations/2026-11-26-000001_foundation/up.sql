-- SAS foundation: reference data, organisation, identities and the tables every later issue
-- writes through (referrals, events, access logs, idempotency). Rules live here too:
-- checks, foreign keys, uniques, and append-only guards.

-- Append-only tables raise on UPDATE and DELETE. Retention purges are the one exception and
-- must say so explicitly in their transaction: SET LOCAL sas.purge = 'on'.
CREATE FUNCTION sas_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('sas.purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;

-- Communes (INSEE), arrondissements with their parent. Loaded from data/communes.csv by the
-- Rust migration "communes_data"; never typed by hand.
CREATE TABLE communes (
  insee         text PRIMARY KEY CHECK (insee ~ '^[0-9][0-9AB][0-9]{3}$'),
  name          text NOT NULL CHECK (name <> ''),
  search_name   text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('commune', 'arrondissement')),
  parent_insee  text REFERENCES communes (insee),
  postal_codes  text[] NOT NULL,
  departement   text NOT NULL,
  epci          text CHECK (epci ~ '^[0-9]{9}$'),
  region        text,
  population    integer CHECK (population >= 0),
  latitude      double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
  longitude     double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
  coord_source  text NOT NULL CHECK (coord_source IN ('geonames', 'parent', 'epci', 'departement', 'manual')),
  CHECK ((kind = 'arrondissement') = (parent_insee IS NOT NULL))
);
CREATE INDEX communes_search_name ON communes (search_name text_pattern_ops);
CREATE INDEX communes_epci ON communes (epci);
CREATE INDEX communes_departement ON communes (departement);
CREATE INDEX communes_parent ON communes (parent_insee);

CREATE TABLE territories (
  id                          uuid PRIMARY KEY,
  name                        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  time_zone                   text NOT NULL DEFAULT 'Europe/Paris',
  unreachable_min_attempts    integer NOT NULL DEFAULT 5 CHECK (unreachable_min_attempts BETWEEN 1 AND 50),
  unreachable_min_days        integer NOT NULL DEFAULT 21 CHECK (unreachable_min_days BETWEEN 0 AND 365),
  unreachable_min_channels    integer NOT NULL DEFAULT 2 CHECK (unreachable_min_channels BETWEEN 1 AND 8),
  created_at                  timestamptz NOT NULL,
  updated_at                  timestamptz NOT NULL,
  version                     integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);
CREATE UNIQUE INDEX territories_name ON territories (lower(name));

-- Each commune belongs to at most one territory: the primary key says so.
CREATE TABLE territory_communes (
  commune_insee  text PRIMARY KEY REFERENCES communes (insee),
  territory_id   uuid NOT NULL REFERENCES territories (id) ON DELETE CASCADE
);
CREATE INDEX territory_communes_territory ON territory_communes (territory_id);

CREATE TABLE structures (
  id                uuid PRIMARY KEY,
  name              text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  kind              text NOT NULL CHECK (kind ~ '^[A-Za-z][A-Za-z0-9_]{0,19}$'),
  siret             text CHECK (siret ~ '^[0-9]{14}$'),
  address           text,
  postal_code       text CHECK (postal_code ~ '^[0-9]{5}$'),
  commune_insee     text REFERENCES communes (insee),
  latitude          double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude         double precision CHECK (longitude BETWEEN -180 AND 180),
  phone             text,
  email             text,
  website           text,
  opening_hours     text,
  reseaux_porteurs  text[] NOT NULL DEFAULT '{}',
  prescriber        boolean NOT NULL DEFAULT false,
  receiver          boolean NOT NULL DEFAULT false,
  sas_team          boolean NOT NULL DEFAULT false,
  sensitive         boolean NOT NULL DEFAULT false,
  territory_id      uuid REFERENCES territories (id),
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  version           integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  -- A SAS team serves exactly one territory.
  CHECK (NOT sas_team OR territory_id IS NOT NULL),
  CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX structures_territory ON structures (territory_id);
CREATE INDEX structures_name ON structures (lower(name), id);

CREATE TABLE users (
  id              uuid PRIMARY KEY,
  email           text NOT NULL CHECK (email = lower(email) AND position('@' IN email) > 1),
  first_name      text NOT NULL CHECK (length(btrim(first_name)) BETWEEN 1 AND 100),
  last_name       text NOT NULL CHECK (length(btrim(last_name)) BETWEEN 1 AND 100),
  password_hash   text NOT NULL,
  roles           text[] NOT NULL CHECK (
                    cardinality(roles) BETWEEN 1 AND 5
                    AND roles <@ ARRAY['admin', 'prescriber', 'counsellor', 'receiver', 'pilot']::text[]),
  structure_id    uuid REFERENCES structures (id),
  territory_id    uuid REFERENCES territories (id),
  active          boolean NOT NULL DEFAULT true,
  deactivated_at  timestamptz,
  last_login_at   timestamptz,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  -- Structure-bound roles need a structure; a pilot carries a territory.
  CHECK (NOT (roles && ARRAY['prescriber', 'counsellor', 'receiver']::text[]) OR structure_id IS NOT NULL),
  CHECK (NOT ('pilot' = ANY (roles)) OR territory_id IS NOT NULL),
  CHECK (active = (deactivated_at IS NULL))
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_structure ON users (structure_id);

-- A partner system acting for one structure. Only the SHA-256 of the (high-entropy) secret
-- is stored; the secret is shown once.
CREATE TABLE api_clients (
  id            uuid PRIMARY KEY,
  client_id     text NOT NULL UNIQUE,
  name          text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  structure_id  uuid NOT NULL REFERENCES structures (id),
  roles         text[] NOT NULL CHECK (
                  cardinality(roles) BETWEEN 1 AND 2
                  AND roles <@ ARRAY['prescriber', 'receiver']::text[]),
  secret_hash   text NOT NULL,
  created_by    uuid REFERENCES users (id),
  created_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
CREATE INDEX api_clients_structure ON api_clients (structure_id);

-- Refresh tokens rotate: each use marks the row used and issues a sibling in the same family.
-- Presenting a used token again revokes the whole family (token theft).
CREATE TABLE refresh_tokens (
  id          uuid PRIMARY KEY,
  family_id   uuid NOT NULL,
  user_id     uuid NOT NULL REFERENCES users (id),
  token_hash  text NOT NULL UNIQUE,
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  revoked_at  timestamptz,
  CHECK (expires_at > issued_at)
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- ---------------------------------------------------------------------------------------
-- The young person and their passages through SAS (Identify / Orient / Relay build on these).
CREATE TABLE youths (
  id                           uuid PRIMARY KEY,
  first_name                   text NOT NULL CHECK (length(btrim(first_name)) BETWEEN 1 AND 100),
  last_name                    text NOT NULL CHECK (length(btrim(last_name)) BETWEEN 1 AND 100),
  birth_date                   date NOT NULL,
  -- normalised "last first" without accents, for duplicate detection
  name_key                     text NOT NULL,
  phone                        text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  email                        text,
  commune_insee                text NOT NULL REFERENCES communes (insee),
  contact_channels             text[] NOT NULL DEFAULT '{}' CHECK (
                                 contact_channels <@ ARRAY['phone', 'sms', 'email', 'letter', 'home_visit', 'via_prescriber']::text[]),
  contact_via_prescriber_only  boolean NOT NULL DEFAULT false,
  legal_rep_name               text,
  legal_rep_phone              text CHECK (legal_rep_phone ~ '^\+[1-9][0-9]{6,14}$'),
  legal_rep_email              text,
  legal_rep_informed_on        date,
  anonymised_at                timestamptz,
  created_at                   timestamptz NOT NULL,
  updated_at                   timestamptz NOT NULL,
  version                      integer NOT NULL DEFAULT 1 CHECK (version >= 1)
);
CREATE INDEX youths_identity ON youths (name_key, birth_date);
CREATE INDEX youths_phone ON youths (phone) WHERE phone IS NOT NULL;

CREATE TABLE referrals (
  id                        uuid PRIMARY KEY,
  youth_id                  uuid NOT NULL REFERENCES youths (id),
  channel                   text NOT NULL CHECK (channel IN ('institutional', 'field_actor', 'relative', 'self')),
  territory_id              uuid NOT NULL REFERENCES territories (id),
  prescriber_structure_id   uuid REFERENCES structures (id),
  created_by_user_id        uuid REFERENCES users (id),
  created_by_client_id      uuid REFERENCES api_clients (id),
  reason_code               text NOT NULL CHECK (reason_code IN (
                              'ase_exit', 'judicial_measure_end', 'school_dropout',
                              'programme_end', 'rights_end', 'other')),
  reason_text               text,
  exit_date                 date,
  needs                     text[] NOT NULL DEFAULT '{}',
  consent_informed_at       timestamptz NOT NULL,
  consent_informed_by       text NOT NULL,
  consent_method            text NOT NULL CHECK (consent_method IN ('oral', 'written')),
  consent_agreed            text[] NOT NULL CHECK (consent_agreed <@ ARRAY['sas_contact', 'share_with_receiver']::text[]),
  status                    text NOT NULL CHECK (status IN (
                              'pending_moderation', 'submitted', 'contacting', 'unreachable',
                              'diagnosis', 'relaying', 'followed', 'on_hold', 'closed')),
  -- on_hold remembers the state it returns to
  on_hold_from              text CHECK (on_hold_from IN ('contacting', 'diagnosis', 'relaying', 'followed')),
  on_hold_reason            text CHECK (on_hold_reason IN ('temporarily_unavailable', 'waiting_list', 'youth_request', 'other')),
  assigned_counsellor_id    uuid REFERENCES users (id),
  outcome                   text CHECK (outcome IN (
                              'taken_in_charge', 'positive_exit', 'declined', 'unreachable',
                              'moved_away', 'duplicate', 'withdrawn', 'entered_in_error')),
  outcome_reason            text,
  possible_duplicate        boolean NOT NULL DEFAULT false,
  previous_referral_id      uuid REFERENCES referrals (id),
  submitted_at              timestamptz,
  closed_at                 timestamptz,
  created_at                timestamptz NOT NULL,
  updated_at                timestamptz NOT NULL,
  version                   integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  CHECK (num_nonnulls(created_by_user_id, created_by_client_id) <= 1),
  CHECK (reason_code <> 'other' OR length(btrim(coalesce(reason_text, ''))) > 0),
  CHECK ((status = 'closed') = (outcome IS NOT NULL)),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  CHECK ((status = 'on_hold') = (on_hold_from IS NOT NULL AND on_hold_reason IS NOT NULL)),
  CHECK (channel <> 'institutional' OR prescriber_structure_id IS NOT NULL)
);
-- The counsellors' queue: exit date (nulls last), then creation time, then id.
CREATE INDEX referrals_queue ON referrals (territory_id, exit_date ASC NULLS LAST, created_at, id);
CREATE INDEX referrals_prescriber ON referrals (prescriber_structure_id, created_at, id);
CREATE INDEX referrals_youth ON referrals (youth_id);

-- The timeline of a referral. Statistics are computed from these rows alone, hence the
-- snapshots of the territory and prescriber kind at the moment of the event.
CREATE TABLE events (
  id                uuid PRIMARY KEY,
  referral_id       uuid NOT NULL REFERENCES referrals (id),
  kind              text NOT NULL CHECK (kind ~ '^[a-z][a-z_]{1,40}$'),
  from_status       text,
  to_status         text,
  code              text,
  relay_id          uuid,
  actor_user_id     uuid REFERENCES users (id),
  actor_client_id   uuid REFERENCES api_clients (id),
  occurred_at       timestamptz NOT NULL,
  recorded_at       timestamptz NOT NULL DEFAULT now(),
  territory_id      uuid NOT NULL REFERENCES territories (id),
  prescriber_kind   text,
  data              jsonb NOT NULL DEFAULT '{}'::jsonb,
  CHECK (num_nonnulls(actor_user_id, actor_client_id) <= 1)
);
CREATE INDEX events_referral ON events (referral_id, occurred_at, id);
CREATE INDEX events_stats ON events (territory_id, kind, occurred_at);
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION sas_append_only();

-- Every read or change of a youth's personal data: one row per youth per request.
CREATE TABLE access_logs (
  id               bigserial PRIMARY KEY,
  occurred_at      timestamptz NOT NULL,
  actor_user_id    uuid REFERENCES users (id),
  actor_client_id  uuid REFERENCES api_clients (id),
  structure_id     uuid REFERENCES structures (id),
  action           text NOT NULL CHECK (action IN ('read', 'list', 'create', 'update', 'export', 'anonymise')),
  youth_id         uuid NOT NULL REFERENCES youths (id),
  referral_id      uuid REFERENCES referrals (id),
  route            text NOT NULL,
  reason           text,
  CHECK (num_nonnulls(actor_user_id, actor_client_id) = 1)
);
CREATE INDEX access_logs_youth ON access_logs (youth_id, occurred_at);
CREATE INDEX access_logs_time ON access_logs (occurred_at);
CREATE TRIGGER access_logs_append_only BEFORE UPDATE OR DELETE ON access_logs
  FOR EACH ROW EXECUTE FUNCTION sas_append_only();

-- Idempotency-Key: the first response to (caller, key) is stored and replayed.
CREATE TABLE idempotency_keys (
  caller         text NOT NULL,
  key            text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash   text NOT NULL,
  status_code    integer,
  location       text,
  response_body  jsonb,
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Imports of the data·inclusion offer (issue 12, part 2): structures are matched by
-- (source, source_id), then by SIRET; each import is a row that one job fills in.
ALTER TABLE structures ADD COLUMN source text CHECK (source ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
  ADD COLUMN source_id text CHECK (length(source_id) BETWEEN 1 AND 200),
  ADD CHECK ((source IS NULL) = (source_id IS NULL));
CREATE UNIQUE INDEX structures_source ON structures (source, source_id) WHERE source_id IS NOT NULL;
CREATE INDEX structures_siret ON structures (siret) WHERE siret IS NOT NULL;

CREATE TABLE offer_imports (
  id            uuid PRIMARY KEY,
  status        text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  file_name     text NOT NULL,
  file_path     text,
  bytes         bigint NOT NULL CHECK (bytes >= 0),
  requested_by  uuid REFERENCES users (id),
  bytes_read    bigint NOT NULL DEFAULT 0,
  rows_read     bigint NOT NULL DEFAULT 0,
  created       bigint NOT NULL DEFAULT 0,
  updated       bigint NOT NULL DEFAULT 0,
  unchanged     bigint NOT NULL DEFAULT 0,
  rejected      bigint NOT NULL DEFAULT 0,
  suspended     bigint NOT NULL DEFAULT 0,
  -- The rows rejected, with their reasons (line, id, errors), capped.
  report        jsonb NOT NULL DEFAULT '[]',
  error         text,
  created_at    timestamptz NOT NULL,
  started_at    timestamptz,
  finished_at   timestamptz
);
-- One import at a time.
CREATE UNIQUE INDEX offer_imports_one_at_a_time ON offer_imports ((true))
  WHERE status IN ('queued', 'running');

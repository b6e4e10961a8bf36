-- Steering (issue 14): the target a territory's pilot sets for an indicator with a
-- direction; the verdict of the indicator reads it. Changes are audited in admin_audit.
CREATE TABLE stat_targets (
  territory_id        uuid NOT NULL REFERENCES territories (id),
  indicator           text NOT NULL CHECK (indicator ~ '^h[123]_[a-z0-9_]+$'),
  value               double precision NOT NULL CHECK (value >= 0),
  updated_at          timestamptz NOT NULL,
  updated_by_user_id  uuid REFERENCES users (id),
  PRIMARY KEY (territory_id, indicator)
);

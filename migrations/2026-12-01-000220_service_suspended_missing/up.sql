-- A service suspended by an import because its source no longer listed it is told apart from
-- one its owner (or an admin) suspended: only the first is published again when a later
-- edition of the source lists it again. Set by `db::services::suspend_missing`, cleared by
-- every other write of the service (`db::services::update`).
ALTER TABLE services ADD COLUMN suspended_missing boolean NOT NULL DEFAULT false;

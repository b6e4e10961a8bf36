ALTER TABLE services DROP COLUMN suspended_missing;

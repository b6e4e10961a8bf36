DROP TABLE offer_imports;
DROP INDEX structures_siret;
DROP INDEX structures_source;
ALTER TABLE structures DROP COLUMN source_id, DROP COLUMN source;

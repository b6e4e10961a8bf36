DROP TABLE service_events;
DROP FUNCTION sas_service_thematiques() CASCADE;
DROP TABLE service_thematiques;
DROP TABLE services;
DROP INDEX communes_position;
DROP INDEX communes_region;
DROP FUNCTION sas_distance_km(double precision, double precision, double precision, double precision);
DROP TEXT SEARCH CONFIGURATION sas_french;

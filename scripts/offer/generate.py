#!/usr/bin/env python3
"""A synthetic national offer: N services (default 100,000) of N/5 structures over all of
France's communes, in one transaction, deterministic (fixed seed).

- Structures sit in communes drawn by population (Paris, Lyon and Marseille through their
  arrondissements), so cities hold most of the offer, as in data·inclusion's.
- Services: 1 to 3 thematiques drawn from the v1 list with a skew towards employment and
  training, publics, a type, fees, reception modes (70 % in person, 15 % both, 15 % remote),
  eligibility zones as data·inclusion's producers write them (the commune 35 %, its EPCI
  25 %, its département 20 %, its région 5 %, `france` 5 %, none 10 %), age ranges for a
  third, places for a quarter; 94 % published, 3 % suspended, 3 % drafts. Positions are the
  commune's, moved by up to about 1 km.

Usage: generate.py DATABASE_URL [N]   (a migrated SAS database; rows are added)
"""
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def vocab(section):
    out, cur = [], None
    with open(os.path.join(REPO, "data/vocab/data-inclusion-v1.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("## "):
                cur = line[3:].strip()
            elif cur == section and " :: " in line:
                out.append(line.split(" :: ")[0].strip())
    return out


def arr(codes):
    return "ARRAY[" + ",".join("'" + c.replace("'", "''") + "'" for c in codes) + "]::text[]"


def sql(n):
    th = vocab("thematiques")
    # Employment, training and mobility first: what a youth insertion offer mostly holds.
    heavy = [t for t in th if t.split("--")[0] in (
        "trouver-un-emploi", "preparer-sa-candidature", "se-former", "choisir-un-metier", "mobilite")]
    pool = heavy * 3 + th
    publics = vocab("publics")
    types = vocab("types-de-services")
    words = ("accompagnement atelier emploi formation jeunes insertion numérique logement "
             "mobilité santé permis stage métier orientation candidature budget droits "
             "alimentation parentalité citoyenneté entreprise apprentissage").split()
    s = max(1, n // 5)
    return f"""
BEGIN;
SELECT setseed(0.42);
CREATE TEMP TABLE cw AS
  SELECT insee, latitude, longitude, sum(coalesce(population, 1)) OVER (ORDER BY insee) AS cum
  FROM communes
  WHERE retired_at IS NULL AND NOT (kind = 'commune' AND insee IN ('75056', '69123', '13055'));
CREATE INDEX ON cw (cum);
CREATE TEMP TABLE tot AS SELECT max(cum) AS t FROM cw;
CREATE TEMP TABLE gs AS
  SELECT k, ('00000000-0000-4000-9000-' || lpad(to_hex(k), 12, '0'))::uuid AS id,
         (SELECT insee FROM cw WHERE cum >= r.x * tot.t ORDER BY cum LIMIT 1) AS insee
  FROM generate_series(1, {s}) k, tot, LATERAL (SELECT random() AS x, k AS kk) r;
INSERT INTO structures (id, name, kind, commune_insee, latitude, longitude, receiver, created_at, updated_at)
SELECT gs.id, 'Structure ' || gs.k, (ARRAY['ASSO','ML','CCAS','FT','E2C','CD','PIJ'])[1 + gs.k % 7],
       gs.insee, c.latitude, c.longitude, true, now(), now()
FROM gs JOIN communes c ON c.insee = gs.insee;
CREATE TEMP TABLE w(a) AS VALUES ({arr(words)});
CREATE TEMP TABLE th(a) AS VALUES ({arr(pool)});
CREATE TEMP TABLE pu(a) AS VALUES ({arr(publics)});
CREATE TEMP TABLE ty(a) AS VALUES ({arr(types)});
INSERT INTO services (id, structure_id, nom, description, type, thematiques, frais, publics,
  commune_insee, modes_accueil, zone_eligibilite, modes_mobilisation, mobilisable_par,
  latitude, longitude, age_min, age_max, places_available, places_maximum, places_updated_at,
  status, date_maj, created_at, updated_at)
SELECT ('00000000-0000-4000-a000-' || lpad(to_hex(v.k), 12, '0'))::uuid, st.id,
  initcap(w.a[1 + v.h % cardinality(w.a)]) || ' ' || w.a[1 + (v.h / 23) % cardinality(w.a)] || ' ' || v.k,
  'Service de ' || w.a[1 + (v.h / 7) % cardinality(w.a)] || ' et de ' || w.a[1 + (v.h / 11) % cardinality(w.a)]
    || ' pour les ' || w.a[1 + (v.h / 13) % cardinality(w.a)] || ', avec un accompagnement individuel.',
  ty.a[1 + v.h % cardinality(ty.a)],
  (SELECT array_agg(DISTINCT th.a[1 + ((v.h / (97 * i)) % cardinality(th.a))]) FROM generate_series(1, 1 + v.h % 3) i),
  (ARRAY['gratuit','gratuit','gratuit','payant'])[1 + v.h % 4],
  ARRAY[pu.a[1 + v.h % cardinality(pu.a)]],
  c.insee,
  CASE WHEN v.m < 70 THEN ARRAY['en-presentiel'] WHEN v.m < 85 THEN ARRAY['a-distance','en-presentiel']
       ELSE ARRAY['a-distance'] END,
  CASE WHEN v.z < 35 THEN ARRAY[c.insee]
       WHEN v.z < 60 THEN CASE WHEN c.epci IS NULL THEN ARRAY[c.departement] ELSE ARRAY[c.epci] END
       WHEN v.z < 80 THEN ARRAY[c.departement]
       WHEN v.z < 85 THEN CASE WHEN c.region IS NULL THEN ARRAY['france'] ELSE ARRAY['R' || c.region] END
       WHEN v.z < 90 THEN ARRAY['france']
       ELSE '{{}}'::text[] END,
  ARRAY['telephoner'], ARRAY['professionnels','usagers'],
  st.latitude + (v.h % 2001 - 1000) / 100000.0, st.longitude + (v.h / 2001 % 2001 - 1000) / 100000.0,
  CASE WHEN v.a < 20 THEN 16 WHEN v.a < 30 THEN 18 END,
  CASE WHEN v.a < 20 THEN 25 END,
  CASE WHEN v.p < 25 THEN v.h % 10 END, CASE WHEN v.p < 25 THEN 10 END,
  CASE WHEN v.p < 25 THEN now() END,
  CASE WHEN v.s < 94 THEN 'published' WHEN v.s < 97 THEN 'suspended' ELSE 'draft' END,
  current_date - (v.h % 400)::int, now(), now()
FROM (SELECT k, (k * 2654435761) % 4294967291 AS h, k % 100 AS m, (k * 7) % 100 AS z,
             (k * 13) % 100 AS a, (k * 17) % 100 AS p, (k * 19) % 100 AS s
      FROM generate_series(1, {n}) k) v
JOIN structures st ON st.id = ('00000000-0000-4000-9000-' || lpad(to_hex(1 + v.k % {s}), 12, '0'))::uuid
JOIN communes c ON c.insee = st.commune_insee, w, th, pu, ty;
COMMIT;
-- Index-only scans of the search tables need their visibility map (autovacuum's job later).
VACUUM ANALYZE services; VACUUM ANALYZE service_thematiques; VACUUM ANALYZE service_remote_thematiques;
ANALYZE structures;
"""


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: generate.py DATABASE_URL [N]")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    subprocess.run(["psql", sys.argv[1], "-Xqv", "ON_ERROR_STOP=1"], input=sql(n), text=True,
                   check=True, stdout=subprocess.DEVNULL)
    print(f"offer: {n} services of {max(1, n // 5)} structures generated", file=sys.stderr)


if __name__ == "__main__":
    main()

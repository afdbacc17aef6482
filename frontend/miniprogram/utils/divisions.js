// The prefecture → county cascade and the station lists, cached for the visit.

const api = require('./api.js');

const divCache = {};
const stationCache = {};

/** Children of a division (default: the province's prefectures). */
function divisions(parent) {
  const key = parent || 'root';
  if (!divCache[key]) {
    divCache[key] = api.get('/divisions', { query: { parent: parent || '' } }).then((r) => r.items || []);
    divCache[key].catch(() => { delete divCache[key]; });
  }
  return divCache[key];
}

/** Stations within a division code (prefix match). */
function stations(division) {
  if (!stationCache[division]) {
    stationCache[division] = api.get('/offices', { query: { kind: 'station', division } }).then((r) => r.items || []);
    stationCache[division].catch(() => { delete stationCache[division]; });
  }
  return stationCache[division];
}

/** The prefecture code (xxxx00) of a county code. */
const prefectureOf = (code) => (code && code.length >= 4 ? `${code.slice(0, 4)}00` : '');

/**
 * The cascade's state for a page: {prefectures, prefIndex, counties,
 * countyIndex}, with the wanted county picked when it exists.
 */
async function cascadeFor(county) {
  const prefectures = await divisions('');
  const pWant = prefectureOf(county);
  const prefIndex = prefectures.findIndex((p) => p.code === pWant);
  let counties = [];
  let countyIndex = -1;
  if (prefIndex >= 0) {
    counties = await divisions(prefectures[prefIndex].code);
    countyIndex = counties.findIndex((c) => c.code === county);
  }
  return { prefectures, prefIndex, counties, countyIndex };
}

module.exports = { divisions, stations, prefectureOf, cascadeFor };

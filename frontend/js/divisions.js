// The prefecture → county cascade and the station lists, cached for the visit.

import { get } from './api.js';
import { h, selectCell, fillSelect } from './ui.js';

const divCache = new Map();
const stationCache = new Map();

/** Children of a division (default: the province's prefectures). */
export function divisions(parent = '') {
  const key = parent || 'root';
  if (!divCache.has(key)) {
    const p = get('/divisions', { query: { parent } }).then((r) => r.items || []);
    p.catch(() => divCache.delete(key));
    divCache.set(key, p);
  }
  return divCache.get(key);
}

/** Stations within a division code (prefix match). */
export function stations(division) {
  if (!stationCache.has(division)) {
    const p = get('/offices', { query: { kind: 'station', division } }).then((r) => r.items || []);
    p.catch(() => stationCache.delete(division));
    stationCache.set(division, p);
  }
  return stationCache.get(division);
}

/** The prefecture code (xxxx00) of a county code. */
export const prefectureOf = (code) => (code && code.length >= 4 ? code.slice(0, 4) + '00' : '');

/**
 * A station's name or address without its prefecture and county when the
 * person has the county before them (chosen above the station list; in the
 * county of the station 确认申请 names): "南明区新华路派出所" → "新华路派出所",
 * "贵阳市南明区新华路街道…" → "新华路街道…"; the whole text otherwise.
 */
export function withoutCounty(text, county) {
  const a = text || '';
  if (!county || !county.name) return a;
  const i = a.indexOf(county.name);
  return i >= 0 && i <= 4 && a.length > i + county.name.length ? a.slice(i + county.name.length) : a;
}

/**
 * A prefecture → county pair of selects. prefix names the ids
 * (`${prefix}-prefecture`, `${prefix}-county`). onChange(county|null,
 * prefecture|null) fires when the county changes. Returns {el, ready, value()}.
 */
export function cascade(prefix, { prefecture = '', county = '', onChange = () => {}, onError = () => {} } = {}) {
  const pSel = h('select', { class: 'weui-select', id: `${prefix}-prefecture`, name: `${prefix}-prefecture`, 'data-test': `${prefix}-prefecture`, disabled: true });
  const cSel = h('select', { class: 'weui-select', id: `${prefix}-county`, name: `${prefix}-county`, 'data-test': `${prefix}-county`, disabled: true });
  fillSelect(pSel, [], '加载中…');
  fillSelect(cSel, [], '请先选择市（州）');
  let prefs = [];
  let counties = [];

  const current = () => {
    const p = prefs.find((x) => x.code === pSel.value) || null;
    const c = counties.find((x) => x.code === cSel.value) || null;
    return { prefecture: p, county: c };
  };

  const loadCounties = async (pcode, want) => {
    counties = [];
    fillSelect(cSel, [], pcode ? '加载中…' : '请先选择市（州）');
    if (!pcode) return;
    try {
      const list = await divisions(pcode);
      if (pSel.value !== pcode) return; // changed meanwhile
      counties = list;
      fillSelect(cSel, list, '请选择区（县）', list.some((x) => x.code === want) ? want : '');
    } catch (e) {
      fillSelect(cSel, [], '加载失败，请重选');
      onError(e);
    }
  };

  pSel.addEventListener('change', async () => {
    await loadCounties(pSel.value, '');
    const v = current();
    onChange(v.county, v.prefecture);
  });
  cSel.addEventListener('change', () => {
    const v = current();
    onChange(v.county, v.prefecture);
  });

  const ready = (async () => {
    try {
      prefs = await divisions('');
    } catch (e) {
      fillSelect(pSel, [], '加载失败');
      onError(e);
      return;
    }
    const pWant = prefs.some((x) => x.code === prefecture) ? prefecture : '';
    fillSelect(pSel, prefs, '请选择市（州）', pWant);
    if (pWant) await loadCounties(pWant, county);
    const v = current();
    if (v.county) onChange(v.county, v.prefecture);
  })();

  const el = [selectCell('市（州）', pSel), selectCell('区（县）', cSel)];
  return { el, ready, value: current, selects: { prefecture: pSel, county: cSel } };
}

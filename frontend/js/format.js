// Dates, money and sex as the clients write them, all times in Beijing time.
// Pure (no DOM): the mini-program's copy is generated from this file
// (scripts/shared-rules.mjs).

const pad = (n) => String(n).padStart(2, '0');

/** Date parts of an RFC 3339 time, in Asia/Shanghai (UTC+8, no DST). */
function bj(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const d = new Date(t + 8 * 3600e3);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), hh: d.getUTCHours(), mm: d.getUTCMinutes(), ss: d.getUTCSeconds() };
}

/** "2026年11月26日 15:28": the date as fmtDate writes it, one format throughout. */
export function fmtDateTime(iso) {
  if (!iso) return '';
  const p = bj(iso);
  return p ? `${p.y}年${p.m}月${p.d}日 ${pad(p.hh)}:${pad(p.mm)}` : String(iso);
}

/** "2026年11月26日" from an RFC 3339 time or a YYYY-MM-DD date. */
export function fmtDate(s) {
  if (!s) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return `${+m[1]}年${+m[2]}月${+m[3]}日`;
  const p = bj(s);
  return p ? `${p.y}年${p.m}月${p.d}日` : String(s);
}

/** "15:28:07" */
export function fmtClock(iso) {
  const p = bj(iso);
  return p ? `${pad(p.hh)}:${pad(p.mm)}:${pad(p.ss)}` : '';
}

export const fmtYuan = (n) => `¥${Number(n || 0).toFixed(0)}`;

export const sexLabel = (s) => ({ male: '男', female: '女', M: '男', F: '女', '1': '男', '2': '女' }[s] || s || '');

/**
 * "预计 12月18日 前可领取" (window) or "预计 12月18日 前送达" (mail): the
 * case's predicted_done_at while the card is on its way; '' once it is at
 * the window, and on a closed case.
 */
export function fmtPredicted(c) {
  if (!c || !c.predicted_done_at || c.final || c.status === 'ready_for_pickup' || c.status === 'uncollected') return '';
  const p = bj(c.predicted_done_at);
  if (!p) return '';
  return `预计 ${p.m}月${p.d}日 前${c.collection === 'mail' ? '送达' : '可领取'}`;
}

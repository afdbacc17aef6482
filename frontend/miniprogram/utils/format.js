// Formatting, all times in Beijing time (UTC+8, no DST), as the H5 shows them.

const pad = (n) => String(n).padStart(2, '0');

function bj(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const d = new Date(t + 8 * 3600e3);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), hh: d.getUTCHours(), mm: d.getUTCMinutes(), ss: d.getUTCSeconds() };
}

/** "2026-11-26 15:28" */
function fmtDateTime(iso) {
  if (!iso) return '';
  const p = bj(iso);
  return p ? `${p.y}-${pad(p.m)}-${pad(p.d)} ${pad(p.hh)}:${pad(p.mm)}` : String(iso);
}

/** "2026年11月26日" from an RFC 3339 time or a YYYY-MM-DD date. */
function fmtDate(s) {
  if (!s) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) return `${+m[1]}年${+m[2]}月${+m[3]}日`;
  const p = bj(s);
  return p ? `${p.y}年${p.m}月${p.d}日` : String(s);
}

/** "15:28:07" */
function fmtClock(iso) {
  const p = bj(iso);
  return p ? `${pad(p.hh)}:${pad(p.mm)}:${pad(p.ss)}` : '';
}

const fmtYuan = (n) => `¥${Number(n || 0).toFixed(0)}`;

const sexLabel = (s) => ({ male: '男', female: '女' }[s] || s || '');

/** A random UUID v4 for Idempotency-Key. */
function uuid() {
  const b = [];
  for (let i = 0; i < 16; i++) b.push(Math.floor(Math.random() * 256));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = b.map((v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

module.exports = { fmtDateTime, fmtDate, fmtClock, fmtYuan, sexLabel, uuid };

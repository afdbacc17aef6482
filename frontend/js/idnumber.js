// Resident ID number (GB 11643-1999) checks, for a clear message before the
// server is asked. The server checks again; this only saves a round trip.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const PROVINCES = new Set('11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83'.split(' '));

/** Upper-cases a trailing x and drops spaces. */
export function normalizeIDNumber(s) {
  return String(s || '').replace(/\s+/g, '').toUpperCase();
}

/**
 * The ID number as people read it: grouped 6-8-4 (area, birth date,
 * sequence and check digit), e.g. "520102 19900101 123X"; a partial number
 * is grouped as far as it goes.
 */
export function groupIDNumber(s) {
  const v = normalizeIDNumber(s);
  return [v.slice(0, 6), v.slice(6, 14), v.slice(14, 18)].filter(Boolean).join(' ');
}

/** The check digit (0-9 or X) of the first 17 digits. */
export function checkDigit(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/**
 * Validates an 18-digit ID number. Returns null when it is well formed, or a
 * Chinese message saying what is wrong.
 */
export function validateIDNumber(raw, today = new Date()) {
  const s = normalizeIDNumber(raw);
  if (!s) return '请输入身份证号码';
  if (s.length !== 18) return `身份证号码应为18位，您输入了${s.length}位`;
  if (!/^\d{17}[\dX]$/.test(s)) return '身份证号码前17位应为数字，最后一位为数字或字母X';
  if (!PROVINCES.has(s.slice(0, 2))) return '身份证号码前两位（省份代码）不正确';
  const y = +s.slice(6, 10), m = +s.slice(10, 12), d = +s.slice(12, 14);
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) {
    return `身份证号码中的出生日期（第7至14位：${s.slice(6, 14)}）不是有效日期`;
  }
  if (birth.getTime() > today.getTime()) return '身份证号码中的出生日期晚于今天，请核对';
  if (checkDigit(s) !== s[17]) {
    return '身份证号码校验位不正确：请逐位核对号码（常见原因：某一位输错或两位顺序颠倒）';
  }
  return null;
}

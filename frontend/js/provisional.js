// Provisional due times: a due time counted through a year whose State
// Council holiday notice is not in the calendar yet uses the statutory
// holidays and may move when the notice is imported (API: provisional_dues
// on a case, provisional_years on /deadline). Pure (no DOM): the
// mini-program's copy is generated from this file (scripts/shared-rules.mjs);
// the 暂定 mark is in marks.js.

import { fmtDate } from './format.js';

/** What the 暂定 mark explains. */
export const PROVISIONAL_TIP = '该年度国务院放假通知尚未发布，期限按法定节假日推算，为暂定，通知发布后将重新计算';

/** Whether the case's due time `field` (e.g. "legal_due_at") is provisional. */
export function caseDueProvisional(c, field) {
  return Array.isArray(c && c.provisional_dues) && c.provisional_dues.includes(field);
}

/** Whether a due time of a /deadline answer falls in one of its provisional years. */
export function deadlineProvisional(dl, due) {
  return !!(dl && due && Array.isArray(dl.provisional_years) && dl.provisional_years.includes(Number(String(due).slice(0, 4))));
}

/**
 * The confirm page's line for the legal due date of a /deadline answer
 * ("2027年1月30日前（暂定）"; the 60 days it counts are said beside it), or,
 * when the server could not say (dl null), "约" + the date 60 calendar days
 * from now.
 */
export function legalDueLine(dl, now = Date.now()) {
  if (dl && dl.legal_due) return `${fmtDate(dl.legal_due)}前${deadlineProvisional(dl, dl.legal_due) ? '（暂定）' : ''}`;
  const t = new Date(now + 60 * 86400e3);
  return `约${t.getFullYear()}年${t.getMonth() + 1}月${t.getDate()}日前`;
}

/** The confirm page's line for the pre-check due date of a /deadline answer, or '' without one. */
export function precheckDueLine(dl) {
  return dl && dl.precheck_due ? `${fmtDate(dl.precheck_due)}前（3个工作日${deadlineProvisional(dl, dl.precheck_due) ? '，暂定' : ''}）` : '';
}

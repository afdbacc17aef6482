// Provisional due times: a due time counted through a year whose State
// Council holiday notice is not in the calendar yet uses the statutory
// holidays and may move when the notice is imported (API: provisional_dues
// on a case, provisional_years on /deadline). Pure (no DOM): the
// mini-program's copy is generated from this file (scripts/shared-rules.mjs);
// the 暂定 mark is in marks.js.

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

// The step indicator of the application flow and where a draft must go back to.

const ALL = [
  { key: 'kind', label: '类型' },
  { key: 'station', label: '受理点' },
  { key: 'collection', label: '领证方式' },
  { key: 'photo', label: '相片' },
  { key: 'confirm', label: '确认' },
];

/** The steps as WXML data: [{label, n, state: done|current|todo}]. */
function steps(current, needsPhoto) {
  const list = ALL.filter((s) => s.key !== 'photo' || needsPhoto);
  const at = list.findIndex((s) => s.key === current);
  return list.map((s, i) => ({ key: s.key, label: s.label, n: i < at ? '✓' : String(i + 1), state: i < at ? 'is-done' : i === at ? 'is-current' : '' }));
}

/** The page of the first step the draft has not completed, or null if all are done. */
function missingStep(d) {
  if (!d.kind) return '/pages/apply-kind/apply-kind';
  if (!d.station) return '/pages/apply-station/apply-station';
  if (!d.collection || (d.collection === 'mail' && !d.mail)) return '/pages/apply-collection/apply-collection';
  if (d.needsPhoto && !(d.photo && (d.photo.photo_id || d.photo.receipt_no))) return '/pages/apply-photo/apply-photo';
  return null;
}

module.exports = { steps, missingStep };

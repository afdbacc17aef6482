// The step indicator of the application flow (not a page: shared by the steps).

import { h } from './ui.js';
import { saveDraft } from './store.js';

const ALL = [
  { key: 'kind', label: '类型' },
  { key: 'station', label: '派出所' },
  { key: 'photo', label: '相片' },
  { key: 'confirm', label: '确认' },
];

/** The indicator with `current` lit; the photo step only when the kind needs one. */
export function steps(current, needsPhoto) {
  const list = ALL.filter((s) => s.key !== 'photo' || needsPhoto);
  const at = list.findIndex((s) => s.key === current);
  return h('ol', { class: 'steps', 'aria-label': `申请步骤，第${at + 1}步，共${list.length}步` },
    list.map((s, i) => h('li', {
      class: ['steps__item', i < at ? 'is-done' : '', i === at ? 'is-current' : ''],
      'aria-current': i === at ? 'step' : null,
    }, h('span', { class: 'steps__dot' }, i < at ? '✓' : String(i + 1)), h('span', { class: 'steps__label' }, s.label))));
}

/**
 * Whether the draft's card is to be mailed: the window at the chosen
 * station is the route unless the applicant asked for EMS on 确认申请.
 */
export function mailed(d) {
  return d.collection === 'mail';
}

/** The first step the draft has not completed, as a hash, or null if all are done. */
export function missingStep(d) {
  if (!d.kind) return '#/apply';
  if (!d.station) return '#/apply/station';
  if (mailed(d) && !d.mail) return '#/apply/collection';
  if (d.needsPhoto && !(d.photo && (d.photo.photo_id || d.photo.receipt_no))) return '#/apply/photo';
  return null;
}

/**
 * Starts the draft with kind k of an /eligibility answer (the kind screen
 * and the home page's entries both do): its label, fee and whether it needs
 * a photo; ward is whom it is for (null: the person themself, undefined:
 * unchanged).
 */
export function chooseKind(k, ward) {
  const patch = { kind: k.kind, kindLabel: k.label, fee: k.fee_yuan, needsPhoto: Boolean(k.needs_photo) };
  if (!k.needs_photo) patch.photo = null;
  if (ward !== undefined) patch.ward = ward;
  saveDraft(patch);
}

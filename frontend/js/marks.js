// The DOM marks of a case: its status badge and the 暂定 mark of a
// provisional due time. The rules behind them (status.js, provisional.js)
// stay free of the DOM so the mini-program shares them.

import { h } from './ui.js';
import { PROVISIONAL_TIP } from './provisional.js';

/** A colored status badge with the server's status_label. */
export function statusBadge(c, extra = {}) {
  return h('span', { class: `status-badge status-${c.status}`, 'data-status': c.status, 'data-test': 'status-badge', ...extra }, c.status_label);
}

/** The 暂定 mark, or null when the due time is final. */
export function provisionalMark(on) {
  return on ? h('span', { class: 'due__tag', title: PROVISIONAL_TIP, 'data-test': 'provisional' }, '暂定') : null;
}

// 消息: notifications about the applicant's cases.

import { get, post } from '../api.js';
import { h, mount, pageHeader, loadingBlock, emptyBlock } from '../ui.js';
import { fmtDateTime } from '../format.js';

export async function render(ctx) {
  const { root } = ctx;
  mount(root, pageHeader('消息'), loadingBlock());
  const r = await get('/notifications');
  if (!ctx.alive()) return;
  const items = r.items || [];
  const unread = items.filter((n) => !n.read);

  mount(root,
    pageHeader('消息'),
    items.length === 0
      ? emptyBlock('暂无消息')
      : h('ul', { class: 'msg-list', id: 'msg-list', 'data-test': 'msg-list' },
        items.map((n) => {
          const inner = [
            h('div', { class: 'msg-item__top' },
              h('span', { class: 'msg-item__title' }, n.title),
              n.read ? null : h('span', { class: 'weui-badge weui-badge_dot msg-item__dot', 'aria-label': '未读' })),
            h('p', { class: 'msg-item__body' }, n.body),
            h('p', { class: 'msg-item__meta' },
              h('time', { datetime: n.created_at }, fmtDateTime(n.created_at)),
              n.case_no ? h('span', null, `办件 ${n.case_no}`) : null),
          ];
          return h('li', null, n.case_no
            ? h('a', { class: ['msg-item', n.read ? '' : 'is-unread'], href: `#/cases/${encodeURIComponent(n.case_no)}`, 'data-test': 'msg-item', 'data-id': String(n.id) }, inner)
            : h('div', { class: ['msg-item', n.read ? '' : 'is-unread'], 'data-test': 'msg-item', 'data-id': String(n.id) }, inner));
        })));

  // Seen now: mark them read (an extra of the API; ignore if absent).
  ctx.setUnread(0);
  if (unread.length) {
    post('/notifications/read', { ids: unread.map((n) => n.id) }, { quiet401: true }).catch(() => {});
  }
}

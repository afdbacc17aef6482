// 我的办件: the applicant's cases, newest first, with status badges.

import { get } from '../api.js';
import { h, mount, pageHeader, loadingBlock, emptyBlock } from '../ui.js';
import { fmtDateTime, fmtPredicted } from '../format.js';
import { statusBadge } from '../marks.js';

export async function render(ctx) {
  const { root } = ctx;
  mount(root, pageHeader('我的办件'), loadingBlock());
  const r = await get('/cases');
  if (!ctx.alive()) return;
  const items = r.items || [];

  mount(root,
    pageHeader('我的办件'),
    items.length === 0
      ? emptyBlock('您还没有办件', h('a', { class: 'weui-btn weui-btn_primary weui-btn_mini', href: '#/apply', 'data-test': 'apply' }, '我要申请'))
      : h('ul', { class: 'case-list', id: 'case-list', 'data-test': 'case-list' },
        items.map((c) => h('li', null,
          h('a', {
            class: ['case-item', c.status === 'ready_for_pickup' ? 'is-attention' : ''],
            href: `#/cases/${encodeURIComponent(c.no)}`,
            id: `case-${c.no}`,
            'data-test': 'case-item',
            'data-no': c.no,
            'data-status': c.status,
          },
          h('div', { class: 'case-item__top' },
            h('span', { class: 'case-item__kind' }, c.kind_label || c.kind),
            statusBadge(c)),
          h('p', { class: 'case-item__no' }, c.no),
          h('p', { class: 'case-item__meta' },
            `${c.station ? c.station.name : ''} · ${c.collection_label}`),
          h('p', { class: 'case-item__meta' }, `提交于 ${fmtDateTime(c.submitted_at)}`),
          fmtPredicted(c) ? h('p', { class: 'case-item__predicted', 'data-test': 'predicted' }, fmtPredicted(c)) : null,
          c.overdue ? h('span', { class: 'tag tag_warn' }, '已超期') : null)))));
}

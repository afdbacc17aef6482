// 申请 done: the case number and what happens next.

import { get, seg } from '../api.js';
import { h, mount } from '../ui.js';
import { fmtDate } from '../format.js';
import { caseDueProvisional } from '../provisional.js';

export async function render(ctx) {
  const { root, params } = ctx;
  const no = params.no;
  const due = h('p', { class: 'weui-msg__desc fine-print', 'data-test': 'done-due' });

  mount(root,
    h('div', { class: 'weui-msg done' },
      h('div', { class: 'weui-msg__icon-area' }, h('i', { class: 'weui-icon-success weui-icon_msg', 'aria-hidden': 'true' })),
      h('div', { class: 'weui-msg__text-area' },
        h('h1', { class: 'weui-msg__title', tabindex: '-1' }, '申请已提交'),
        h('p', { class: 'weui-msg__desc' }, '办件编号'),
        h('p', { class: 'done__no', id: 'case-no', 'data-test': 'case-no' }, no),
        h('p', { class: 'weui-msg__desc' }, '3个工作日内告知核验结果。'),
        due),
      h('div', { class: 'weui-msg__opr-area' },
        h('p', { class: 'weui-btn-area' },
          h('a', { class: 'weui-btn weui-btn_primary', href: `#/cases/${encodeURIComponent(no)}`, id: 'btn-view-case', 'data-test': 'view-case' }, '查看办件'),
          h('a', { class: 'weui-btn weui-btn_default', href: '#/', id: 'btn-home', 'data-test': 'home' }, '返回首页')))));

  try {
    const c = await get(`/cases/${seg(no)}`);
    if (ctx.alive() && c.legal_due_at) due.textContent = `法定办结期限：${fmtDate(c.legal_due_at)}${caseDueProvisional(c, 'legal_due_at') ? '（暂定）' : ''}`;
  } catch { /* the number is what matters here */ }
}

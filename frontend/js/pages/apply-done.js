// 申请 done: the case number and what happens next (the legal due date was
// on 确认申请 a moment ago, and is on the case page).

import { h, mount } from '../ui.js';

export function render(ctx) {
  const { root, params } = ctx;
  const no = params.no;

  mount(root,
    h('div', { class: 'weui-msg done' },
      h('div', { class: 'weui-msg__icon-area' }, h('i', { class: 'weui-icon-success weui-icon_msg', 'aria-hidden': 'true' })),
      h('div', { class: 'weui-msg__text-area' },
        h('h1', { class: 'weui-msg__title', tabindex: '-1' }, '申请已提交'),
        h('p', { class: 'weui-msg__desc' }, '办件编号'),
        h('p', { class: 'done__no', id: 'case-no', 'data-test': 'case-no' }, no),
        h('p', { class: 'weui-msg__desc' }, '3个工作日内告知结果。')),
      h('div', { class: 'weui-msg__opr-area' },
        h('p', { class: 'weui-btn-area' },
          h('a', { class: 'weui-btn weui-btn_primary', href: `#/cases/${encodeURIComponent(no)}`, id: 'btn-view-case', 'data-test': 'view-case' }, '查看办件'),
          h('a', { class: 'weui-btn weui-btn_default', href: '#/', id: 'btn-home', 'data-test': 'home' }, '返回首页')))));
}

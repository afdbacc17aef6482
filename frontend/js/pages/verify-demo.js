// The demo provider's face page (demo mode only): no face is taken; the
// citizen chooses the outcome, and the page returns to the H5 with the
// demo verify_result, as a real provider's page would with its own. What
// only the demo says (class demo-note) is not in production, where this
// page is WeChat's own face check.

import { h, mount, pageHeader } from '../ui.js';

// back is the return address with the result added; only a page of this
// H5 is accepted, never another site.
function back(ret, result) {
  const r = ret && ret.startsWith('/m/#/') ? ret : '/m/#/bind';
  return r + (r.includes('?') ? '&' : '?') + 'verify_result=' + encodeURIComponent(result);
}

export function render(ctx) {
  const { root, query } = ctx;
  const ret = query.get('return');
  const choose = (result) => location.assign(back(ret, result));
  mount(root,
    pageHeader('人脸核身', '#/bind'),
    h('div', { class: 'weui-msg verify-demo', 'data-test': 'verify-demo' },
      h('div', { class: 'weui-msg__icon-area' }, h('i', { class: 'weui-icon-info weui-icon_msg', 'aria-hidden': 'true' })),
      h('div', { class: 'weui-msg__text-area' },
        h('p', { class: 'weui-msg__desc fine-print demo-note' }, '演示页面，不采集人脸；正式环境打开微信人脸核身。')),
      h('div', { class: 'weui-msg__opr-area' },
        h('p', { class: 'weui-btn-area' },
          h('button', { id: 'btn-verify-pass', type: 'button', class: 'weui-btn weui-btn_primary', onclick: () => choose('dev:pass') }, '模拟通过'),
          h('button', { id: 'btn-verify-fail', type: 'button', class: 'weui-btn weui-btn_default', onclick: () => choose('dev:fail') }, '模拟不通过')))));
}

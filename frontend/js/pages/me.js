// 我的: account, identity and sign-out.

import { get, post } from '../api.js';
import { h, mount, pageHeader, confirmDialog, setBusy, toast } from '../ui.js';
import { sexLabel, fmtDateTime } from '../format.js';
import { clearSession } from '../store.js';
import { elderSwitch } from '../mode.js';

export async function render(ctx) {
  const { root, me } = ctx;
  const p = me.person;

  const logout = h('button', { type: 'button', class: 'weui-btn weui-btn_default', id: 'btn-logout', 'data-test': 'logout' }, '退出登录');
  logout.addEventListener('click', async () => {
    if (!(await confirmDialog('确定退出登录吗？', { ok: '退出' }))) return;
    setBusy(logout, true, '正在退出');
    try {
      await post('/auth/logout', undefined, { quiet401: true });
    } catch { /* signed out either way */ }
    clearSession();
    toast('已退出');
    ctx.go('#/login', { replace: true });
  });

  // 谁查看了我的信息: each time staff opened the full personal data.
  let views = [];
  if (p) {
    try {
      views = (await get('/me/access-log')).items;
    } catch { /* the rest of the page still shows */ }
  }
  const accessLog = p ? [
    h('div', { class: 'weui-cells__title' }, '谁查看了我的信息'),
    h('div', { class: 'weui-cells', id: 'me-access-log', 'data-test': 'access-log' },
      views.length ? views.map((v) => h('div', { class: 'weui-cell access-view' },
        h('div', { class: 'weui-cell__bd' }, h('p', null, `${v.office} · ${v.role}`), h('p', { class: 'me-head__sub' }, v.purpose)),
        h('div', { class: 'weui-cell__ft' }, fmtDateTime(v.at))))
        : h('div', { class: 'weui-cell', id: 'access-log-empty' }, h('div', { class: 'weui-cell__bd' }, '暂无查看记录'))),
    h('div', { class: 'weui-cells__tips' }, '工作人员每次查看您的完整身份信息都会记录（显示单位和岗位）。'),
  ] : null;

  mount(root,
    pageHeader('我的'),
    h('section', { class: 'me-head' },
      h('div', { class: 'me-head__avatar', 'aria-hidden': 'true' }, p ? p.name.slice(-2) : '我'),
      h('div', null,
        h('p', { class: 'me-head__name', 'data-test': 'me-name' }, p ? p.name : '未实名认证'),
        h('p', { class: 'me-head__sub' }, me.phone_masked ? `手机号 ${me.phone_masked}` : '微信登录'))),
    h('div', { class: 'weui-cells' },
      p ? [
        h('div', { class: 'weui-cell' }, h('div', { class: 'weui-cell__bd' }, '身份证号'), h('div', { class: 'weui-cell__ft', 'data-test': 'me-id' }, p.id_number_masked)),
        h('div', { class: 'weui-cell' }, h('div', { class: 'weui-cell__bd' }, '性别'), h('div', { class: 'weui-cell__ft' }, sexLabel(p.sex))),
        h('div', { class: 'weui-cell' }, h('div', { class: 'weui-cell__bd' }, '实名认证'), h('div', { class: 'weui-cell__ft' }, h('span', { class: 'tag tag_ok' }, '已认证'))),
      ] : h('a', { class: 'weui-cell weui-cell_access', href: '#/bind', id: 'me-bind', 'data-test': 'me-bind' },
        h('div', { class: 'weui-cell__bd' }, '实名认证'), h('div', { class: 'weui-cell__ft' }, '去认证'))),
    h('div', { class: 'weui-cells' },
      h('a', { class: 'weui-cell weui-cell_access', href: '#/cases' }, h('div', { class: 'weui-cell__bd' }, '我的办件'), h('div', { class: 'weui-cell__ft' })),
      h('a', { class: 'weui-cell weui-cell_access', href: '#/messages' }, h('div', { class: 'weui-cell__bd' }, '消息'), h('div', { class: 'weui-cell__ft' }))),
    accessLog,
    elderSwitch(h, 'me-elder'),
    p ? h('div', { class: 'weui-cells' },
      h('a', { class: 'weui-cell weui-cell_access', href: '#/me/wards', id: 'me-wards', 'data-test': 'me-wards' },
        h('div', { class: 'weui-cell__bd' }, '我的被监护人（为子女代办）'), h('div', { class: 'weui-cell__ft' }))) : null,
    h('div', { class: 'weui-cells__tips tips-block' }, '您的个人信息依《居民身份证法》第六条予以保密，页面仅显示脱敏信息。'),
    h('div', { class: 'weui-btn-area' }, logout));
}

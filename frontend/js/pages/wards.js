// 我的被监护人: children under 16 the registry records this applicant as the
// guardian of; a guardian applies for them (监护人代办).

import { get, post } from '../api.js';
import { h, mount, formCell, pageHeader, loadingBlock, setBusy, toast } from '../ui.js';
import { validateIDNumber, normalizeIDNumber } from '../idnumber.js';

export async function render(ctx) {
  const { root } = ctx;
  mount(root, pageHeader('我的被监护人', '#/me'), loadingBlock());
  const list = await get('/me/wards');
  if (!ctx.alive()) return;

  const name = h('input', { id: 'ward-name', 'data-test': 'ward-name', class: 'weui-input', type: 'text', maxlength: '32', placeholder: '子女姓名' });
  const idn = h('input', { id: 'ward-id', 'data-test': 'ward-id', class: 'weui-input', type: 'text', maxlength: '18', placeholder: '18位身份证号码' });
  const err = h('p', { class: 'form-error is-hidden', role: 'alert', id: 'ward-error', 'data-test': 'ward-error' });
  const setError = (msg) => { err.textContent = msg || ''; err.classList.toggle('is-hidden', !msg); };
  const add = h('button', { type: 'button', class: 'weui-btn weui-btn_primary', id: 'btn-ward-add', 'data-test': 'ward-add' }, '添加');
  add.addEventListener('click', async () => {
    const n = name.value.trim();
    const id = normalizeIDNumber(idn.value);
    if (!n) { setError('请填写姓名'); name.focus(); return; }
    const bad = validateIDNumber(id);
    if (bad) { setError(bad); idn.focus(); return; }
    setBusy(add, true, '正在核验');
    try {
      await post('/me/wards', { name: n, id_number: id });
      toast('已添加');
      ctx.rerender();
    } catch (e) {
      setBusy(add, false);
      setError(e.message);
    }
  });

  const items = list.items || [];
  mount(root,
    pageHeader('我的被监护人', '#/me'),
    h('p', { class: 'hint' }, '未满十六周岁的子女可由监护人代为申请。添加时将按户籍信息核对监护关系。'),
    h('div', { class: 'weui-cells', id: 'ward-list', 'data-test': 'ward-list' },
      items.length ? items.map((w) => h('div', { class: 'weui-cell', 'data-test': 'ward-item' },
        h('div', { class: 'weui-cell__bd' },
          h('p', null, w.person.name, h('span', { class: 'tag' }, w.relation_label)),
          h('p', { class: 'muted' }, w.person.id_number_masked)),
        h('div', { class: 'weui-cell__ft' },
          h('a', { class: 'weui-btn weui-btn_mini weui-btn_primary', href: `#/apply?ward=${w.id}`, 'data-test': 'ward-apply' }, '为其申请'))))
        : h('div', { class: 'weui-cell' }, h('div', { class: 'weui-cell__bd muted' }, '尚未添加被监护人'))),
    h('div', { class: 'weui-cells__title' }, '添加被监护人'),
    h('div', { class: 'weui-cells weui-cells_form' },
      formCell('姓名', 'ward-name', name), formCell('身份证号', 'ward-id', idn)),
    err,
    h('div', { class: 'weui-btn-area' }, add));
}

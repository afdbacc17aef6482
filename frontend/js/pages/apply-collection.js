// 申请: the EMS address (recipient, phone, prefecture → county, street
// address), opened from 确认申请's 改为邮寄到家; the card is collected at the
// station's window unless the applicant asks for it to be mailed. Saving
// goes back to 确认申请 with the mail route chosen.

import { h, mount, formCell, pageHeader, showError } from '../ui.js';
import { getDraft, saveDraft } from '../store.js';
import { cascade, prefectureOf } from '../divisions.js';
import { missingStep } from '../steps.js';

const MOBILE_RE = /^1[3-9]\d{9}$/;

export async function render(ctx) {
  const { root, me } = ctx;
  const draft = getDraft();
  const miss = missingStep(draft);
  if (miss === '#/apply' || miss === '#/apply/station') { ctx.go(miss, { replace: true }); return; }

  const mail = draft.mail || {};
  let county = mail.division_code ? { code: mail.division_code, name: mail.divisionName } : null;
  let prefecture = null;

  const input = (id, attrs) => h('input', { id, 'data-test': id, class: 'weui-input', ...attrs });
  const recipient = input('mail-recipient', { type: 'text', maxlength: '32', autocomplete: 'name', placeholder: '收件人姓名', value: mail.recipient || (me.person ? me.person.name : '') });
  const phone = input('mail-phone', { type: 'tel', inputmode: 'numeric', maxlength: '11', autocomplete: 'tel', placeholder: '11位手机号', value: mail.phone || me.phone || '' });
  const address = h('textarea', {
    id: 'mail-address', 'data-test': 'mail-address', class: 'weui-textarea', rows: '2', maxlength: '120',
    placeholder: '街道、小区、楼栋、门牌号', autocomplete: 'street-address',
  });
  address.value = mail.address || '';
  phone.addEventListener('input', () => { phone.value = phone.value.replace(/\D/g, '').slice(0, 11); });

  const cas = cascade('mail', {
    prefecture: prefectureOf(mail.division_code),
    county: mail.division_code || '',
    onChange: (c, p) => { county = c; prefecture = p; },
    onError: (e) => showError(e),
  });

  const err = h('p', { class: 'form-error is-hidden', role: 'alert', id: 'collection-error', 'data-test': 'collection-error' });
  const setError = (msg) => { err.textContent = msg || ''; err.classList.toggle('is-hidden', !msg); };
  // An error goes as soon as the applicant edits the form to mend it.
  for (const el of [recipient, phone, address]) el.addEventListener('input', () => setError(''));
  for (const sel of Object.values(cas.selects)) sel.addEventListener('change', () => setError(''));

  const saveBtn = h('button', { type: 'button', id: 'btn-collection-next', 'data-test': 'collection-next', class: 'weui-btn weui-btn_primary' }, '确定');
  saveBtn.addEventListener('click', () => {
    const m = {
      recipient: recipient.value.trim(),
      phone: phone.value.trim(),
      address: address.value.trim(),
    };
    const v = cas.value();
    if (v.county) { county = v.county; prefecture = v.prefecture; }
    if (!m.recipient) { setError('请填写收件人'); recipient.focus(); return; }
    if (!MOBILE_RE.test(m.phone)) { setError('请填写正确的11位手机号'); phone.focus(); return; }
    if (!county || !v.county) { setError('请选择收件地址所在的市（州）和区（县）'); cas.selects.county.focus(); return; }
    if (m.address.length < 4) { setError('请填写详细地址（街道、门牌号）'); address.focus(); return; }
    saveDraft({
      collection: 'mail',
      mail: { ...m, division_code: county.code, divisionName: `${prefecture ? prefecture.name : ''}${county.name}` },
    });
    ctx.go('#/apply/confirm');
  });
  // Back to the window, for one who opened the form by mistake (or came
  // here from a mailed case's 重新申请).
  const windowBtn = h('button', { type: 'button', id: 'btn-collection-window', 'data-test': 'collection-window', class: 'weui-btn weui-btn_default' }, '改为窗口领取');
  windowBtn.addEventListener('click', () => {
    saveDraft({ collection: 'window' });
    ctx.go('#/apply/confirm');
  });

  mount(root,
    pageHeader('邮寄到家', '#/apply/confirm'),
    h('div', { id: 'mail-form' },
      h('div', { class: 'weui-cells weui-cells_form' },
        formCell('收件人', 'mail-recipient', recipient),
        formCell('手机号', 'mail-phone', phone),
        cas.el,
        formCell('详细地址', 'mail-address', address)),
      h('div', { class: 'weui-cells__tips tips-block' }, '制证后EMS寄出，本人签收，仅限省内。')),
    err,
    h('div', { class: 'weui-btn-area' }, saveBtn, windowBtn));
  await cas.ready;
}

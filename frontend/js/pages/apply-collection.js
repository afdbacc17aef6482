// 申请 step 3: how to collect the card — at the station's window, or by EMS
// to an address (recipient, phone, prefecture → county, street address).

import { h, mount, pageHeader, showError } from '../ui.js';
import { getDraft, saveDraft } from '../store.js';
import { cascade, prefectureOf, shortAddress } from '../divisions.js';
import { steps, missingStep } from '../steps.js';

const MOBILE_RE = /^1[3-9]\d{9}$/;

export async function render(ctx) {
  const { root, me } = ctx;
  const draft = getDraft();
  const miss = missingStep(draft);
  if (miss === '#/apply' || miss === '#/apply/station') { ctx.go(miss, { replace: true }); return; }

  let mode = draft.collection || 'window';
  const mail = draft.mail || {};
  let county = mail.division_code ? { code: mail.division_code, name: mail.divisionName } : null;
  let prefecture = null;

  const radio = (value, title, ...desc) => {
    const id = `collection-${value}`;
    const input = h('input', { type: 'radio', class: 'weui-check', name: 'collection', id, value, 'data-test': id, checked: mode === value });
    input.addEventListener('change', () => { mode = value; sync(); });
    return h('label', { class: 'weui-cell weui-cell_active weui-check__label', for: id },
      h('div', { class: 'weui-cell__bd' },
        h('p', { class: 'option__title' }, title),
        desc.map((d) => h('p', { class: 'option__desc' }, d))),
      h('div', { class: 'weui-cell__ft' }, input, h('span', { class: 'weui-icon-checked' })));
  };

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

  const station = draft.station;
  const windowInfo = h('div', { class: 'weui-cells__tips tips-block fine-print', id: 'window-info' },
    `电话：${station.phone || '—'}；时间：${station.hours || '—'}。到站后通知您，30个工作日内凭领证二维码领取。`);
  const mailForm = h('div', { id: 'mail-form', class: 'is-hidden' },
    h('div', { class: 'weui-cells__title' }, '收件信息'),
    h('div', { class: 'weui-cells weui-cells_form' },
      h('div', { class: 'weui-cell weui-cell_active' },
        h('div', { class: 'weui-cell__hd' }, h('label', { class: 'weui-label', for: 'mail-recipient' }, '收件人')),
        h('div', { class: 'weui-cell__bd' }, recipient)),
      h('div', { class: 'weui-cell weui-cell_active' },
        h('div', { class: 'weui-cell__hd' }, h('label', { class: 'weui-label', for: 'mail-phone' }, '手机号')),
        h('div', { class: 'weui-cell__bd' }, phone)),
      cas.el,
      h('div', { class: 'weui-cell weui-cell_active' },
        h('div', { class: 'weui-cell__hd' }, h('label', { class: 'weui-label', for: 'mail-address' }, '详细地址')),
        h('div', { class: 'weui-cell__bd' }, address))),
    h('div', { class: 'weui-cells__tips tips-block' }, '制证后EMS寄出，本人签收，仅限省内。'));

  function sync() {
    mailForm.classList.toggle('is-hidden', mode !== 'mail');
    windowInfo.classList.toggle('is-hidden', mode !== 'window');
    setError('');
  }

  const nextBtn = h('button', { type: 'button', id: 'btn-collection-next', 'data-test': 'collection-next', class: 'weui-btn weui-btn_primary' }, '下一步');
  nextBtn.addEventListener('click', () => {
    if (mode === 'window') {
      saveDraft({ collection: 'window', mail: null });
    } else {
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
    }
    setError('');
    ctx.go(getDraft().needsPhoto ? '#/apply/photo' : '#/apply/confirm');
  });

  mount(root,
    pageHeader('领证方式', '#/apply/station'),
    steps('collection', draft.needsPhoto),
    h('div', { class: 'weui-cells weui-cells_radio', role: 'radiogroup', 'aria-label': '领证方式' },
      radio('window', '窗口领取', station.name, shortAddress(station.address, draft.stationCounty) || ''),
      radio('mail', '邮寄到家', '邮费到付')),
    windowInfo,
    mailForm,
    err,
    h('div', { class: 'weui-btn-area' }, nextBtn));
  sync();
  await cas.ready;
}

// 变更领证信息: until production starts, the station (before pre-check the
// new station takes over the pre-check), the collection method and the EMS
// address can change. The server decides; a 409 says production has begun.

import { get, post, seg } from '../api.js';
import { h, mount, formCell, pageHeader, loadingBlock, setBusy, showError, toast } from '../ui.js';
import { cascade, stations, prefectureOf } from '../divisions.js';

const MOBILE_RE = /^1[3-9]\d{9}$/;

export async function render(ctx) {
  const { root, params } = ctx;
  const back = `#/cases/${encodeURIComponent(params.no)}`;
  mount(root, pageHeader('变更领证信息', back), loadingBlock());
  const c = await get(`/cases/${seg(params.no)}`);
  if (!ctx.alive()) return;

  let stationId = c.station.id;
  let mode = c.collection;
  let mailCounty = null;
  const stationSel = h('select', { class: 'weui-select', id: 'change-station', 'data-test': 'change-station' },
    h('option', { value: String(c.station.id) }, `${c.station.name}（当前）`));
  stationSel.addEventListener('change', () => { stationId = Number(stationSel.value); });
  const stationCas = cascade('change', {
    onChange: async (county) => {
      if (!county) return;
      try {
        const list = await stations(county.code);
        if (!ctx.alive()) return;
        stationSel.replaceChildren(h('option', { value: String(c.station.id) }, `${c.station.name}（当前）`),
          ...list.filter((s) => s.id !== c.station.id).map((s) => h('option', { value: String(s.id) }, s.name)));
        stationSel.value = String(stationId);
        if (stationSel.value === '') stationSel.value = String(c.station.id);
      } catch (e) { showError(e); }
    },
    onError: (e) => showError(e),
  });

  const radio = (value, title) => {
    const id = `change-collection-${value}`;
    const input = h('input', { type: 'radio', class: 'weui-check', name: 'change-collection', id, value, 'data-test': id, checked: mode === value });
    input.addEventListener('change', () => { mode = value; sync(); });
    return h('label', { class: 'weui-cell weui-cell_active weui-check__label', for: id },
      h('div', { class: 'weui-cell__bd' }, h('p', null, title)),
      h('div', { class: 'weui-cell__ft' }, input, h('span', { class: 'weui-icon-checked' })));
  };
  const input = (id, attrs) => h('input', { id, 'data-test': id, class: 'weui-input', ...attrs });
  const recipient = input('change-recipient', { type: 'text', maxlength: '32', placeholder: '收件人姓名' });
  const phone = input('change-phone', { type: 'tel', inputmode: 'numeric', maxlength: '11', placeholder: '11位手机号' });
  const address = h('textarea', { id: 'change-address', 'data-test': 'change-address', class: 'weui-textarea', rows: '2', maxlength: '120', placeholder: '街道、小区、楼栋、门牌号' });
  const mailCas = cascade('change-mail', {
    prefecture: prefectureOf(c.mail ? c.mail.division_code : ''), county: c.mail ? c.mail.division_code : '',
    onChange: (county) => { mailCounty = county; }, onError: (e) => showError(e),
  });
  const cell = formCell;
  const mailForm = h('div', { id: 'change-mail-form' },
    h('div', { class: 'weui-cells__title' }, c.collection === 'mail' ? '新的收件信息（不改地址可不填）' : '收件信息'),
    h('div', { class: 'weui-cells weui-cells_form' },
      cell('收件人', 'change-recipient', recipient), cell('手机号', 'change-phone', phone), mailCas.el,
      cell('详细地址', 'change-address', address)));
  const sync = () => mailForm.classList.toggle('is-hidden', mode !== 'mail');

  const err = h('p', { class: 'form-error is-hidden', role: 'alert', id: 'change-error', 'data-test': 'change-error' });
  const setError = (msg) => { err.textContent = msg || ''; err.classList.toggle('is-hidden', !msg); };
  const save = h('button', { type: 'button', class: 'weui-btn weui-btn_primary', id: 'btn-change-save', 'data-test': 'change-save' }, '确认变更');
  save.addEventListener('click', async () => {
    const body = { version: c.version };
    if (stationId !== c.station.id) body.station_id = stationId;
    if (mode !== c.collection) body.collection = mode;
    const m = { recipient: recipient.value.trim(), phone: phone.value.trim(), address: address.value.trim() };
    const typed = m.recipient || m.phone || m.address;
    if (mode === 'mail' && (mode !== c.collection || typed)) {
      if (!m.recipient) { setError('请填写收件人'); return; }
      if (!MOBILE_RE.test(m.phone)) { setError('请填写正确的11位手机号'); return; }
      const v = mailCas.value();
      if (!v.county && !mailCounty) { setError('请选择收件地址所在的区（县）'); return; }
      if (m.address.length < 4) { setError('请填写详细地址（街道、门牌号）'); return; }
      body.mail = { ...m, division_code: (v.county || mailCounty).code };
    }
    if (Object.keys(body).length === 1) { setError('请选择要变更的领证地点、领取方式或邮寄地址'); return; }
    setError('');
    setBusy(save, true, '正在提交');
    try {
      await post(`/cases/${seg(c.no)}/change`, body);
      toast('已变更');
      ctx.go(back, { replace: true });
    } catch (e) {
      setBusy(save, false);
      if (e.status === 409) { await showError(e, '无法变更'); ctx.go(back, { replace: true }); return; }
      setError(e.message);
    }
  });

  mount(root,
    pageHeader('变更领证信息', back),
    h('p', { class: 'hint', 'data-test': 'change-hint' }, c.status === 'submitted'
      ? '派出所核验前变更派出所，由新派出所核验（自变更之日起3个工作日内）。证件开始制作后不能再变更。'
      : '已核验受理，可变更领证派出所和领取方式。证件开始制作后不能再变更。'),
    h('div', { class: 'weui-cells__title' }, '领证派出所'),
    h('div', { class: 'weui-cells weui-cells_form' }, stationCas.el, cell('派出所', 'change-station', stationSel)),
    h('div', { class: 'weui-cells__title' }, '领证方式'),
    h('div', { class: 'weui-cells weui-cells_radio', role: 'radiogroup', 'aria-label': '领证方式' },
      radio('window', '窗口领取'), radio('mail', '邮寄到家（EMS，邮费到付）')),
    mailForm, err,
    h('div', { class: 'weui-btn-area' }, save));
  sync();
}

// 申请, last step: what was chosen at a glance, the fee and the legal due
// date; how the card is collected — at the chosen station's window (free,
// its address here) unless the applicant taps 改为邮寄到家 for the
// EMS form — and submit with an Idempotency-Key so a double tap or a retry
// never makes two cases.

import { get, post } from '../api.js';
import { h, mount, pageHeader, setBusy, showError, dialog, previewItem, uuid } from '../ui.js';
import { fmtYuan } from '../format.js';
import { getDraft, saveDraft, clearDraft } from '../store.js';
import { steps, missingStep, mailed } from '../steps.js';
import { withoutCounty } from '../divisions.js';
import { legalDueLine, PROVISIONAL_TIP } from '../provisional.js';

/** The request body of POST /cases from the draft. */
function bodyOf(d) {
  const b = { kind: d.kind, station_id: d.station.id, collection: mailed(d) ? 'mail' : 'window' };
  if (mailed(d)) {
    b.mail = { recipient: d.mail.recipient, phone: d.mail.phone, division_code: d.mail.division_code, address: d.mail.address };
  }
  if (d.needsPhoto && d.photo) {
    if (d.photo.photo_id) b.photo_id = d.photo.photo_id;
    else if (d.photo.receipt_no) b.photo_receipt_no = d.photo.receipt_no;
  }
  if (d.ward) b.ward_id = d.ward.id;
  return b;
}

export async function render(ctx) {
  const { root, me } = ctx;
  const draft = getDraft();
  const miss = missingStep(draft);
  if (miss) { ctx.go(miss, { replace: true }); return; }

  // One key per application body: made when the page opens, kept for retries
  // (and reloads) as long as the body is the same.
  const body = bodyOf(draft);
  const bodyJSON = JSON.stringify(body);
  let idem = draft.idem;
  if (!idem || idem.body !== bodyJSON) {
    idem = { key: uuid(), body: bodyJSON };
    saveDraft({ idem });
  }

  const dueEl = h('span', { class: 'weui-form-preview__value', id: 'legal-due', 'data-test': 'legal-due' }, '计算中…');

  const d = draft;
  const photoValue = !d.needsPhoto ? null
    : d.photo.photo_id ? h('span', { class: 'confirm-photo' },
      d.photo.preview ? h('img', { src: d.photo.preview, alt: '已上传的相片', class: 'confirm-photo__img' }) : null, '已上传（已通过检测）')
      : `相片回执号 ${d.photo.receipt_no}`;

  const submitBtn = h('button', { type: 'button', id: 'btn-submit', 'data-test': 'submit', class: 'weui-btn weui-btn_primary' }, '提交申请');
  let submitting = false;

  const submit = async () => {
    if (submitting) return; // a double tap sends nothing more
    submitting = true;
    setBusy(submitBtn, true, '正在提交');
    try {
      const c = await post('/cases', body, { headers: { 'Idempotency-Key': idem.key } });
      clearDraft();
      if (!ctx.alive()) return;
      ctx.go(`#/apply/done/${encodeURIComponent(c.no)}`, { replace: true });
    } catch (e) {
      submitting = false;
      setBusy(submitBtn, false);
      if (!ctx.alive() || e.unauthenticated) return;
      if (e.code === 'ACTIVE_CASE_EXISTS') {
        clearDraft();
        const go = await dialog({
          title: '已有办理中的申请', message: e.message,
          buttons: [{ text: '返回首页', value: false, id: 'dialog-cancel' }, { text: '查看我的办件', value: true, primary: true, id: 'dialog-confirm' }],
        });
        ctx.go(go ? '#/cases' : '#/');
        return;
      }
      if (e.code === 'IDEMPOTENCY_KEY_REUSED') {
        // The body changed under the same key: start over with a new key.
        saveDraft({ idem: { key: uuid(), body: bodyJSON } });
        idem = getDraft().idem;
      }
      if (e.code === 'PHOTO_INVALID' || e.code === 'PHOTO_REQUIRED') {
        await showError(e, '相片有问题');
        saveDraft({ photo: null });
        ctx.go('#/apply/photo');
        return;
      }
      if (e.code === 'UNKNOWN_STATION') {
        await showError(e);
        saveDraft({ station: null });
        ctx.go('#/apply/station');
        return;
      }
      if (e.code === 'MAIL_ADDRESS_REQUIRED') {
        await showError(e, '邮寄地址不完整');
        ctx.go('#/apply/collection');
        return;
      }
      if (e.code === 'NOT_BOUND') {
        await showError(e);
        ctx.go('#/bind?next=%2Fapply%2Fconfirm');
        return;
      }
      // Network trouble and the rest: the key stays, so tapping again is safe.
      showError(e, '提交未成功');
    }
  };
  submitBtn.addEventListener('click', submit);

  // The route is changed here, not decided on a screen of its own: the
  // window is the default; the change is a secondary control, 提交 stays
  // the screen's one decision.
  const mail = mailed(d);
  const changeBtn = h('button', {
    type: 'button', class: 'weui-btn weui-btn_mini weui-btn_default collection-change',
    id: 'btn-collection-change', 'data-test': 'collection-change',
  }, mail ? '改为窗口领取' : '改为邮寄到家');
  changeBtn.addEventListener('click', () => {
    if (mail) {
      saveDraft({ collection: 'window' });
      ctx.rerender();
    } else {
      ctx.go('#/apply/collection');
    }
  });
  const station = d.station;

  mount(root,
    pageHeader('确认申请', d.needsPhoto ? '#/apply/photo' : '#/apply/station'),
    steps('confirm', d.needsPhoto),
    h('div', { class: 'weui-form-preview card', id: 'confirm-summary', 'data-test': 'confirm-summary' },
      h('div', { class: 'weui-form-preview__hd' },
        h('div', { class: 'weui-form-preview__item' },
          h('label', { class: 'weui-form-preview__label', 'data-test': 'confirm-kind' }, d.kindLabel),
          h('em', { class: 'weui-form-preview__value', id: 'confirm-fee', 'data-test': 'confirm-fee'}, fmtYuan(d.fee)))),
      h('div', { class: 'weui-form-preview__bd' },
        d.ward ? previewItem('监护人代办', `为${d.ward.name}（${d.ward.id_number_masked}）申请`, { 'data-test': 'confirm-ward' }) : null,
        d.ward ? previewItem('监护人', me.person ? `${me.person.name}（${me.person.id_number_masked}）` : '') : null,
        previewItem('派出所', [
          h('span', { 'data-test': 'confirm-station' }, d.station.name),
          mail ? null : h('span', { class: 'confirm-address', 'data-test': 'confirm-station-address' }, withoutCounty(station.address, d.stationCounty) || '—'),
        ]),
        previewItem('领证方式', h('span', { class: 'collection-value' },
          h('span', { 'data-test': 'confirm-collection', id: 'confirm-collection' }, mail ? '邮寄到家（邮费到付）' : '窗口领取（免费）'), changeBtn)),
        mail ? [
          previewItem('收件人', `${d.mail.recipient} ${d.mail.phone}`),
          previewItem('收件地址', `${d.mail.divisionName || ''}${d.mail.address}`),
        ] : [
          h('p', { class: 'fine-print window-info', id: 'window-info' }, '证件到站后通知您领取。'),
        ],
        photoValue ? previewItem('相片', photoValue) : null,
        // The legal due date is what the law allows, not what to do: fine
        // print (长辈版 leaves it to the case page).
        h('div', { class: 'weui-form-preview__item fine-print' }, h('label', { class: 'weui-form-preview__label' }, '法定办结期限'), dueEl))),
    h('div', { class: 'weui-cells__tips tips-block' },
      h('span', { id: 'confirm-fee-note', 'data-test': 'confirm-fee-note' },
        mail ? '工本费和邮费须在线支付，付后制证。' : '可在线支付或到窗口缴费。')),
    h('div', { class: 'weui-btn-area' },
      submitBtn));

  try {
    const dl = await get('/deadline', { query: { from: 'now' }, quiet401: true });
    if (!ctx.alive()) return;
    dueEl.textContent = legalDueLine(dl);
    if (dl && dl.provisional) dueEl.title = PROVISIONAL_TIP;
  } catch {
    if (ctx.alive()) dueEl.textContent = legalDueLine(null);
  }
}

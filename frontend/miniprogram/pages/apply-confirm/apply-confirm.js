// 申请 step 5: everything at a glance, the fee and the legal due date; submit
// with an Idempotency-Key so a double tap or a retry never makes two cases.
// At submit (a tap, as WeChat requires) the applicant is asked to accept
// status messages (wx.requestSubscribeMessage); a refusal never blocks.

const api = require('../../utils/api.js');
const ui = require('../../utils/ui.js');
const fmt = require('../../h5rules/format.js');
const { uuid } = require('../../utils/uuid.js');
const config = require('../../config.js');
const session = require('../../utils/session.js');
const { steps, missingStep } = require('../../utils/steps.js');
const { legalDueLine, precheckDueLine } = require('../../h5rules/provisional.js');
const elder = require('../../utils/elder.js');

/** The request body of POST /cases from the draft. */
function bodyOf(d) {
  const b = { kind: d.kind, station_id: d.station.id, collection: d.collection };
  if (d.ward) b.ward_id = d.ward.id;
  if (d.collection === 'mail') {
    b.mail = { recipient: d.mail.recipient, phone: d.mail.phone, division_code: d.mail.division_code, address: d.mail.address };
  }
  if (d.needsPhoto && d.photo) {
    if (d.photo.photo_id) b.photo_id = d.photo.photo_id;
    else if (d.photo.receipt_no) b.photo_receipt_no = d.photo.receipt_no;
  }
  return b;
}

/** Asks for the status-message subscription; resolves either way. */
function askSubscribe() {
  const ids = (config.subscribeTemplateIds || []).filter(Boolean);
  if (!ids.length) return Promise.resolve();
  return new Promise((resolve) => {
    wx.requestSubscribeMessage({ tmplIds: ids, complete: () => resolve() });
  });
}

Component({
  behaviors: [elder.behavior],
  data: { loading: true, error: '', steps: [], fee: '', rows: [], photoPreview: '', precheckDue: '提交后3个工作日内', legalDue: '计算中…', submitting: false },
  methods: {
    onLoad() { this.load(); },
    async load() {
      this.setData({ loading: true, error: '' });
      let me;
      try {
        me = await ui.requireMe({ bound: true, back: '/pages/apply-confirm/apply-confirm' });
      } catch (e) {
        this.setData({ loading: false, error: e.message });
        return;
      }
      if (!me) return;
      const d = session.getDraft();
      const miss = missingStep(d);
      if (miss) { wx.redirectTo({ url: miss }); return; }
      // One key per application body, kept for retries as long as the body is the same.
      this.body = bodyOf(d);
      const bodyJSON = JSON.stringify(this.body);
      if (!d.idem || d.idem.body !== bodyJSON) session.saveDraft({ idem: { key: uuid(), body: bodyJSON } });
      const rows = [
        { k: '办理类型', v: d.kindLabel, id: 'confirm-kind' },
        d.ward ? { k: '监护人代办', v: `为${d.ward.name}（${d.ward.id_number_masked}）申请`, id: 'confirm-ward' } : null,
        { k: d.ward ? '监护人' : '申请人', v: me.person ? `${me.person.name}（${me.person.id_number_masked}）` : '', id: 'confirm-person' },
        { k: '受理派出所', v: d.station.name, id: 'confirm-station' },
        { k: '派出所地址', v: d.station.address || '', id: 'confirm-station-address' },
        { k: '办公时间', v: d.station.hours || '', id: 'confirm-station-hours' },
        { k: '领证方式', v: d.collection === 'mail' ? '邮寄到家（EMS，邮费到付）' : '窗口领取', id: 'confirm-collection' },
      ].filter(Boolean);
      if (d.collection === 'mail') {
        rows.push({ k: '收件人', v: `${d.mail.recipient} ${d.mail.phone}`, id: 'confirm-recipient' });
        rows.push({ k: '收件地址', v: `${d.mail.divisionName || ''}${d.mail.address}`, id: 'confirm-address' });
      }
      if (d.needsPhoto) rows.push({ k: '相片', v: d.photo.photo_id ? '已上传（已通过检测）' : `相片回执号 ${d.photo.receipt_no}`, id: 'confirm-photo' });
      this.setData({ loading: false, steps: steps('confirm', d.needsPhoto), fee: fmt.fmtYuan(d.fee), rows, photoPreview: d.needsPhoto && d.photo.preview ? d.photo.preview : '' });
      try {
        const dl = await api.get('/deadline', { query: { from: 'now' } });
        this.setData({
          legalDue: legalDueLine(dl),
          precheckDue: precheckDueLine(dl) || this.data.precheckDue,
        });
      } catch (e) {
        this.setData({ legalDue: legalDueLine(null) });
      }
    },
    edit() { wx.navigateTo({ url: '/pages/apply-kind/apply-kind' }); },
    async submit() {
      if (this.submitting) return; // a double tap sends nothing more
      this.submitting = true;
      this.setData({ submitting: true });
      await askSubscribe();
      const idem = session.getDraft().idem;
      try {
        const c = await api.post('/cases', this.body, { header: { 'Idempotency-Key': idem.key } });
        session.clearDraft();
        wx.redirectTo({ url: `/pages/apply-done/apply-done?no=${c.no}` });
      } catch (e) {
        this.submitting = false;
        this.setData({ submitting: false });
        await this.failed(e);
      }
    },
    async failed(e) {
      if (e.code === 'ACTIVE_CASE_EXISTS') {
        session.clearDraft();
        const yes = await ui.confirm(e.message, { title: '已有办理中的申请', ok: '查看我的办件', cancel: '返回首页' });
        ui.go(yes ? '/pages/cases/cases' : '/pages/home/home');
        return;
      }
      if (e.code === 'IDEMPOTENCY_KEY_REUSED') {
        session.saveDraft({ idem: { key: uuid(), body: JSON.stringify(this.body) } });
      }
      if (e.code === 'PHOTO_INVALID' || e.code === 'PHOTO_REQUIRED') {
        await ui.showError(e, '相片有问题');
        session.saveDraft({ photo: null });
        wx.redirectTo({ url: '/pages/apply-photo/apply-photo' });
        return;
      }
      if (e.code === 'UNKNOWN_STATION') {
        await ui.showError(e);
        session.saveDraft({ station: null });
        wx.redirectTo({ url: '/pages/apply-station/apply-station' });
        return;
      }
      if (e.code === 'MAIL_ADDRESS_REQUIRED') {
        await ui.showError(e, '邮寄地址不完整');
        wx.redirectTo({ url: '/pages/apply-collection/apply-collection' });
        return;
      }
      if (e.code === 'NOT_BOUND') {
        await ui.showError(e);
        wx.redirectTo({ url: `/pages/bind/bind?next=${encodeURIComponent('/pages/apply-confirm/apply-confirm')}` });
        return;
      }
      // Network trouble and the rest: the key stays, so tapping again is safe.
      ui.showError(e, '提交未成功');
    },
  },
});

// 办件详情: status and the next step, due dates (stage, pickup, legal), the
// rejection reason, the EMS tracking number, the temporary card, the
// timeline; 撤回 while submitted, 领证二维码 when ready. Pull down to refresh.

const api = require('../../utils/api.js');
const ui = require('../../utils/ui.js');
const fmt = require('../../h5rules/format.js');
const { nextStepText, isOpen } = require('../../h5rules/status.js');
const { caseDueProvisional } = require('../../h5rules/provisional.js');
const elder = require('../../utils/elder.js');

const TEMP_CARD_STATUSES = ['accepted', 'issued', 'produced', 'shipped', 'ready_for_pickup'];

/** The stages of the route for the progress bar, or [] for a rejected or cancelled case. */
function progress(c) {
  if (c.status === 'rejected' || c.status === 'cancelled') return [];
  const mail = c.collection === 'mail';
  const labels = ['提交', '核验', '签发', '制作', mail ? '寄出' : '到站', mail ? '签收' : '领取'];
  const order = ['submitted', 'accepted', 'issued', 'produced', mail ? 'shipped' : 'ready_for_pickup', mail ? 'delivered' : 'collected'];
  let at = order.indexOf(c.status);
  if (c.status === 'shipped' && !mail) at = 3; // on its way to the station
  if (c.status === 'uncollected') at = 4;
  return labels.map((label, i) => ({ label, n: i <= at ? '✓' : String(i + 1), state: i < at ? 'is-done' : i === at ? 'is-current' : '' }));
}

function dues(c) {
  const rows = [];
  if (isOpen(c) && c.stage_due_at) {
    const left = c.working_days_left;
    rows.push({
      id: 'stage-due', k: c.status === 'ready_for_pickup' ? '领取期限' : '本阶段期限', v: `${fmt.fmtDateTime(c.stage_due_at)}前`,
      provisional: caseDueProvisional(c, 'stage_due_at'), overdue: c.overdue,
      left: c.overdue ? '已超过期限' : (typeof left === 'number' ? `剩余${left}个工作日` : ''),
    });
  }
  if (c.pickup_due_at && (c.status === 'ready_for_pickup' || c.status === 'uncollected') && c.pickup_due_at !== c.stage_due_at) {
    rows.push({ id: 'pickup-due', k: '领证截止', v: `${fmt.fmtDate(c.pickup_due_at)}前`, provisional: caseDueProvisional(c, 'pickup_due_at') });
  }
  if (c.legal_due_at) {
    rows.push({
      id: 'legal-due', k: '法定办结期限', v: `${fmt.fmtDate(c.legal_due_at)}前`, provisional: caseDueProvisional(c, 'legal_due_at'),
      left: c.extension_days > 0 ? `已依法延长${c.extension_days}日` : '',
    });
  }
  return rows;
}

function info(c) {
  const s = c.station || {};
  const rows = [{ k: '受理派出所', v: s.name || '', id: 'case-station' }];
  if (s.address) rows.push({ k: '地址', v: s.address, id: 'case-station-address' });
  if (s.phone) rows.push({ k: '电话', v: s.phone, id: 'case-station-phone' });
  if (s.hours) rows.push({ k: '办公时间', v: s.hours, id: 'case-station-hours' });
  if (c.for_person) rows.push({ k: '监护人代办', v: `为${c.for_person.name}（${c.for_person.id_number_masked}）申请`, id: 'case-for-person' });
  rows.push({ k: '领证方式', v: c.collection_label, id: 'case-collection' });
  if (c.mail) rows.push({ k: '收件信息', v: `${c.mail.recipient} ${c.mail.phone} ${c.mail.address}`, id: 'case-mail' });
  rows.push({ k: '费用', v: fmt.fmtYuan(c.fee_yuan), id: 'case-fee' });
  rows.push({ k: '支付状态', v: c.payment_status_label || '', id: 'case-payment' });
  rows.push({ k: '提交时间', v: fmt.fmtDateTime(c.submitted_at), id: 'case-submitted' });
  if (c.accepted_at) rows.push({ k: '受理时间', v: fmt.fmtDateTime(c.accepted_at), id: 'case-accepted' });
  if (c.new_card_expires_on) rows.push({ k: '新证有效期至', v: fmt.fmtDate(c.new_card_expires_on), id: 'case-new-expiry' });
  return rows;
}

Component({
  behaviors: [elder.behavior],
  data: { loading: true, error: '', notFound: '', c: null, station: {}, next: '', rejectNext: '', progress: [], dues: [], info: [], temp: null, timeline: [], canTempCard: false, canChange: false, canPay: false, payLabel: '', busy: '' },
  methods: {
    onLoad(query) {
      this.no = decodeURIComponent((query && query.no) || '');
      this.load();
    },
    onShow() { if (this.loaded) this.load(true); },
    async onPullDownRefresh() { await this.load(true); wx.stopPullDownRefresh(); },
    async load(quiet) {
      if (quiet !== true) this.setData({ loading: true, error: '', notFound: '' });
      let c;
      try {
        await ui.requireMe();
        c = await api.get(`/cases/${api.seg(this.no)}`);
      } catch (e) {
        if (e.status === 404) this.setData({ loading: false, notFound: e.message, c: null });
        else this.setData({ loading: false, error: e.message });
        return;
      }
      this.loaded = true;
      const t = c.temporary_card;
      this.setData({
        loading: false,
        error: '',
        c,
        station: c.station || {},
        next: c.status === 'rejected' ? '申请未通过，详见下方原因。' : nextStepText(c),
        rejectNext: nextStepText(c),
        progress: progress(c),
        dues: dues(c),
        info: info(c),
        temp: t ? { status: t.status, no: t.status === 'issued' ? t.no : '', valid: t.status === 'issued' && t.valid_until ? fmt.fmtDate(t.valid_until) : '' } : null,
        timeline: [...(c.timeline || [])].reverse().map((x, i) => ({
          i, status: x.status, status_label: x.status_label, action_label: x.action_label, time: fmt.fmtDateTime(x.at), office: x.office || '', note: x.note || '',
        })),
        canTempCard: TEMP_CARD_STATUSES.indexOf(c.status) >= 0 && !t,
        canChange: c.changeable,
        canPay: c.payable,
        payLabel: `支付 ${fmt.fmtYuan(c.amount_due_yuan)}`,
      });
    },
    toCases() { ui.go('/pages/cases/cases'); },
    call() { wx.makePhoneCall({ phoneNumber: this.data.station.phone, fail: () => {} }); },
    copyTracking() {
      wx.setClipboardData({ data: this.data.c.tracking_no, success: () => ui.toast('已复制') });
    },
    change() { wx.navigateTo({ url: `/pages/case-change/case-change?no=${this.data.c.no}` }); },
    pickup() { wx.navigateTo({ url: `/pages/pickup/pickup?no=${this.data.c.no}` }); },
    reapply() { wx.navigateTo({ url: '/pages/apply-kind/apply-kind' }); },
    async cancel() {
      const yes = await ui.confirm('撤回后本次申请将终止，如需办理须重新提交。确定撤回吗？', { title: '撤回申请', ok: '确定撤回', warn: true });
      if (!yes) return;
      this.setData({ busy: 'cancel' });
      try {
        await api.post(`/cases/${api.seg(this.data.c.no)}/cancel`);
        this.setData({ busy: '' });
        ui.toast('已撤回');
      } catch (e) {
        this.setData({ busy: '' });
        await ui.showError(e, '无法撤回');
      }
      await this.load(true);
    },
    // 支付: WeChat Pay in the mini-program (wx.requestPayment with the
    // server's params); the demo provider pays at once.
    async pay() {
      this.setData({ busy: 'pay' });
      try {
        const r = await api.post(`/cases/${api.seg(this.data.c.no)}/payment`, { channel: 'miniprogram' });
        if (r.status !== 'paid' && r.params) {
          await new Promise((resolve, reject) => wx.requestPayment(Object.assign({}, r.params, {
            success: resolve,
            fail: (err) => reject(new Error(err && /cancel/.test(err.errMsg || '') ? '已取消支付' : '支付未完成')),
          })));
        }
        this.setData({ busy: '' });
        ui.toast('支付成功');
      } catch (e) {
        this.setData({ busy: '' });
        await ui.showError(e, '支付未完成');
      }
      await this.load(true);
    },
    async tempCard() {
      const yes = await ui.confirm('办理期间如需使用身份证，可申领临时居民身份证（工本费10元，有效期3个月），由户籍地县级公安机关签发，请留意消息通知后前往领取。', { title: '申领临时身份证', ok: '确定申领' });
      if (!yes) return;
      this.setData({ busy: 'temp' });
      try {
        await api.post(`/cases/${api.seg(this.data.c.no)}/temporary-card`);
        this.setData({ busy: '' });
        await ui.alert('已提交临时身份证申请，签发后会通过消息通知您。', '申领成功');
      } catch (e) {
        this.setData({ busy: '' });
        await ui.showError(e, '无法申领');
      }
      await this.load(true);
    },
  },
});

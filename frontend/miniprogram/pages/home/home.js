// 首页: the ways in (办理入口), the current case and the latest messages.

const api = require('../../utils/api.js');
const ui = require('../../utils/ui.js');
const fmt = require('../../h5rules/format.js');
const { isOpen } = require('../../h5rules/status.js');
const badge = require('../../utils/badge.js');
const elder = require('../../utils/elder.js');

const ENTRIES = [
  { kind: 'expiry_renewal', label: '到期换领', desc: '到期前3个月起' },
  { kind: 'damage_renewal', label: '损坏换领', desc: '证件损坏无法使用' },
  { kind: 'loss_replacement', label: '丢失补领', desc: '证件遗失需补领' },
];

Component({
  behaviors: [elder.behavior],
  data: {
    loading: true, error: '', who: '', bound: false, cardNote: '', entries: ENTRIES,
    current: null, casesError: '', messages: [], messagesError: '',
  },
  methods: {
    onLoad() { this.load(); },
    onShow() { if (this.loaded) this.load(true); },
    async onPullDownRefresh() { await this.load(true); wx.stopPullDownRefresh(); },
    async load(quiet) {
      if (quiet !== true) this.setData({ loading: true, error: '' });
      let me;
      try {
        me = await ui.requireMe({ force: true });
      } catch (e) {
        this.setData({ loading: false, error: e.message });
        return;
      }
      const [casesR, msgsR, eligR] = await Promise.all([
        api.get('/cases').then((v) => ({ v }), (e) => ({ e })),
        api.get('/notifications').then((v) => ({ v }), (e) => ({ e })),
        me.bound ? api.get('/eligibility').then((v) => ({ v }), (e) => ({ e })) : Promise.resolve({ v: null }),
      ]);
      const list = casesR.v ? casesR.v.items || [] : [];
      const items = msgsR.v ? msgsR.v.items || [] : [];
      const e = eligR.v;
      badge.setUnread(items.filter((n) => !n.read).length);
      this.loaded = true;
      this.setData({
        loading: false,
        who: me.person ? me.person.name : (me.phone_masked || '微信用户'),
        bound: me.bound,
        cardNote: !e ? '' : e.card_long_term ? '您的身份证为长期有效' : e.card_expires_on ? `您的身份证有效期至 ${fmt.fmtDate(e.card_expires_on)}` : '',
        current: list.find(isOpen) || list[0] || null,
        casesError: casesR.e ? casesR.e.message : '',
        messages: items.slice(0, 3).map((n) => ({ id: n.id, title: n.title, case_no: n.case_no, time: fmt.fmtDateTime(n.created_at) })),
        messagesError: msgsR.e ? msgsR.e.message : '',
      });
    },
    goBind() { wx.navigateTo({ url: '/pages/bind/bind' }); },
    apply(e) {
      const kind = e.currentTarget.dataset.kind;
      wx.navigateTo({ url: `/pages/apply-kind/apply-kind${kind ? `?kind=${kind}` : ''}` });
    },
    openCase(e) { wx.navigateTo({ url: `/pages/case-detail/case-detail?no=${e.currentTarget.dataset.no}` }); },
    openMessage(e) {
      const no = e.currentTarget.dataset.no;
      if (no) wx.navigateTo({ url: `/pages/case-detail/case-detail?no=${no}` });
      else ui.go('/pages/messages/messages');
    },
  },
});

// 申请 step 3: how to collect the card — at the station's window, or by EMS
// to an address (recipient, phone, prefecture → county, street address),
// which wx.chooseAddress can fill in.

const ui = require('../../utils/ui.js');
const session = require('../../utils/session.js');
const { divisions, cascadeFor } = require('../../utils/divisions.js');
const { steps, missingStep } = require('../../utils/steps.js');
const elder = require('../../utils/elder.js');

const MOBILE_RE = /^1[3-9]\d{9}$/;

Component({
  behaviors: [elder.behavior],
  data: {
    loading: true, error: '', steps: [], station: {}, mode: 'window',
    recipient: '', phone: '', address: '', prefectures: [], prefIndex: -1, counties: [], countyIndex: -1, formError: '',
  },
  methods: {
    onLoad() { this.load(); },
    async load() {
      this.setData({ loading: true, error: '' });
      try {
        const me = await ui.requireMe({ bound: true, back: '/pages/apply-collection/apply-collection' });
        if (!me) return;
        const draft = session.getDraft();
        const miss = missingStep(draft);
        if (miss === '/pages/apply-kind/apply-kind' || miss === '/pages/apply-station/apply-station') { wx.redirectTo({ url: miss }); return; }
        const mail = draft.mail || {};
        const c = await cascadeFor(mail.division_code || '');
        this.setData(Object.assign({
          loading: false,
          steps: steps('collection', draft.needsPhoto),
          station: draft.station,
          mode: draft.collection || 'window',
          recipient: mail.recipient || (me.person ? me.person.name : ''),
          phone: mail.phone || me.phone || '',
          address: mail.address || '',
        }, c));
      } catch (e) {
        this.setData({ loading: false, error: e.message });
      }
    },
    setMode(e) { this.setData({ mode: e.currentTarget.dataset.mode, formError: '' }); },
    onField(e) {
      let v = e.detail.value;
      if (e.currentTarget.dataset.field === 'phone') v = v.replace(/\D/g, '').slice(0, 11);
      this.setData({ [e.currentTarget.dataset.field]: v, formError: '' });
      return v;
    },
    async onPrefecture(e) {
      const i = Number(e.detail.value);
      this.setData({ prefIndex: i, counties: [], countyIndex: -1 });
      try {
        const counties = await divisions(this.data.prefectures[i].code);
        if (this.data.prefIndex === i) this.setData({ counties });
      } catch (err) {
        ui.showError(err);
      }
    },
    onCounty(e) { this.setData({ countyIndex: Number(e.detail.value), formError: '' }); },
    /** Fills the form from the WeChat address book; the division only when it is in Guizhou. */
    chooseAddress() {
      wx.chooseAddress({
        success: async (a) => {
          const patch = {
            recipient: a.userName || this.data.recipient,
            phone: (a.telNumber || '').replace(/\D/g, '').slice(-11) || this.data.phone,
            address: a.detailInfo || this.data.address,
            formError: '',
          };
          const p = this.data.prefectures.findIndex((x) => x.name === a.cityName);
          if (a.provinceName === '贵州省' && p >= 0) {
            try {
              const counties = await divisions(this.data.prefectures[p].code);
              Object.assign(patch, { prefIndex: p, counties, countyIndex: counties.findIndex((x) => x.name === a.countyName) });
            } catch (err) { /* the pickers stay as they were */ }
          } else {
            patch.formError = '邮寄仅限贵州省内地址，请选择省内的市（州）和区（县）';
          }
          this.setData(patch);
        },
        fail: () => {},
      });
    },
    next() {
      if (this.data.mode === 'window') {
        session.saveDraft({ collection: 'window', mail: null });
      } else {
        const d = this.data;
        const m = { recipient: d.recipient.trim(), phone: d.phone.trim(), address: d.address.trim() };
        const pref = d.prefectures[d.prefIndex];
        const county = d.counties[d.countyIndex];
        if (!m.recipient) { this.setData({ formError: '请填写收件人' }); return; }
        if (!MOBILE_RE.test(m.phone)) { this.setData({ formError: '请填写正确的11位手机号' }); return; }
        if (!county) { this.setData({ formError: '请选择收件地址所在的市（州）和区（县）' }); return; }
        if (m.address.length < 4) { this.setData({ formError: '请填写详细地址（街道、门牌号）' }); return; }
        session.saveDraft({ collection: 'mail', mail: Object.assign(m, { division_code: county.code, divisionName: `${pref ? pref.name : ''}${county.name}` }) });
      }
      this.setData({ formError: '' });
      const draft = session.getDraft();
      wx.navigateTo({ url: draft.needsPhoto ? '/pages/apply-photo/apply-photo' : '/pages/apply-confirm/apply-confirm' });
    },
  },
});

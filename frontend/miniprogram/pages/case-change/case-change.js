// 变更领证信息: until production starts, the station (before the pre-check
// the new station takes over the pre-check) and the collection method; the
// EMS address comes from wx.chooseAddress. The server decides: a 409 says
// production has begun.

const api = require('../../utils/api.js');
const ui = require('../../utils/ui.js');
const { divisions, stations, cascadeFor } = require('../../utils/divisions.js');
const elder = require('../../utils/elder.js');

Component({
  behaviors: [elder.behavior],
  data: {
    loading: true, error: '', c: null, prefectures: [], prefIndex: -1, counties: [], countyIndex: -1,
    stations: [], pickedId: 0, mode: 'window', mail: null, busy: false, formError: '',
  },
  methods: {
    onLoad(query) {
      this.no = decodeURIComponent((query && query.no) || '');
      this.load();
    },
    async load() {
      this.setData({ loading: true, error: '' });
      try {
        await ui.requireMe();
        const c = await api.get(`/cases/${api.seg(this.no)}`);
        const cas = await cascadeFor('');
        this.setData(Object.assign({ loading: false, c, pickedId: c.station.id, mode: c.collection }, cas));
      } catch (e) {
        this.setData({ loading: false, error: e.message });
      }
    },
    async onPrefecture(e) {
      const i = Number(e.detail.value);
      this.setData({ prefIndex: i, counties: [], countyIndex: -1, stations: [] });
      try {
        const counties = await divisions(this.data.prefectures[i].code);
        if (this.data.prefIndex === i) this.setData({ counties });
      } catch (err) { ui.showError(err); }
    },
    async onCounty(e) {
      const i = Number(e.detail.value);
      this.setData({ countyIndex: i, stations: [] });
      try {
        const list = await stations(this.data.counties[i].code);
        if (this.data.countyIndex === i) this.setData({ stations: list });
      } catch (err) { ui.showError(err); }
    },
    pick(e) { this.setData({ pickedId: Number(e.currentTarget.dataset.id), formError: '' }); },
    onMode(e) { this.setData({ mode: e.detail.value, formError: '' }); },
    chooseAddress() {
      wx.chooseAddress({
        success: (a) => this.setData({ mail: { recipient: a.userName, phone: a.telNumber, address: `${a.cityName}${a.countyName}${a.detailInfo}`, county: a.countyName, code: a.nationalCode }, formError: '' }),
        fail: () => {},
      });
    },
    async save() {
      const { c, pickedId, mode, mail } = this.data;
      const body = { version: c.version };
      if (pickedId !== c.station.id) body.station_id = pickedId;
      if (mode !== c.collection) body.collection = mode;
      if (mode === 'mail' && mail) body.mail = { recipient: mail.recipient, phone: mail.phone, division_code: mail.code, address: mail.address };
      if (mode === 'mail' && mode !== c.collection && !mail) { this.setData({ formError: '请选择收件地址' }); return; }
      if (Object.keys(body).length === 1) { this.setData({ formError: '请选择要变更的领证地点或领取方式' }); return; }
      this.setData({ busy: true, formError: '' });
      try {
        await api.post(`/cases/${api.seg(c.no)}/change`, body);
        this.setData({ busy: false });
        ui.toast('已变更');
        wx.redirectTo({ url: `/pages/case-detail/case-detail?no=${c.no}` });
      } catch (e) {
        this.setData({ busy: false, formError: e.message });
      }
    },
  },
});

// 申请 step 2: the acceptance station (受理派出所 = 领证机关): prefecture →
// county → station, each with address, phone and hours; a map when the
// station has coordinates.

const ui = require('../../utils/ui.js');
const session = require('../../utils/session.js');
const { divisions, stations, cascadeFor } = require('../../utils/divisions.js');
const { steps, missingStep } = require('../../utils/steps.js');
const elder = require('../../utils/elder.js');

const hasCoords = (s) => typeof s.latitude === 'number' && typeof s.longitude === 'number';

Component({
  behaviors: [elder.behavior],
  data: {
    loading: true, error: '', steps: [], prefectures: [], prefIndex: -1, counties: [], countyIndex: -1,
    all: [], stations: [], filter: '', listLoading: false, listError: '', pickedId: 0,
  },
  methods: {
    onLoad() { this.load(); },
    async load() {
      this.setData({ loading: true, error: '' });
      try {
        const me = await ui.requireMe({ bound: true, back: '/pages/apply-station/apply-station' });
        if (!me) return;
        const draft = session.getDraft();
        if (!draft.kind) { wx.redirectTo({ url: missingStep(draft) }); return; }
        // Default to the county of the ID number's area code, usually near home.
        const idArea = me.person && me.person.id_number_masked ? me.person.id_number_masked.slice(0, 6) : '';
        const county0 = (draft.stationCounty && draft.stationCounty.code) || idArea;
        this.picked = draft.station || null;
        const c = await cascadeFor(county0);
        this.setData(Object.assign({ loading: false, steps: steps('station', draft.needsPhoto), pickedId: this.picked ? this.picked.id : 0 }, c));
        if (c.countyIndex >= 0) await this.loadStations();
      } catch (e) {
        this.setData({ loading: false, error: e.message });
      }
    },
    async onPrefecture(e) {
      const i = Number(e.detail.value);
      this.setData({ prefIndex: i, counties: [], countyIndex: -1, stations: [], listError: '' });
      try {
        const counties = await divisions(this.data.prefectures[i].code);
        if (this.data.prefIndex === i) this.setData({ counties });
      } catch (err) {
        ui.showError(err);
      }
    },
    async onCounty(e) {
      this.setData({ countyIndex: Number(e.detail.value) });
      await this.loadStations();
    },
    async loadStations() {
      const county = this.data.counties[this.data.countyIndex];
      this.setData({ listLoading: true, listError: '', all: [], stations: [], filter: '' });
      try {
        const items = await stations(county.code);
        if (this.data.counties[this.data.countyIndex] !== county) return;
        this.items = items;
        if (this.picked && !items.some((s) => s.id === this.picked.id)) this.picked = null;
        const all = items.map((s) => Object.assign({}, s, { hasMap: hasCoords(s) }));
        this.setData({ listLoading: false, all, stations: all, pickedId: this.picked ? this.picked.id : 0 });
      } catch (err) {
        this.setData({ listLoading: false, listError: err.message });
      }
    },
    onFilter(e) {
      const q = e.detail.value.trim();
      this.setData({ filter: q, stations: q ? this.data.all.filter((s) => s.name.includes(q) || (s.address || '').includes(q)) : this.data.all });
    },
    byId(id) { return this.items.find((s) => s.id === Number(id)); },
    pick(e) {
      const s = this.byId(e.currentTarget.dataset.id);
      this.picked = s;
      this.setData({ pickedId: s.id });
      session.saveDraft({ station: s, stationCounty: this.data.counties[this.data.countyIndex] });
    },
    call(e) { if (e.currentTarget.dataset.phone) wx.makePhoneCall({ phoneNumber: e.currentTarget.dataset.phone, fail: () => {} }); },
    map(e) {
      const s = this.byId(e.currentTarget.dataset.id);
      wx.openLocation({ latitude: s.latitude, longitude: s.longitude, name: s.name, address: s.address, scale: 16, fail: () => {} });
    },
    next() {
      if (!this.picked) return;
      session.saveDraft({ station: this.picked, stationCounty: this.data.counties[this.data.countyIndex] });
      wx.navigateTo({ url: '/pages/apply-collection/apply-collection' });
    },
  },
});

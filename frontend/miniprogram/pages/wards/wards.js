// 我的被监护人: children under 16 the registry records this applicant as the
// guardian of (GET/POST /me/wards); a guardian applies for them (监护人代办)
// from here, the ward carried in the draft to POST /cases as ward_id.

const api = require('../../utils/api.js');
const ui = require('../../utils/ui.js');
const { validateIDNumber, normalizeIDNumber } = require('../../h5rules/idnumber.js');
const elder = require('../../utils/elder.js');

Component({
  behaviors: [elder.behavior],
  data: { loading: true, loadError: '', items: [], name: '', idNumber: '', error: '', busy: false },
  methods: {
    onLoad() { this.load(); },
    async load() {
      this.setData({ loading: true, loadError: '' });
      try {
        const me = await ui.requireMe({ bound: true, back: '/pages/wards/wards' });
        if (!me) return;
        const list = await api.get('/me/wards');
        this.setData({ loading: false, items: list.items || [] });
      } catch (e) {
        this.setData({ loading: false, loadError: e.message });
      }
    },
    onName(e) { this.setData({ name: e.detail.value, error: '' }); },
    onID(e) {
      const v = normalizeIDNumber(e.detail.value).replace(/[^0-9X]/g, '').slice(0, 18);
      this.setData({ idNumber: v, error: '' });
      return v;
    },
    async add() {
      if (this.data.busy) return;
      const name = this.data.name.trim();
      const idNumber = normalizeIDNumber(this.data.idNumber);
      if (!name) { this.setData({ error: '请填写姓名' }); return; }
      const bad = validateIDNumber(idNumber);
      if (bad) { this.setData({ error: bad }); return; }
      this.setData({ busy: true, error: '' });
      try {
        await api.post('/me/wards', { name, id_number: idNumber });
        this.setData({ busy: false, name: '', idNumber: '' });
        ui.toast('已添加');
        await this.load();
      } catch (e) {
        this.setData({ busy: false, error: e.message });
      }
    },
    apply(e) { wx.navigateTo({ url: `/pages/apply-kind/apply-kind?ward=${e.currentTarget.dataset.id}` }); },
  },
});

// 我的办件: the applicant's cases, newest first; pull down to refresh.

const api = require('../../utils/api.js');
const ui = require('../../utils/ui.js');
const fmt = require('../../h5rules/format.js');
const elder = require('../../utils/elder.js');

Component({
  behaviors: [elder.behavior],
  data: { loading: true, error: '', items: [] },
  methods: {
    onLoad() { this.load(); },
    onShow() { if (this.loaded) this.load(true); },
    async onPullDownRefresh() { await this.load(true); wx.stopPullDownRefresh(); },
    async load(quiet) {
      if (quiet !== true) this.setData({ loading: true, error: '' });
      try {
        await ui.requireMe();
        const r = await api.get('/cases');
        this.loaded = true;
        this.setData({
          loading: false,
          error: '',
          items: (r.items || []).map((c) => ({
            no: c.no, kind_label: c.kind_label, status: c.status, status_label: c.status_label,
            stationName: c.station ? c.station.name : '', collection_label: c.collection_label,
            submitted: fmt.fmtDateTime(c.submitted_at), overdue: c.overdue, predicted: fmt.fmtPredicted(c),
          })),
        });
      } catch (e) {
        this.setData({ loading: false, error: e.message });
      }
    },
    open(e) { wx.navigateTo({ url: `/pages/case-detail/case-detail?no=${e.currentTarget.dataset.no}` }); },
    apply() { wx.navigateTo({ url: '/pages/apply-kind/apply-kind' }); },
  },
});

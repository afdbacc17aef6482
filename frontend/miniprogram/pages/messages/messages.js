// 消息: in-app messages about the applicant's cases; seen ones are marked
// read. Pull down to refresh.

const api = require('../../utils/api.js');
const ui = require('../../utils/ui.js');
const fmt = require('../../h5rules/format.js');
const badge = require('../../utils/badge.js');
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
      let items;
      try {
        await ui.requireMe();
        items = (await api.get('/notifications')).items || [];
      } catch (e) {
        this.setData({ loading: false, error: e.message });
        return;
      }
      this.loaded = true;
      this.setData({
        loading: false,
        error: '',
        items: items.map((n) => ({ id: n.id, title: n.title, body: n.body, case_no: n.case_no, read: n.read, time: fmt.fmtDateTime(n.created_at) })),
      });
      badge.setUnread(0);
      const unread = items.filter((n) => !n.read).map((n) => n.id);
      if (unread.length) api.post('/notifications/read', { ids: unread }).catch(() => {});
    },
    open(e) {
      const no = e.currentTarget.dataset.no;
      if (no) wx.navigateTo({ url: `/pages/case-detail/case-detail?no=${no}` });
    },
  },
});

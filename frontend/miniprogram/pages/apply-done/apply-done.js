// 申请 done: the case number and what happens next.

const api = require('../../utils/api.js');
const ui = require('../../utils/ui.js');
const fmt = require('../../h5rules/format.js');
const { caseDueProvisional } = require('../../h5rules/provisional.js');
const elder = require('../../utils/elder.js');

Component({
  behaviors: [elder.behavior],
  data: { no: '', due: '' },
  methods: {
    async onLoad(query) {
      const no = decodeURIComponent((query && query.no) || '');
      this.setData({ no });
      try {
        const c = await api.get(`/cases/${api.seg(no)}`);
        if (c.legal_due_at) this.setData({ due: `法定办结期限：${fmt.fmtDate(c.legal_due_at)}${caseDueProvisional(c, 'legal_due_at') ? '（暂定）' : ''}` });
      } catch (e) { /* the number is what matters here */ }
    },
    view() { wx.redirectTo({ url: `/pages/case-detail/case-detail?no=${this.data.no}` }); },
    home() { ui.go('/pages/home/home'); },
  },
});

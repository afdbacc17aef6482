// 我的: account, identity, the 长辈版 (large text) switch and sign-out.

const ui = require('../../utils/ui.js');
const fmt = require('../../h5rules/format.js');
const session = require('../../utils/session.js');
const api = require('../../utils/api.js');
const elder = require('../../utils/elder.js');

Component({
  behaviors: [elder.behavior],
  data: { loading: true, error: '', person: null, phone: '', sex: '', avatar: '我', busy: false, views: [] },
  methods: {
    onLoad() { this.load(); },
    onShow() { if (this.loaded) this.load(true); },
    async load(quiet) {
      if (quiet !== true) this.setData({ loading: true, error: '' });
      try {
        const me = await ui.requireMe({ force: true });
        this.loaded = true;
        const p = me.bound ? me.person : null;
        this.setData({
          loading: false, error: '', person: p, phone: me.phone_masked || '', sex: p ? fmt.sexLabel(p.sex) : '',
          avatar: p ? p.name.slice(-2) : '我',
        });
        if (p) {
          // 谁查看了我的信息: each time staff opened the full personal data.
          const log = await api.get('/me/access-log');
          this.setData({ views: log.items.map((v) => ({ at: fmt.fmtDateTime(v.at), who: `${v.office} · ${v.role}`, purpose: v.purpose })) });
        }
      } catch (e) {
        this.setData({ loading: false, error: e.message });
      }
    },
    bind() { wx.navigateTo({ url: '/pages/bind/bind' }); },
    cases() { ui.go('/pages/cases/cases'); },
    wards() { wx.navigateTo({ url: '/pages/wards/wards' }); },
    messages() { ui.go('/pages/messages/messages'); },
    async logout() {
      if (!(await ui.confirm('确定退出登录吗？', { ok: '退出' }))) return;
      this.setData({ busy: true });
      await session.signOut();
      ui.toast('已退出');
      wx.reLaunch({ url: '/pages/login/login' });
    },
  },
});

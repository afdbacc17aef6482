// 登录: WeChat sign-in (wx.login → POST /auth/wechat). A kept token that
// still works skips the button.

const api = require('../../utils/api.js');
const session = require('../../utils/session.js');
const ui = require('../../utils/ui.js');
const elder = require('../../utils/elder.js');

/** Where to go after signing in: 实名认证 first when the account is not bound. */
function onward(bound) {
  if (bound) ui.go('/pages/home/home');
  else wx.redirectTo({ url: '/pages/bind/bind' });
}

Component({
  behaviors: [elder.behavior],
  data: { checking: true, busy: false, error: '', demo: false },
  methods: {
    async onLoad() {
      if (api.getToken()) {
        try {
          const me = await session.loadMe(true);
          onward(me.bound);
          return;
        } catch (e) { /* expired or gone: sign in below */ }
      }
      this.setData({ checking: false });
      // A demo server offers a sign-in without WeChat (DevTools against `make run`).
      try {
        const cfg = await api.get('/config', { noRetry: true });
        this.setData({ demo: Boolean(cfg && cfg.demo) });
      } catch (e) { /* no demo button */ }
    },
    goProgress() { ui.go('/pages/progress/progress'); },
    signIn() { return this.run(() => api.signIn()); },
    signInDemo() { return this.run(() => api.signInDemo()); },
    async run(how) {
      if (this.data.busy) return;
      this.setData({ busy: true, error: '' });
      try {
        const res = await how();
        await session.loadMe(true);
        ui.toast('登录成功');
        onward(res.bound);
      } catch (e) {
        this.setData({ error: e.message });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});

// 领证二维码: a full-screen QR code of a fresh pickup token (the server's
// PNG, fetched with wx.downloadFile and the bearer token), refreshed before
// it expires, with the station's address and hours and the old-card
// reminder. The screen is kept on and at full brightness while shown.

const api = require('../../utils/api.js');
const ui = require('../../utils/ui.js');
const fmt = require('../../h5rules/format.js');
const { caseDueProvisional } = require('../../h5rules/provisional.js');
const { refreshDelay, staleOnShow, REFRESH_EVERY_MS, MIN_DELAY_MS } = require('../../utils/refresh.js');
const elder = require('../../utils/elder.js');

Component({
  behaviors: [elder.behavior],
  data: { loading: true, error: '', c: null, station: {}, gone: null, qr: '', status: '正在生成二维码…', refreshing: false, pickupDue: '' },
  methods: {
    onLoad(query) {
      this.no = decodeURIComponent((query && query.no) || '');
      this.load();
    },
    onShow() {
      if (this.showing) {
        this.brighten();
        if (staleOnShow(this.expiresAt, Date.now())) this.refresh();
      }
    },
    onHide() { this.dim(); },
    onUnload() { this.stop(); this.dim(); },

    async load() {
      this.setData({ loading: true, error: '' });
      let c;
      try {
        await ui.requireMe();
        c = await api.get(`/cases/${api.seg(this.no)}`);
      } catch (e) {
        if (e.status === 404) { ui.go('/pages/cases/cases'); return; }
        this.setData({ loading: false, error: e.message });
        return;
      }
      this.setData({
        loading: false,
        c,
        station: c.station || {},
        pickupDue: c.pickup_due_at ? `请于${fmt.fmtDate(c.pickup_due_at)}前领取${caseDueProvisional(c, 'pickup_due_at') ? '（暂定）' : ''}` : '',
      });
      if (c.status !== 'ready_for_pickup') {
        this.showGone(c.status === 'collected' ? '证件已领取' : '暂不能领证',
          c.status === 'collected' ? '您的新身份证已交付，业务办结。' : '证件到达派出所后才能出示领证二维码。');
        return;
      }
      this.showing = true;
      this.brighten();
      this.countdown = setInterval(() => this.tick(), 1000);
      await this.refresh();
    },

    brighten() {
      if (this.savedBrightness === undefined) {
        wx.getScreenBrightness({ success: (r) => { this.savedBrightness = r.value; }, fail: () => {} });
      }
      wx.setScreenBrightness({ value: 1, fail: () => {} });
      wx.setKeepScreenOn({ keepScreenOn: true, fail: () => {} });
    },
    dim() {
      if (!this.showing) return;
      if (typeof this.savedBrightness === 'number') wx.setScreenBrightness({ value: this.savedBrightness, fail: () => {} });
      wx.setKeepScreenOn({ keepScreenOn: false, fail: () => {} });
    },
    stop() {
      this.stopped = true;
      clearTimeout(this.timer);
      clearInterval(this.countdown);
    },
    showGone(title, desc) {
      this.stop();
      this.dim();
      this.showing = false;
      this.setData({ gone: { title, desc }, qr: '' });
    },
    tick() {
      if (!this.expiresAt) return;
      const ms = this.expiresAt - Date.now();
      if (ms <= 0) { this.setData({ status: '二维码已过期，正在刷新…' }); return; }
      const s = Math.round(ms / 1000);
      const left = s >= 3600 ? `${Math.floor(s / 3600)}小时${Math.floor((s % 3600) / 60)}分` : s >= 60 ? `${Math.floor(s / 60)}分${s % 60}秒` : `${s}秒`;
      const iso = new Date(this.expiresAt).toISOString();
      const until = s >= 12 * 3600 ? fmt.fmtDateTime(iso) : fmt.fmtClock(iso);
      this.setData({ status: `二维码有效至 ${until}（剩余${left}），将自动刷新` });
    },
    async refresh() {
      if (this.stopped) return;
      clearTimeout(this.timer);
      this.setData({ refreshing: true });
      try {
        // The token call answers why not (409) in words; the PNG encodes a
        // fresh token of its own, whose expiry its header gives.
        const t = await api.get(`/cases/${api.seg(this.no)}/pickup-token`);
        const png = await api.download(`/cases/${api.seg(this.no)}/pickup-qr.png`);
        if (this.stopped) return;
        const exp = Date.parse(png.header['X-Token-Expires-At'] || png.header['x-token-expires-at'] || t.expires_at);
        this.expiresAt = exp || Date.now() + REFRESH_EVERY_MS;
        this.setData({ qr: png.tempFilePath });
        this.tick();
        this.timer = setTimeout(() => this.refresh(), refreshDelay(this.expiresAt, Date.now()));
      } catch (e) {
        if (this.stopped) return;
        if (e.status === 409) {
          // Collected meanwhile, or not (yet / any more) ready.
          const now = await api.get(`/cases/${api.seg(this.no)}`).catch(() => null);
          if (now && now.status === 'collected') this.showGone('证件已领取', '您的新身份证已交付，业务办结。');
          else this.showGone('暂不能领证', e.message);
          return;
        }
        this.setData({ status: `${e.message}，稍后自动重试` });
        this.timer = setTimeout(() => this.refresh(), MIN_DELAY_MS);
      } finally {
        this.setData({ refreshing: false });
      }
    },
    call() { wx.makePhoneCall({ phoneNumber: this.data.station.phone, fail: () => {} }); },
  },
});

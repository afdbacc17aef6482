// 长辈版 (elder mode) of the mini-program: larger text and tap targets,
// remembered on this phone across sign-outs (utils/session.js keeps the key).
// Every page mixes in `behavior`, which gives it `data.elder` and puts the
// page's root view in the "elder" class of app.wxss; the switches on 首页
// and 我的 call setElder, which also redraws the pages already open (the
// tab pages stay alive behind the one on top).

const KEY = 'idcard.elder';
const open = new Set(); // the page instances alive now

/** Whether 长辈版 is on for this phone. */
function isElder() {
  return Boolean(wx.getStorageSync(KEY));
}

/** Turns 长辈版 on or off, remembers it, and redraws every open page. */
function setElder(on) {
  const v = Boolean(on);
  wx.setStorageSync(KEY, v);
  open.forEach((p) => p.setData({ elder: v }));
}

const behavior = Behavior({
  data: { elder: false },
  lifetimes: {
    attached() {
      open.add(this);
      this.setData({ elder: isElder() });
    },
    detached() { open.delete(this); },
  },
  methods: {
    /** The bindchange of a 长辈版 switch (首页, 我的). */
    toggleElder(e) {
      const on = Boolean(e.detail.value);
      setElder(on);
      wx.showToast({ title: on ? '已开启长辈版' : '已关闭长辈版', icon: 'none' });
    },
  },
});

module.exports = { KEY, isElder, setElder, behavior };

// The citizen mini-program. Pages sign in on demand (utils/api.js): a
// missing or expired token is replaced by a fresh wx.login sign-in.
App({
  onLaunch() {},
});

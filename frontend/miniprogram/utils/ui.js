// Dialogs, toasts and the page guard, in mini-program idiom (wx.showModal,
// wx.showToast). Messages are the server's Chinese error.message.

const session = require('./session.js');
const elder = require('./elder.js');

function toast(title, icon) {
  // 长辈版 hurries no one: a message stays long enough to be read slowly.
  wx.showToast({ title, icon: icon || 'success', duration: elder.isElder() ? 6000 : 2000 });
}

/** A one-button dialog. */
function alert(content, title) {
  return new Promise((resolve) => {
    wx.showModal({ title: title || '提示', content, showCancel: false, confirmText: '知道了', complete: () => resolve() });
  });
}

/** A two-button dialog; resolves true when confirmed. */
function confirm(content, opts = {}) {
  return new Promise((resolve) => {
    wx.showModal({
      title: opts.title || '请确认',
      content,
      confirmText: opts.ok || '确定',
      cancelText: opts.cancel || '取消',
      confirmColor: opts.warn ? '#fa5151' : '#1f4e9c',
      success: (r) => resolve(Boolean(r.confirm)),
      fail: () => resolve(false),
    });
  });
}

/** Shows an ApiError: a toast for a short message, a dialog otherwise. */
function showError(err, title) {
  const msg = (err && err.message) || '操作未成功，请稍后重试';
  return alert(msg, title || '操作未成功');
}

/**
 * The page guard: loads the applicant; with bound, an unbound account goes to
 * 实名认证 first and comes back to `back`. Resolves to /me, or null when the
 * page must not go on (sent elsewhere); throws the ApiError otherwise.
 */
async function requireMe(opts = {}) {
  const me = await session.loadMe(Boolean(opts.force));
  if (opts.bound && !me.bound) {
    wx.redirectTo({ url: `/pages/bind/bind${opts.back ? `?next=${encodeURIComponent(opts.back)}` : ''}` });
    return null;
  }
  return me;
}

const TABS = ['/pages/home/home', '/pages/cases/cases', '/pages/messages/messages', '/pages/me/me'];

/** Goes to a page, by switchTab for the tab pages (which take no query). */
function go(url, how) {
  const path = url.split('?')[0];
  if (TABS.indexOf(path) >= 0) { wx.switchTab({ url: path }); return; }
  if (how === 'redirect') wx.redirectTo({ url });
  else wx.navigateTo({ url });
}

module.exports = { toast, alert, confirm, showError, requireMe, go };

// The signed-in applicant and what is kept for them on the phone. Stored
// data (the application draft) is kept per account and dropped when another
// account signs in or on sign-out, so one person's data never shows for
// another.

const api = require('./api.js');
const elder = require('./elder.js');

const ACCOUNT_KEY = 'idcard.account';
const DRAFT_PREFIX = 'idcard.draft.';
const KEEP = [elder.KEY, api.DEMO_KEY]; // device preferences that survive a sign-out

let me = null;

/** Drops every stored key of the account (token, drafts), keeping device preferences. */
function forgetAccount() {
  me = null;
  const info = wx.getStorageInfoSync();
  (info.keys || []).forEach((k) => {
    if (KEEP.indexOf(k) < 0) wx.removeStorageSync(k);
  });
}

/** The signed-in applicant (GET /me), cached unless force. Rejects with ApiError. */
async function loadMe(force) {
  if (me && !force) return me;
  const m = await api.get('/me');
  const was = wx.getStorageSync(ACCOUNT_KEY);
  if (was && was !== m.id) {
    // Another account on this phone: nothing of the last one's stays.
    const token = api.getToken();
    forgetAccount();
    wx.setStorageSync(api.TOKEN_KEY, token);
  }
  wx.setStorageSync(ACCOUNT_KEY, m.id);
  me = m;
  return m;
}

function setMe(m) { me = m; }
function cachedMe() { return me; }

/** Signs out on the server (best effort) and forgets the account here. */
async function signOut() {
  try { await api.post('/auth/logout', undefined, { noRetry: true, quiet401: true }); } catch (e) { /* signed out either way */ }
  forgetAccount();
}

// ---------- the application draft ----------

const draftKey = () => DRAFT_PREFIX + (me ? me.id : 'anon');

function getDraft() {
  return wx.getStorageSync(draftKey()) || {};
}

function saveDraft(patch) {
  const d = Object.assign({}, getDraft(), patch);
  wx.setStorageSync(draftKey(), d);
  return d;
}

function clearDraft() {
  wx.removeStorageSync(draftKey());
}

module.exports = {
  loadMe, setMe, cachedMe, signOut, forgetAccount, getDraft, saveDraft, clearDraft,
};

// The one door to the backend: wx.request / wx.uploadFile / wx.downloadFile
// with the bearer token, the contract's error body turned into ApiError, and
// a 401 answered by signing in again with wx.login (once), then retrying.
// Every path here is one of openapi.yaml's (a test checks it).

const config = require('../config.js');

const PREFIX = '/api/v1';
const TOKEN_KEY = 'idcard.token';
// Demo servers only (GET /config says demo): the name of a demo WeChat
// account, signed in with the code "dev:<name>" instead of wx.login's, for
// WeChat DevTools against `make run`, whose demo server has no app secret.
const DEMO_KEY = 'idcard.demo-login';
const TIMEOUT_MS = 20000;

// What the client says when no answer of the server's reached it; every
// other message is the server's error.message.
const NO_ANSWER = {
  NETWORK: '网络连接失败，请检查网络后重试',
  TIMEOUT: '服务器响应超时，请稍后重试',
};
const noBody = (status) => `服务器未能正常答复（HTTP ${status}），请稍后重试`;

/** An API failure: HTTP status (0 = no answer), the contract's code and a Chinese message. */
class ApiError extends Error {
  constructor(status, code, message) {
    super(message || noBody(status));
    this.name = 'ApiError';
    this.status = status;
    this.code = code || '';
  }
}

const getToken = () => wx.getStorageSync(TOKEN_KEY) || '';
const setToken = (t) => wx.setStorageSync(TOKEN_KEY, t);

function url(path, query) {
  let u = config.apiBase + PREFIX + path;
  if (query) {
    const qs = Object.keys(query)
      .filter((k) => query[k] !== undefined && query[k] !== null && query[k] !== '')
      .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(query[k]))}`)
      .join('&');
    if (qs) u += `?${qs}`;
  }
  return u;
}

function headers(extra, anonymous) {
  const h = Object.assign({ Accept: 'application/json' }, extra || {});
  const t = getToken();
  if (t && !anonymous) h.Authorization = `Bearer ${t}`;
  return h;
}

function failOf(err) {
  const msg = (err && err.errMsg) || '';
  const code = /timeout/i.test(msg) ? 'TIMEOUT' : 'NETWORK';
  return new ApiError(0, code, NO_ANSWER[code]);
}

function errorOf(statusCode, data) {
  let body = data;
  if (typeof body === 'string') {
    try { body = JSON.parse(body); } catch (e) { body = null; }
  }
  const detail = (body && body.error) || {};
  return new ApiError(statusCode, detail.code, detail.message || noBody(statusCode));
}

const isUnauthenticated = (e) => e && e.status === 401 && e.code === 'UNAUTHENTICATED';

function once(method, path, opts) {
  return new Promise((resolve, reject) => {
    const h = headers(opts.header, opts.anonymous);
    if (opts.body !== undefined) h['Content-Type'] = 'application/json';
    wx.request({
      url: url(path, opts.query),
      method,
      data: opts.body,
      header: h,
      timeout: opts.timeout || TIMEOUT_MS,
      success: (res) => {
        if (res.statusCode >= 200 && res.statusCode < 300) resolve(res.statusCode === 204 ? null : res.data);
        else reject(errorOf(res.statusCode, res.data));
      },
      fail: (err) => reject(failOf(err)),
    });
  });
}

// ---------- sign-in ----------

let signingIn = null;

function wxLogin() {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (r) => (r.code ? resolve(r.code) : reject(new ApiError(0, 'WX_LOGIN', '微信登录未成功，请重试'))),
      fail: () => reject(new ApiError(0, 'WX_LOGIN', '微信登录未成功，请重试')),
    });
  });
}

/**
 * Signs in with wx.login → POST /auth/wechat and keeps the token. A new
 * account's data never mixes with the last one's: on a different account
 * everything stored for the old one is dropped (see session.js).
 * Resolves to the ApplicantToken answer ({token, expires_at, bound}).
 */
function signIn() {
  if (!signingIn) {
    const demo = wx.getStorageSync(DEMO_KEY);
    signingIn = (demo ? Promise.resolve(`dev:${demo}`) : wxLogin())
      .then((code) => once('POST', '/auth/wechat', { body: { code }, anonymous: true }))
      .then((res) => { setToken(res.token); return res; })
      .finally(() => { signingIn = null; });
  }
  return signingIn;
}

function toLogin() {
  wx.removeStorageSync(TOKEN_KEY);
  wx.reLaunch({ url: '/pages/login/login' });
}

/** Runs fn; on a 401 signs in again and runs it once more; a second 401 goes to 登录. */
async function withSignIn(fn, opts) {
  try {
    return await fn();
  } catch (e) {
    if (!isUnauthenticated(e) || opts.noRetry) throw e;
    try {
      await signIn();
    } catch (e2) {
      if (!opts.quiet401) toLogin();
      throw e2;
    }
    try {
      return await fn();
    } catch (e3) {
      if (isUnauthenticated(e3) && !opts.quiet401) toLogin();
      throw e3;
    }
  }
}

/** Calls the JSON API. opts: body, query, header, noRetry, quiet401. Resolves to the JSON (null for 204). */
function request(method, path, opts = {}) {
  return withSignIn(() => once(method, path, opts), opts);
}

const get = (path, opts) => request('GET', path, opts);
const post = (path, body, opts = {}) => request('POST', path, Object.assign({}, opts, { body }));

/** Uploads a local file as multipart `file` (POST); resolves to the JSON answer. */
function upload(path, filePath, opts = {}) {
  return withSignIn(() => new Promise((resolve, reject) => {
    wx.uploadFile({
      url: url(path),
      filePath,
      name: 'file',
      header: headers(),
      timeout: 60000,
      success: (res) => {
        if (res.statusCode >= 200 && res.statusCode < 300) {
          try { resolve(JSON.parse(res.data)); } catch (e) { reject(errorOf(res.statusCode, null)); }
        } else reject(errorOf(res.statusCode, res.data));
      },
      fail: (err) => reject(failOf(err)),
    });
  }), opts);
}

/** Downloads a GET answer (an image) to a temporary file; resolves to {tempFilePath, header}. */
function download(path, opts = {}) {
  return withSignIn(() => new Promise((resolve, reject) => {
    wx.downloadFile({
      url: url(path),
      header: headers(),
      success: (res) => {
        if (res.statusCode === 200) resolve({ tempFilePath: res.tempFilePath, header: res.header || {} });
        else reject(new ApiError(res.statusCode, '', noBody(res.statusCode)));
      },
      fail: (err) => reject(failOf(err)),
    });
  }), opts);
}

/** Path segment escaping for case numbers. */
const seg = (s) => encodeURIComponent(String(s));

/** Signs in as a demo WeChat account of this phone (demo servers only). */
function signInDemo() {
  if (!wx.getStorageSync(DEMO_KEY)) wx.setStorageSync(DEMO_KEY, `mp-${Math.random().toString(36).slice(2, 10)}`);
  return signIn();
}

module.exports = {
  ApiError, get, post, upload, download, signIn, signInDemo, seg, getToken, TOKEN_KEY, DEMO_KEY,
};
